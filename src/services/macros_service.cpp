#include "services/macros_service.hpp"

#include <charconv>

#include "domain/rule.hpp"
#include "domain/template.hpp"
#include "services/audit.hpp"
#include "services/triggers_service.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

std::optional<std::int64_t> macro_id_value(const FactValue& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  const auto* s = std::get_if<std::string>(&v);
  if (!s) return std::nullopt;
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), id);
  if (ec != std::errc() || p != s->data() + s->size() || id <= 0) return std::nullopt;
  return id;
}

// The macro's actions as ticket changes. Actions are read with the rule parser, so a macro
// accepts exactly what a trigger's actions accept, with the same error paths.
Result<TicketChanges> macro_changes(std::string_view actions_json, const Catalog& catalog) {
  boost::system::error_code ec;
  auto actions = boost::json::parse(actions_json, ec);
  if (ec) return fail(ErrorCode::kInvalidArgument, "must be a list of actions", "actions");
  TicketChanges out;
  if (actions.is_array() && actions.as_array().empty()) return out;
  boost::json::object wrapper{
      {"id", "macro"},
      {"name", "macro"},
      {"conditions",
       boost::json::object{{"all", boost::json::array{boost::json::object{
                                       {"field", "subject"}, {"operator", "present"}}}}}},
      {"actions", actions}};
  GONGDAN_ASSIGN(auto rule, parse_rule(wrapper));
  for (std::size_t i = 0; i < rule.actions.size(); ++i) {
    const std::string path = "actions[" + std::to_string(i) + "]";
    const auto& a = rule.actions[i];
    if (const auto* set = std::get_if<SetFieldAction>(&a)) {
      const std::string text = fact_to_string(set->value);
      auto bad = [&] {
        return fail(ErrorCode::kInvalidArgument, "not a valid " + set->field + ": '" + text + "'",
                    path + ".value");
      };
      if (set->field == "status") {
        const Status* found = nullptr;
        for (const auto& s : catalog.statuses)
          if (s.active && s.name == text) found = &s;
        if (!found) return bad();
        out.status_id = found->id;
      } else if (set->field == "priority") {
        auto p = parse_priority(text);
        if (!p) return bad();
        out.priority = *p;
      } else if (set->field == "type") {
        auto t = parse_type(text);
        if (!t) return bad();
        out.type = *t;
      } else if (set->field == "department") {
        auto id = macro_id_value(set->value);
        if (!id || !catalog.department(*id)) return bad();
        out.department_id = std::optional<std::int64_t>(*id);
      } else if (set->field == "assignee") {
        auto id = macro_id_value(set->value);
        if (!id) return bad();
        out.assignee_id = std::optional<std::int64_t>(*id);
      } else {
        return fail(ErrorCode::kInvalidArgument,
                    "set_field supports status, priority, type, department and assignee",
                    path + ".field");
      }
    } else if (const auto* assign = std::get_if<AssignAction>(&a)) {
      auto id = macro_id_value(assign->agent);
      if (assign->strategy != AssignStrategy::kAgent || !id)
        return fail(ErrorCode::kInvalidArgument, "assign needs an agent id", path);
      out.assignee_id = std::optional<std::int64_t>(*id);
    } else if (const auto* add = std::get_if<AddTagsAction>(&a)) {
      out.add_tags.insert(out.add_tags.end(), add->tags.begin(), add->tags.end());
    } else if (const auto* remove = std::get_if<RemoveTagsAction>(&a)) {
      out.remove_tags.insert(out.remove_tags.end(), remove->tags.begin(), remove->tags.end());
    } else {
      return fail(
          ErrorCode::kInvalidArgument,
          "the action '" + std::string(action_type_name(a)) + "' is not supported in macros yet",
          path + ".type");
    }
  }
  return out;
}

}  // namespace

Result<void> MacrosService::may_change(const Principal& who, const store::MacroRow& row) {
  if (row.owner_id ? *row.owner_id == who.user.id : who.is_admin()) return {};
  return fail(ErrorCode::kPermissionDenied, row.owner_id ? "this is another agent's macro"
                                                         : "only admins may change shared macros");
}

