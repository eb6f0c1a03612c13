#include "api/ticket_body.hpp"

#include "domain/attachment.hpp"
#include "markup/html_sanitizer.hpp"
#include "markup/html_text.hpp"

namespace gongdan::api {

Result<std::optional<std::int64_t>> optional_id(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::optional<std::int64_t>{};
  if (!it->value().is_int64() || it->value().as_int64() <= 0)
    return fail(ErrorCode::kInvalidArgument, "must be a positive id", std::string(key));
  return std::optional<std::int64_t>(it->value().as_int64());
}

Result<std::optional<std::optional<std::int64_t>>> optional_nullable_id(const json::object& o,
                                                                        std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return std::optional<std::optional<std::int64_t>>{};
  if (it->value().is_null())
    return std::optional<std::optional<std::int64_t>>(std::optional<std::int64_t>{});
  if (!it->value().is_int64() || it->value().as_int64() <= 0)
    return fail(ErrorCode::kInvalidArgument, "must be a positive id or null", std::string(key));
  return std::optional<std::optional<std::int64_t>>(it->value().as_int64());
}

Result<std::vector<std::int64_t>> id_array(const json::object& o, std::string_view key) {
  std::vector<std::int64_t> out;
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return out;
  if (!it->value().is_array())
    return fail(ErrorCode::kInvalidArgument, "must be a list of ids", std::string(key));
  for (const auto& v : it->value().as_array()) {
    if (!v.is_int64() || v.as_int64() <= 0)
      return fail(ErrorCode::kInvalidArgument, "must be a list of ids", std::string(key));
    out.push_back(v.as_int64());
  }
  if (out.size() > 100)
    return fail(ErrorCode::kInvalidArgument, "at most 100 items", std::string(key));
  return out;
}

namespace {

template <class E>
Result<std::optional<E>> optional_enum(const json::object& o, std::string_view key,
                                       std::optional<E> (*parse)(std::string_view),
                                       std::string_view allowed) {
  GONGDAN_ASSIGN(auto name, optional_string(o, key, 32));
  if (!name) return std::optional<E>{};
  auto value = parse(*name);
  if (!value)
    return fail(ErrorCode::kInvalidArgument, "must be one of " + std::string(allowed),
                std::string(key));
  return std::optional<E>(*value);
}

Result<std::optional<json::object>> optional_object(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::optional<json::object>{};
  if (!it->value().is_object())
    return fail(ErrorCode::kInvalidArgument, "must be an object", std::string(key));
  return std::optional<json::object>(it->value().as_object());
}

}  // namespace

void sanitize_message_html(std::string& body, std::string& html) {
  if (html.empty()) return;
  // Images pasted into the desk's editor are uploaded attachments, shown by their download path
  // (/api/v1/attachments/12); the download checks who may see them, and mail carries them as
  // inline parts (services/outbox_service).
  markup::SanitizeOptions options;
  options.local_files_prefix = kAttachmentPath;
  html = markup::sanitize_html(html, options);
  if (body.empty()) body = markup::html_to_text(html);
}

Result<services::NewTicket> read_new_ticket(const json::object& body) {
  services::NewTicket t;
  GONGDAN_ASSIGN(t.subject, required_string(body, "subject", 2000));
  GONGDAN_ASSIGN(auto text, optional_string(body, "body", 1 << 20));
  t.body = text.value_or("");
  GONGDAN_ASSIGN(auto html, optional_string(body, "html", 1 << 20));
  t.html = html.value_or("");
  if (auto it = body.find("requester"); it != body.end() && !it->value().is_null()) {
    if (!it->value().is_object())
      return fail(ErrorCode::kInvalidArgument, "must be {email, name}", "requester");
    const auto& r = it->value().as_object();
    for (const auto& e : r)
      if (e.key() != "email" && e.key() != "name")
        return fail(ErrorCode::kInvalidArgument, "unknown field",
                    "requester." + std::string(e.key()));
    services::Requester requester;
    auto email = required_string(r, "email", 254);
    if (!email) return fail(ErrorCode::kInvalidArgument, "is required", "requester.email");
    requester.email = *email;
    GONGDAN_ASSIGN(auto name, optional_string(r, "name", 200));
    requester.name = name.value_or("");
    t.requester = requester;
  }
  GONGDAN_ASSIGN(t.department_id, optional_id(body, "department"));
  GONGDAN_ASSIGN(t.assignee_id, optional_id(body, "assignee"));
  GONGDAN_ASSIGN(t.status_id, optional_id(body, "status"));
  GONGDAN_ASSIGN(t.priority, optional_enum<Priority>(body, "priority", parse_priority,
                                                     "low, normal, high, urgent"));
  GONGDAN_ASSIGN(t.type, optional_enum<TicketType>(body, "type", parse_type,
                                                   "question, incident, problem, task"));
  GONGDAN_ASSIGN(auto tags, optional_string_list(body, "tags"));
  if (tags) t.tags = *tags;
  GONGDAN_ASSIGN(auto fields, optional_object(body, "custom_fields"));
  if (fields) t.custom_fields = *fields;
  GONGDAN_ASSIGN(auto channel, optional_string(body, "channel", 32));
  if (channel) t.channel = *channel;
  GONGDAN_ASSIGN(t.attachment_ids, id_array(body, "attachments"));
  sanitize_message_html(t.body, t.html);
  return t;
}

Result<services::TicketChanges> read_ticket_changes(const json::object& body) {
  services::TicketChanges ch;
  GONGDAN_ASSIGN(ch.subject, optional_string(body, "subject", 2000));
  GONGDAN_ASSIGN(ch.status_id, optional_id(body, "status"));
  GONGDAN_ASSIGN(ch.priority, optional_enum<Priority>(body, "priority", parse_priority,
                                                      "low, normal, high, urgent"));
  GONGDAN_ASSIGN(ch.type, optional_enum<TicketType>(body, "type", parse_type,
                                                    "question, incident, problem, task"));
  GONGDAN_ASSIGN(ch.department_id, optional_nullable_id(body, "department"));
  GONGDAN_ASSIGN(ch.assignee_id, optional_nullable_id(body, "assignee"));
  GONGDAN_ASSIGN(ch.organization_id, optional_nullable_id(body, "organization"));
  GONGDAN_ASSIGN(ch.tags, optional_string_list(body, "tags"));
  GONGDAN_ASSIGN(auto add, optional_string_list(body, "add_tags"));
  if (add) ch.add_tags = *add;
  GONGDAN_ASSIGN(auto remove, optional_string_list(body, "remove_tags"));
  if (remove) ch.remove_tags = *remove;
  GONGDAN_ASSIGN(ch.custom_fields, optional_object(body, "custom_fields"));
  GONGDAN_ASSIGN(ch.add_followers, id_array(body, "add_followers"));
  GONGDAN_ASSIGN(ch.remove_followers, id_array(body, "remove_followers"));
  return ch;
}

}  // namespace gongdan::api
