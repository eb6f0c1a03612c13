#include "services/search_service.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <unordered_map>
#include <unordered_set>

#include "domain/search_text.hpp"
#include "store/import_store.hpp"
#include "store/messages_store.hpp"
#include "store/search_index.hpp"
#include "store/tickets_store.hpp"
#include "store/users_store.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

constexpr int kCandidateWindow = 500;

std::optional<std::int64_t> as_id(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

std::optional<Millis> as_day(std::string_view s) {
  int y = 0, m = 0, d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto num = [](std::string_view part, int& out) {
    auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
    return ec == std::errc() && p == part.data() + part.size();
  };
  if (!num(s.substr(0, 4), y) || !num(s.substr(5, 2), m) || !num(s.substr(8, 2), d))
    return std::nullopt;
  using namespace std::chrono;
  year_month_day ymd{year(y), month(static_cast<unsigned>(m)), day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  return duration_cast<milliseconds>(sys_days(ymd).time_since_epoch()).count();
}

}  // namespace

Result<TicketFilter> filter_from_query(const search::SearchQuery& q, const Catalog& catalog,
                                       std::int64_t me) {
  TicketFilter f;
  for (const auto& filter : q.filters) {
    const std::string field = "q." + filter.key;
    auto bad = [&](std::string why) {
      return fail(ErrorCode::kInvalidArgument, std::move(why), field);
    };
    if (filter.negated) return bad("negated filters are not supported yet");
    const std::string value = text::to_lower_ascii(filter.value);
    if (filter.key == "status" || filter.key == "category") {
      if (auto category = parse_category(value == "on-hold" ? "on_hold" : value)) {
        f.categories.push_back(*category);
      } else {
        bool found = false;
        for (const auto& s : catalog.statuses)
          if (text::to_lower_ascii(s.name) == value || s.name_zh == filter.value) {
            f.status_ids.push_back(s.id);
            found = true;
          }
        if (!found) return bad("no status or category named '" + filter.value + "'");
      }
    } else if (filter.key == "assignee") {
      if (value == "me")
        f.assignees.push_back(me);
      else if (value == "none")
        f.assignees.push_back(0);
      else if (auto id = as_id(value))
        f.assignees.push_back(*id);
      else
        return bad("use me, none or an agent id");
    } else if (filter.key == "department") {
      if (auto id = as_id(value))
        f.departments.push_back(*id);
      else if (const auto* d = catalog.department_by_name(filter.value))
        f.departments.push_back(d->id);
      else
        return bad("no department named '" + filter.value + "'");
    } else if (filter.key == "tag") {
      f.tag = value;
    } else if (filter.key == "priority") {
      auto p = parse_priority(value);
      if (!p) return bad("use low, normal, high or urgent");
      f.priorities.push_back(*p);
    } else if (filter.key == "type") {
      auto t = parse_type(value);
      if (!t) return bad("use question, incident, problem or task");
      f.types.push_back(*t);
    } else if (filter.key == "channel") {
      f.channel = value;
    } else if (filter.key == "external") {
      f.external_id = filter.value;  // ids keep their case
    } else if (filter.key == "requester") {
      auto id = as_id(value);
      if (!id) return bad("use the requester's id");
      f.requester_id = *id;
    } else if (filter.key == "organization") {
      auto id = as_id(value);
      if (!id) return bad("use the organization's id");
      f.organization_id = *id;
    } else if (filter.key == "created" || filter.key == "updated") {
      auto day = as_day(value);
      if (!day) return bad("use a date like 2026-01-31");
      auto& from = filter.key == "created" ? f.created_from : f.updated_from;
      auto& to = filter.key == "created" ? f.created_to : f.updated_to;
      constexpr Millis kDay = 86'400'000;
      switch (filter.op) {
        case search::FilterOp::kEq:
          from = *day;
          to = *day + kDay;
          break;
        case search::FilterOp::kLt:
          to = *day;
          break;
        case search::FilterOp::kLe:
          to = *day + kDay;
          break;
        case search::FilterOp::kGt:
          from = *day + kDay;
          break;
        case search::FilterOp::kGe:
          from = *day;
          break;
      }
    } else if (filter.key == "is") {
      if (value == "unassigned")
        f.assignees.push_back(0);
      else if (value == "open")
        f.categories = {StatusCategory::kNew, StatusCategory::kOpen};
      else if (value == "solved")
        f.categories.push_back(StatusCategory::kSolved);
      else
        return bad("use is:unassigned, is:open or is:solved");
    } else {
      return bad("unknown filter");
    }
  }
  return f;
}

Result<SearchResults> SearchService::search(const Principal& who, std::string_view raw, int limit) {
  if (raw.size() > search::kMaxQueryBytes)
    return fail(ErrorCode::kInvalidArgument, "the query is too long", "q");
  GONGDAN_ASSIGN(auto viewer, directory_.viewer(who));
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  const auto query = search::parse_search_query(raw);
  GONGDAN_ASSIGN(auto filter, filter_from_query(query, *catalog, who.user.id));
  const std::string match = search::fts_match(query);
  SearchResults results;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    if (match.empty()) {
      store::TicketListQuery list;
      list.filter = filter;
      list.viewer = viewer;
      list.limit = limit;
      GONGDAN_ASSIGN(auto tickets, store::list_tickets(c, list));
      for (auto& t : tickets) {
        auto snippet = search::snippet(t.subject, query);
        results.tickets.push_back({std::move(t), std::move(snippet), "filter"});
      }
      return {};
    }
    GONGDAN_ASSIGN(auto hits, db_.search_index().search(c, match, kCandidateWindow));
    // Hits arrive ranked (subject and tags before conversation, newer before older); tickets
    // are loaded lazily in that order until the page is full, so a common word costs a page of
    // lookups, not one per match.
    // They are read a chunk at a time (one statement per chunk: on PostgreSQL each statement
    // is a round trip, and a filter that rejects most hits would otherwise cost hundreds).
    std::unordered_set<std::int64_t> seen;
    const bool internal_visible = can_see_internal_notes(viewer);
    std::unordered_map<std::int64_t, Ticket> loaded;
    std::size_t loaded_until = 0;
    // matches() cannot see an imported ticket's old id: the tickets that had it, once.
    std::optional<std::unordered_set<std::int64_t>> imported;
    if (filter.external_id) {
      GONGDAN_ASSIGN(auto ids, store::tickets_with_import_ref(c, *filter.external_id));
      imported.emplace(ids.begin(), ids.end());
    }
    for (std::size_t i = 0; i < hits.size(); ++i) {
      const auto& h = hits[i];
      if (static_cast<int>(results.tickets.size()) >= limit) break;
      if (h.internal && !internal_visible) continue;
      if (!seen.insert(h.ticket_id).second) continue;
      if (i >= loaded_until) {
        std::vector<std::int64_t> ids;
        for (loaded_until = i; loaded_until < hits.size() && ids.size() < 32; ++loaded_until)
          ids.push_back(hits[loaded_until].ticket_id);
        GONGDAN_ASSIGN(loaded, store::find_tickets(c, ids));
      }
      auto found = loaded.find(h.ticket_id);
      std::optional<Ticket> ticket;
      if (found != loaded.end()) ticket = found->second;
      if (!ticket || !matches(filter, *ticket)) continue;
      if (imported && !imported->contains(ticket->id)) continue;
      bool follows = false;
      if (viewer.role == Role::kCustomer && ticket->requester_id != viewer.user_id) {
        GONGDAN_ASSIGN(follows, store::is_follower(c, ticket->id, viewer.user_id));
      }
      if (!can_see_ticket(viewer, *ticket, follows)) continue;
      std::string source = ticket->subject;
      if (h.message_id) {
        GONGDAN_ASSIGN(auto message, store::find_message(c, h.message_id));
        if (message) source = message->body;
      }
      auto snippet = search::snippet(source, query);
      results.tickets.push_back(
          {std::move(*ticket), std::move(snippet), h.message_id ? "message" : "subject"});
    }
    if (viewer.is_agent()) {
      GONGDAN_ASSIGN(auto ids, db_.search_index().search_contacts(c, match, 10));
      GONGDAN_ASSIGN(results.contacts, store::find_users(c, ids));
    }
    return {};
  }));
  return results;
}

}  // namespace gongdan::services