Result<void> MacrosService::validate(store::MacroRow& row, const MacroInput& in, bool creating) {
  if (in.name) {
    row.name = text::strip_controls(text::trim(*in.name));
    if (row.name.empty() || row.name.size() > 200 || !text::is_valid_utf8(row.name))
      return fail(ErrorCode::kInvalidArgument, "must be 1 to 200 bytes of text", "name");
  } else if (creating) {
    return fail(ErrorCode::kInvalidArgument, "is required", "name");
  }
  if (in.reply) {
    if (in.reply->size() > 64 * 1024 || !text::is_valid_utf8(*in.reply))
      return fail(ErrorCode::kInvalidArgument, "must be at most 64 KiB of text", "reply");
    auto issues = validate_template(*in.reply);
    if (!issues.empty()) return fail(ErrorCode::kInvalidArgument, issues.front().message, "reply");
    row.reply = *in.reply;
  }
  if (in.reply_internal) row.reply_internal = *in.reply_internal;
  if (in.actions) row.actions = boost::json::serialize(*in.actions);
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  GONGDAN_ASSIGN(auto changes, macro_changes(row.actions, *catalog));
  if (changes.empty() && text::trim(row.reply).empty())
    return fail(ErrorCode::kInvalidArgument, "a macro needs actions or a reply", "actions");
  return {};
}

Result<std::vector<store::MacroRow>> MacrosService::list(const Principal& who) {
  if (!who.is_agent()) return fail(ErrorCode::kPermissionDenied, "only agents have macros");
  GONGDAN_ASSIGN(auto out, store::read_value(db_, [&](store::Connection& c) {
                   return store::list_macros(c, who.user.id);
                 }));
  return out;
}

Result<store::MacroRow> MacrosService::get(const Principal& who, std::int64_t id) {
  if (!who.is_agent()) return fail(ErrorCode::kPermissionDenied, "only agents have macros");
  GONGDAN_ASSIGN(auto row, store::read_value(db_, [&](store::Connection& c) {
                   return store::find_macro(c, id);
                 }));
  // Another agent's personal macro does not exist for you.
  if (!row || (row->owner_id && *row->owner_id != who.user.id))
    return fail(ErrorCode::kNotFound, "no such macro");
  return *row;
}

Result<store::MacroRow> MacrosService::create(const Principal& who, const MacroInput& in) {
  if (!who.is_agent()) return fail(ErrorCode::kPermissionDenied, "only agents have macros");
  store::MacroRow row;
  if (in.shared.value_or(false)) {
    if (!who.is_admin())
      return fail(ErrorCode::kPermissionDenied, "only admins may share macros", "shared");
  } else {
    if (!who.user.id) return fail(ErrorCode::kInvalidArgument, "a personal macro needs an owner");
    row.owner_id = who.user.id;
  }
  GONGDAN_TRY(validate(row, in, true));
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    row.created_at = row.updated_at = clock_.now_ms();
    GONGDAN_ASSIGN(row.id, store::insert_macro(c, row));
    return record_audit(c, row.created_at, actor_id(who), "macro.create",
                        "macro:" + std::to_string(row.id), who.ip);
  }));
  return row;
}

Result<store::MacroRow> MacrosService::update(const Principal& who, std::int64_t id,
                                              const MacroInput& in) {
  GONGDAN_ASSIGN(auto row, get(who, id));
  GONGDAN_TRY(may_change(who, row));
  if (in.shared) return fail(ErrorCode::kInvalidArgument, "a macro keeps its owner", "shared");
  GONGDAN_TRY(validate(row, in, false));
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    row.updated_at = clock_.now_ms();
    GONGDAN_ASSIGN(bool saved, store::update_macro(c, row));
    if (!saved) return fail(ErrorCode::kNotFound, "no such macro");
    return {};
  }));
  return row;
}

Result<void> MacrosService::remove(const Principal& who, std::int64_t id) {
  GONGDAN_ASSIGN(auto row, get(who, id));
  GONGDAN_TRY(may_change(who, row));
  return db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(bool removed, store::delete_macro(c, id));
    if (!removed) return fail(ErrorCode::kNotFound, "no such macro");
    return record_audit(c, clock_.now_ms(), actor_id(who), "macro.delete",
                        "macro:" + std::to_string(id), who.ip);
  });
}

Result<Ticket> MacrosService::apply(const Principal& who, std::int64_t number, std::int64_t id) {
  GONGDAN_ASSIGN(auto macro, get(who, id));
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  GONGDAN_ASSIGN(auto changes, macro_changes(macro.actions, *catalog));
  GONGDAN_ASSIGN(auto ticket, tickets_.get(who, number));
  if (text::trim(macro.reply).empty()) {
    if (changes.empty()) return ticket;
    return tickets_.update(who, number, changes, std::nullopt);
  }
  NewMessage reply;
  reply.body = render_template(macro.reply, ticket_facts(ticket, *catalog, nullptr, "update"),
                               EscapeContext::kPlainText);
  reply.internal = macro.reply_internal;
  if (!changes.empty()) reply.changes = changes;
  GONGDAN_TRY(tickets_.add_message(who, number, std::move(reply)));
  return tickets_.get(who, number);
}

}  // namespace gongdan::services
