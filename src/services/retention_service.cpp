#include "services/retention_service.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>

#include "domain/erasure.hpp"
#include "domain/search_text.hpp"
#include "services/directory.hpp"
#include "services/job_kinds.hpp"
#include "services/resource_load.hpp"
#include "services/ticket_write.hpp"
#include "store/retention_store.hpp"
#include "store/search_index.hpp"
#include "store/tickets_store.hpp"
#include "store/users_store.hpp"

namespace gongdan::services {
namespace {

constexpr Millis kRetentionDay = 86'400'000;

std::vector<Bound<RetentionPolicy>> retention_fields() {
  std::vector<std::string_view> actions(std::begin(kRetentionActions), std::end(kRetentionActions));
  return {
      field_of(&RetentionPolicy::id, id_field()),
      field_of(&RetentionPolicy::name, name_field(100)),
      field_of(&RetentionPolicy::department_id,
               department_field({"None: the closed tickets of every department.",
                                 "不选：所有部门的已关闭工单。"})),
      field_of(&RetentionPolicy::months,
               integer_field("months", {"Months after closing", "关闭后的月数"},
                             {"Closed tickets whose last change is older than this.",
                              "最后一次变更早于这么多个月的已关闭工单。"})
                   .range(1, 1200)),
      field_of(&RetentionPolicy::action,
               choice_field("action", {"Action", "操作"}, actions,
                            {"anonymise: the ticket stays, its requester's messages, files and "
                             "kept mail go; delete: the whole ticket goes.",
                             "anonymise：保留工单，删除请求人的消息、附件和保存的邮件；delete："
                             "删除整个工单。"})),
      unheld<RetentionPolicy>(
          integer_field("matching_now",
                        {"Dry run: tickets it would act on today", "试运行：今天会处理的工单数"})
              .column("-")
              .read_only()),
      field_of(&RetentionPolicy::active,
               switch_field("active", {"Active (runs daily)", "启用（每天运行）"},
                            {"Read the dry run's count first.", "请先查看试运行的数量。"})),
      field_of(&RetentionPolicy::created_at, time_field("created_at")),
      field_of(&RetentionPolicy::updated_at, time_field("updated_at")),
  };
}

// The run of `policy` at `run_at`, once per policy version and day (or batch).
NewJob retention_run(const RetentionPolicy& policy, Millis run_at, std::string_view step) {
  NewJob job;
  job.kind = std::string(kRetentionJob);
  job.run_at = run_at;
  job.idempotency_key = fmt::format("retention{}-v{}-{}", policy.id, policy.updated_at, step);
  job.payload = boost::json::serialize(boost::json::object{{"policy", policy.id}});
  return job;
}

}  // namespace

const Resource<RetentionPolicy>& retention_policy_resource() {
  static const Resource<RetentionPolicy> r =
      declare<RetentionPolicy>(resource_info("retention-policies", "retention_policy",
                                             {"Retention policies", "保留策略"}, "settings")
                                   .table("retention_policies"),
                               retention_fields());
  return r;
}

Result<std::int64_t> RetentionService::matching_now(const RetentionPolicy& p) {
  const Millis cutoff = months_before(clock_.now_ms(), p.months);
  return store::read_value(db_, [&](store::Connection& c) {
    return store::retention_count(c, p.department_id, cutoff, p.action != "delete");
  });
}

void RetentionService::add_to(Resources& resources) {
  Hooks<RetentionPolicy> hooks;
  hooks.written = [this](store::Connection& c, const RetentionPolicy& p, Change) -> Result<void> {
    // Switched on (or changed while on): its first run now; the runs go on daily from there.
    if (!p.active) return {};
    GONGDAN_TRY(jobs_.enqueue(c, retention_run(p, clock_.now_ms(), "start")));
    return {};
  };
  hooks.describe = [this](const RetentionPolicy& p, boost::json::object& out) {
    auto n = matching_now(p);
    out["matching_now"] = n ? *n : 0;
  };
  resources.add(retention_policy_resource(), std::move(hooks));
}

Result<void> RetentionService::run_job(std::int64_t policy_id) {
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto policy, load_one(c, retention_policy_resource(), policy_id));
    if (!policy || !policy->active) return {};
    const Millis now = clock_.now_ms();
    const bool deleting = policy->action == "delete";
    GONGDAN_ASSIGN(
        auto ids, store::retention_due(c, policy->department_id, months_before(now, policy->months),
                                       !deleting, kBatch));
    for (auto id : ids) GONGDAN_TRY(deleting ? remove(c, id, now) : anonymise(c, id, now));
    const bool more = static_cast<int>(ids.size()) == kBatch;
    const auto step =
        more ? fmt::format("{}-{}", now, ids.back()) : fmt::format("{}", now / kRetentionDay);
    GONGDAN_TRY(jobs_.enqueue(
        c, retention_run(*policy, more ? now : (now / kRetentionDay + 1) * kRetentionDay, step)));
    return {};
  }));
  GONGDAN_TRY(privacy_.remove_released_files());
  return {};
}

