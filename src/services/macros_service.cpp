#include "services/macros_service.hpp"

#include "domain/rule.hpp"
#include "domain/template.hpp"
#include "services/audit.hpp"
#include "services/automation_actions.hpp"
#include "services/kb_links.hpp"
#include "services/triggers_service.hpp"
#include "store/database.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

std::optional<std::int64_t> macro_id_value(const FactValue& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  const auto* s = std::get_if<std::string>(&v);
  return s ? text::parse_id(*s) : std::nullopt;
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

const Resource<Macro>& macro_resource() {
  static const Resource<Macro> r = declare<Macro>(
      resource_info("macros", "macro", {"Macros", "宏"}, "automation")
          .order_by("name, id")
          .written_by(Audience::kAgents)
          .personal()
          .ops({.remove = true}),
      {field_of(&Macro::id, id_field()), field_of(&Macro::name, name_field()),
       unheld<Macro>(shared_field()), field_of(&Macro::owner_id, owner_field()),
       field_of(&Macro::actions,
                json_field("actions", {"Actions", "动作"},
                           {"Trigger actions: set_field, add_tags, remove_tags, assign.",
                            "触发器动作：set_field、add_tags、remove_tags、assign。"})
                    .schema(R"({"type": "array", "items": {"type": "object"}})",
                            R"([{"type": "set_field", "field": "status", "value": "Solved"}])")),
       field_of(&Macro::reply,
                long_text_field("reply", {"Reply", "回复"},
                                {"A template: {{ticket.number}}, {{requester.name}} …; "
                                 "{{kb.article.12}} is a help centre article's title and "
                                 "address in the ticket's language.",
                                 "模板：{{ticket.number}}、{{requester.name}} …；"
                                 "{{kb.article.12}} 按工单的语言给出帮助中心文章的标题和地址。"})),
       field_of(&Macro::reply_internal,
                switch_field("reply_internal", {"Reply as an internal note", "以内部备注回复"})),
       field_of(&Macro::created_at, time_field("created_at")),
       field_of(&Macro::updated_at, time_field("updated_at"))});
  return r;
}

Result<void> MacrosService::check(Macro& macro) {
  auto issues = validate_template(macro.reply);
  if (!issues.empty()) return fail(ErrorCode::kInvalidArgument, issues.front().message, "reply");
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  GONGDAN_ASSIGN(auto changes, macro_changes(boost::json::serialize(macro.actions), *catalog));
  if (changes.empty() && text::trim(macro.reply).empty())
    return fail(ErrorCode::kInvalidArgument, "a macro needs actions or a reply", "actions");
  return {};
}

void MacrosService::add_to(Resources& resources) {
  auto checked = [this](store::Connection& c, const Principal&, Macro& macro,
                        const Macro*) -> Result<void> {
    GONGDAN_TRY(check(macro));
    return check_kb_links(c, macro.reply, "reply");
  };
  items_ = &resources.add(macro_resource(), {.check = checked});
}

Result<Ticket> MacrosService::apply(const Principal& who, std::int64_t number, std::int64_t id) {
  GONGDAN_ASSIGN(auto values, items_->find(who, id));
  GONGDAN_ASSIGN(auto macro, macro_resource().make(values));
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  GONGDAN_ASSIGN(auto changes, macro_changes(boost::json::serialize(macro.actions), *catalog));
  GONGDAN_ASSIGN(auto ticket, tickets_.get(who, number));
  if (text::trim(macro.reply).empty()) {
    if (changes.empty()) return ticket;
    return tickets_.update(who, number, changes, std::nullopt);
  }
  NewMessage reply;
  // The people's names and addresses ({{requester.name}}, {{assignee.email}}) as a trigger's
  // note and mail have them, not only the ticket's own fields.
  GONGDAN_ASSIGN(auto facts, store::read_value(db_, [&](store::Connection& c) -> Result<FactMap> {
                   GONGDAN_ASSIGN(auto f, template_facts(c, ticket, *catalog));
                   const auto reader =
                       macro.reply_internal ? KbReader::kAgent : KbReader::kCustomer;
                   GONGDAN_TRY(add_kb_link_facts(c, macro.reply, ticket, reader,
                                                 tickets_.site().public_url, f));
                   GONGDAN_TRY(add_site_facts(c, macro.reply, ticket, reader, tickets_.site(), f));
                   return f;
                 }));
  reply.body = render_template(macro.reply, facts, EscapeContext::kPlainText);
  reply.internal = macro.reply_internal;
  if (!changes.empty()) reply.changes = changes;
  GONGDAN_TRY(tickets_.add_message(who, number, std::move(reply)));
  return tickets_.get(who, number);
}

}  // namespace gongdan::services
