#include "services/csat_service.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "domain/report_rollup.hpp"
#include "services/job_kinds.hpp"
#include "services/resource_load.hpp"
#include "store/csat_store.hpp"
#include "store/database.hpp"
#include "store/messages_store.hpp"
#include "store/tickets_store.hpp"
#include "store/users_store.hpp"
#include "util/crypto.hpp"
#include "util/iso_time.hpp"
#include "util/json_members.hpp"

namespace gongdan::services {
namespace {

constexpr std::size_t kMacLength = 32;
constexpr std::size_t kMaxComment = 2000;

std::vector<Bound<CsatSurvey>> survey_fields() {
  std::vector<std::string_view> scales(std::begin(kCsatScales), std::end(kCsatScales));
  return {
      field_of(&CsatSurvey::id, id_field()),
      field_of(&CsatSurvey::name, name_field(100)),
      field_of(&CsatSurvey::department_id,
               department_field({"None: every department without a survey of its own.",
                                 "不选：所有没有自己调查的部门。"})),
      field_of(&CsatSurvey::scale,
               choice_field("scale", {"Rating scale", "评分方式"}, scales,
                            {"good_bad: good or bad; five: 1 to 5 (4 and 5 count as satisfied).",
                             "good_bad：满意或不满意；five：1 到 5 分（4、5 分算满意）。"})),
      field_of(
          &CsatSurvey::delay_minutes,
          integer_field("delay_minutes", {"Delay after solving (minutes)", "解决后延迟（分钟）"},
                        {"Reopened or solved again meanwhile: no survey for that solve.",
                         "期间重新打开或再次解决：这次解决不发调查。"})
              .range(0, 43200)),
      field_of(
          &CsatSurvey::channels,
          list_field("channels", {"Channels", "渠道"},
                     {"Tickets from these channels get it (email, portal, web, api, phone "
                      "…); empty: every channel.",
                      "来自这些渠道的工单会收到调查（email、portal、web、api、phone …）；留空："
                      "所有渠道。"})
              .separator(' ')),
      field_of(&CsatSurvey::question_en,
               long_text_field("question_en", {"Question (English)", "问题（英文）"})
                   .required()
                   .range(1, 500)),
      field_of(&CsatSurvey::question_zh,
               long_text_field("question_zh", {"Question (Chinese)", "问题（中文）"})
                   .required()
                   .range(1, 500)),
      field_of(&CsatSurvey::active, active_field()),
      field_of(&CsatSurvey::created_at, time_field("created_at")),
      field_of(&CsatSurvey::updated_at, time_field("updated_at")),
  };
}

bool chinese(std::string_view language) { return language.starts_with("zh"); }

std::string choice_label(std::string_view rating, bool zh) {
  if (rating == "good") return zh ? "满意" : "Good";
  if (rating == "bad") return zh ? "不满意" : "Bad";
  if (rating == "1") return zh ? "1 分（很差）" : "1 (poor)";
  if (rating == "5") return zh ? "5 分（很好）" : "5 (excellent)";
  return zh ? std::string(rating) + " 分" : std::string(rating);
}

// The survey mail's text: the question, then one link per rating, best first.
std::string survey_body(const User& requester, const Ticket& ticket, const CsatRequest& request,
                        std::string_view link) {
  const bool zh = chinese(request.language);
  std::string body;
  const std::string name = requester.name.empty() ? requester.email : requester.name;
  body += zh ? fmt::format("{} 您好：\n\n您的工单 #{}「{}」已解决。\n{}\n\n", name, ticket.number,
                           ticket.subject, request.question)
             : fmt::format("Hello {},\n\nyour request #{} \"{}\" has been solved.\n{}\n\n", name,
                           ticket.number, ticket.subject, request.question);
  auto choices = csat_choices(request.scale);
  for (auto it = choices.rbegin(); it != choices.rend(); ++it)
    body += fmt::format("{}: {}?rating={}\n", choice_label(*it, zh), link, *it);
  const auto until = iso_time(request.expires_at).substr(0, 10);
  body += zh ? fmt::format("\n打开链接后可以补充意见。链接只能评价一次，{} 前有效。\n", until)
             : fmt::format(
                   "\nYou can add a comment on the page. The link rates once and "
                   "works until {}.\n",
                   until);
  return body;
}

// The ticket a merged ticket lives on in (following merges of merges), or the ticket itself.
Result<std::int64_t> live_ticket_of(store::Connection& c, const Ticket& ticket) {
  std::int64_t id = ticket.id;
  auto into = ticket.merged_into;
  for (int hops = 0; into && hops < 32; ++hops) {
    GONGDAN_ASSIGN(auto target, store::find_ticket_by_number(c, *into));
    if (!target) break;
    id = target->id;
    into = target->merged_into;
  }
  return id;
}

Error not_a_link() { return Error{ErrorCode::kNotFound, "this rating link is not valid", "token"}; }

}  // namespace

const Resource<CsatSurvey>& csat_survey_resource() {
  static const Resource<CsatSurvey> r =
      declare<CsatSurvey>(resource_info("csat-surveys", "csat_survey",
                                        {"Satisfaction surveys", "满意度调查"}, "settings")
                              .table("csat_surveys")
                              .invalidates(Invalidates::kSettings),
                          survey_fields());
  return r;
}

void CsatService::add_to(Resources& resources) {
  Hooks<CsatSurvey> hooks;
  hooks.check = [](store::Connection&, const Principal&, CsatSurvey& s,
                   const CsatSurvey*) -> Result<void> {
    for (const auto& channel : s.channels)
      if (channel.empty() || channel.size() > 40)
        return fail(ErrorCode::kInvalidArgument, "a channel is a short name, e.g. email",
                    "channels");
    return {};
  };
  resources.add(csat_survey_resource(), std::move(hooks));
}

Result<CsatService::Surveys> CsatService::surveys(store::Connection& c) {
  return surveys_.get([&]() -> Result<Surveys> {
    GONGDAN_ASSIGN(auto all, load_all(c, csat_survey_resource()));
    return std::make_shared<const std::vector<CsatSurvey>>(std::move(all));
  });
}

Result<void> CsatService::on_change(store::Connection& c, TicketChange& change, const Catalog&,
                                    Millis now) {
  const Ticket& t = change.ticket;
  // Only the write that solved it: set_status stamps solved_at with the write's time.
  if (is_unsolved(t.category) || t.solved_at != now || t.merged_into) return {};
  GONGDAN_ASSIGN(auto all, surveys(c));
  const auto* survey = survey_for(*all, t.department_id, t.channel);
  if (!survey) return {};
  NewJob job;
  job.kind = std::string(kCsatSurveyJob);
  job.run_at = now + survey->delay_minutes * 60'000;
  job.idempotency_key = fmt::format("csat-t{}-s{}", t.id, now);
  job.payload =
      boost::json::serialize(boost::json::object{{"ticket_id", t.id}, {"solved_at", now}});
  GONGDAN_TRY(jobs_.enqueue(c, job));
  return {};
}

Result<void> CsatService::send(std::string_view payload) {
  const JsonMembers job(payload);
  const auto ticket_id = job.integer("ticket_id");
  const auto solved_at = job.integer("solved_at");
  if (!ticket_id || !solved_at) return fail(ErrorCode::kInvalidArgument, "not a survey job");
  if (public_url_.empty()) {
    spdlog::warn(
        "csat: no survey for ticket {}: public_url is not set, so the mail could carry "
        "no rating link",
        *ticket_id);
    return {};
  }
  return db_.write([&](store::Connection& c) -> Result<void> {
    const Millis now = clock_.now_ms();
    GONGDAN_ASSIGN(auto ticket, store::find_ticket(c, *ticket_id));
    if (!ticket || ticket->merged_into || is_unsolved(ticket->category) ||
        ticket->solved_at != *solved_at)
      return {};
    GONGDAN_ASSIGN(auto all, surveys(c));
    const auto* survey = survey_for(*all, ticket->department_id, ticket->channel);
    if (!survey) return {};
    GONGDAN_ASSIGN(auto requester, store::find_user(c, ticket->requester_id));
    if (!requester) return {};
    CsatRequest request;
    request.ticket_id = ticket->id;
    request.solved_at = *solved_at;
    request.scale = survey->scale;
    // Contacts made from mail keep the default locale (en): the language they wrote the ticket
    // in speaks for them too.
    request.language = chinese(requester->locale) || chinese(ticket->language) ? "zh-CN" : "en";
    request.question = chinese(request.language) ? survey->question_zh : survey->question_en;
    request.sent_at = now;
    request.expires_at = now + kLinkLifetime;
    GONGDAN_ASSIGN(auto id, store::insert_csat_request(c, request));
    if (!id) return {};  // sent already (a job run twice)
    request.id = *id;
    const std::string link = public_url_ + "/portal/csat/" + token_of(request);
    const bool zh = chinese(request.language);
    GONGDAN_ASSIGN(bool mailed,
                   outbox_.automatic_mail(
                       c, *ticket, requester->email, requester->name,
                       zh ? "服务评价：" + ticket->subject : "How did we do? " + ticket->subject,
                       survey_body(*requester, *ticket, request, link)));
    // Nothing to send from (or to): the job ends in the dead letters, the request undone.
    if (!mailed)
      return fail(ErrorCode::kInvalidArgument,
                  "no survey sent: the ticket's department has no sending mailbox, or the "
                  "requester's address cannot be mailed");
    TicketEvent e;
    e.ticket_id = ticket->id;
    e.at = now;
    e.via = "csat";
    e.field = "csat_sent";
    e.new_value = std::to_string(request.id);
    GONGDAN_TRY(store::insert_event(c, e));
    RollupDeltas deltas;
    GONGDAN_ASSIGN(auto catalog, directory_.catalog());
    if (rollups_kept())
      rollup_csat_sent(report_state_of(*ticket, select_field_keys(catalog->fields)), now, deltas);
    for (const auto& [key, delta] : deltas) c.add_count(key, delta);
    return {};
  });
}

std::string CsatService::token_of(const CsatRequest& request) const {
  const CsatToken token{
      request.id, request.expires_at,
      secrets_.mac(csat_signed_text(request.id, request.ticket_id, request.expires_at))
          .substr(0, kMacLength)};
  return csat_token_text(token);
}

Result<CsatRequest> CsatService::verified(store::Connection& c, std::string_view text) {
  const auto token = parse_csat_token(text);
  if (!token) return fail(not_a_link());
  GONGDAN_ASSIGN(auto request, store::find_csat_request(c, token->request_id));
  if (!request || request->expires_at != token->expires_at) return fail(not_a_link());
  const auto mac =
      secrets_.mac(csat_signed_text(request->id, request->ticket_id, request->expires_at))
          .substr(0, kMacLength);
  if (!crypto::equal_constant_time(mac, token->mac)) return fail(not_a_link());
  return *request;
}

Result<CsatPage> CsatService::page_of(store::Connection& c, CsatRequest request) {
  GONGDAN_ASSIGN(auto ticket, store::find_ticket(c, request.ticket_id));
  if (!ticket) return fail(not_a_link());
  CsatPage out;
  out.state = request.rating ? "rated" : clock_.now_ms() >= request.expires_at ? "expired" : "open";
  out.ticket_number = ticket->number;
  out.subject = ticket->subject;
  out.request = std::move(request);
  return out;
}

Result<CsatPage> CsatService::page(std::string_view token) {
  std::optional<CsatPage> out;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto request, verified(c, token));
    GONGDAN_ASSIGN(auto page, page_of(c, std::move(request)));
    out = std::move(page);
    return {};
  }));
  return std::move(*out);
}