Result<void> RetentionService::anonymise(store::Connection& c, std::int64_t id, Millis now) {
  GONGDAN_ASSIGN(auto ticket, store::find_ticket(c, id));
  if (!ticket) return {};
  GONGDAN_ASSIGN(auto requester, store::find_user(c, ticket->requester_id));
  const std::string locale = requester ? requester->locale : "en";
  const auto needles =
      requester ? erasure_needles({requester->name, requester->email}) : std::vector<std::string>{};
  auto& index = db_.search_index();
  for (bool theirs : {true, false}) {
    GONGDAN_ASSIGN(auto rows, store::ticket_messages(c, id, ticket->requester_id, theirs));
    for (const auto& row : rows) {
      const auto body = theirs ? erased_message_marker(locale)
                               : scrub(row.text, needles, erased_word_marker(locale));
      const auto html =
          theirs ? std::string() : scrub(row.more, needles, erased_word_marker(locale));
      if (body == row.text && html == row.more) continue;
      GONGDAN_TRY(index.unindex_message(c, row.id, search::index_text(row.text)));
      GONGDAN_TRY(store::set_message_text(c, row.id, body, html));
      GONGDAN_TRY(index.index_message(c, row.id, search::index_text(body)));
    }
  }
  GONGDAN_TRY(store::drop_ticket_files(c, id, ticket->requester_id, false, now));
  const auto subject = scrub(ticket->subject, needles, erased_word_marker(locale));
  if (subject != ticket->subject) {
    GONGDAN_TRY(
        index.unindex_ticket(c, id, search::index_text(ticket->subject), tags_text(ticket->tags)));
    GONGDAN_TRY(index.index_ticket(c, id, search::index_text(subject), tags_text(ticket->tags)));
  }
  return store::mark_anonymised(c, id, subject, now);
}

Result<void> RetentionService::remove(store::Connection& c, std::int64_t id, Millis now) {
  GONGDAN_ASSIGN(auto ticket, store::find_ticket(c, id));
  if (!ticket) return {};
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  const Principal system = Principal::system();
  TicketWrite w{c, *catalog, system, now, "retention", db_};
  GONGDAN_TRY(w.remove(*ticket));
  auto& index = db_.search_index();
  for (bool theirs : {true, false}) {
    GONGDAN_ASSIGN(auto rows, store::ticket_messages(c, id, ticket->requester_id, theirs));
    for (const auto& row : rows)
      GONGDAN_TRY(index.unindex_message(c, row.id, search::index_text(row.text)));
  }
  GONGDAN_TRY(store::drop_ticket_files(c, id, ticket->requester_id, true, now));
  return store::delete_ticket_rows(c, id);
}

}  // namespace gongdan::services