Result<CsatPage> CsatService::rate(std::string_view token, std::string_view rating,
                                   std::string_view comment) {
  if (comment.size() > kMaxComment)
    return fail(ErrorCode::kInvalidArgument, "the comment is longer than 2000 bytes", "comment");
  std::optional<CsatPage> out;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    const Millis now = clock_.now_ms();
    GONGDAN_ASSIGN(auto request, verified(c, token));
    if (!is_csat_choice(request.scale, rating))
      return fail(ErrorCode::kInvalidArgument,
                  request.scale == "five" ? "expected 1, 2, 3, 4 or 5" : "expected good or bad",
                  "rating");
    if (request.rating)
      return fail(ErrorCode::kConflict, "this survey has been answered already", "rating");
    if (now >= request.expires_at)
      return fail(ErrorCode::kConflict, "this rating link has expired", "token");
    GONGDAN_ASSIGN(bool rated, store::rate_csat_request(c, request.id, rating, comment, now));
    if (!rated)
      return fail(ErrorCode::kConflict, "this survey has been answered already", "rating");
    GONGDAN_ASSIGN(auto ticket, store::find_ticket(c, request.ticket_id));
    if (!ticket) return fail(not_a_link());
    TicketEvent e;
    e.ticket_id = ticket->id;
    e.at = now;
    e.actor_id = ticket->requester_id;
    e.via = "csat";
    e.field = "csat";
    e.new_value = std::string(rating);
    GONGDAN_TRY(store::insert_event(c, e));
    RollupDeltas deltas;
    GONGDAN_ASSIGN(auto catalog, directory_.catalog());
    if (rollups_kept())
      rollup_csat_rated(report_state_of(*ticket, select_field_keys(catalog->fields)), rating, now,
                        deltas);
    for (const auto& [key, delta] : deltas) c.add_count(key, delta);
    // Rules may act on it: reopen after a bad rating, notify a supervisor. A ticket merged
    // since its solve is closed for good; the conversation goes on in the ticket it was merged
    // into, so that one is what the rules act on.
    GONGDAN_ASSIGN(const auto acting, live_ticket_of(c, *ticket));
    const FactMap facts{{"csat.rating", std::string(rating)},
                        {"csat.positive", is_positive_rating(rating)}};
    GONGDAN_TRY(tickets_.system_change(c, acting, "csat", facts, fmt::format("csat{}", request.id),
                                       nullptr));
    request.rating = std::string(rating);
    request.comment = std::string(comment);
    request.rated_at = now;
    GONGDAN_ASSIGN(auto page, page_of(c, std::move(request)));
    out = std::move(page);
    return {};
  }));
  return std::move(*out);
}

Result<std::vector<CsatRequest>> CsatService::of_ticket(const Principal& who, std::int64_t number) {
  GONGDAN_ASSIGN(auto ticket, tickets_.get(who, number));
  GONGDAN_ASSIGN(auto requests, store::read_value(db_, [&](store::Connection& c) {
                   return store::csat_requests_of_ticket(c, ticket.id);
                 }));
  // The requester rates from the portal's ticket page as from the mail's link.
  if (who.user.id == ticket.requester_id) {
    const Millis now = clock_.now_ms();
    for (auto& r : requests)
      if (!r.rating && now < r.expires_at) r.token = token_of(r);
  }
  return requests;
}

}  // namespace gongdan::services
