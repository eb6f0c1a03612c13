#include "domain/resource.hpp"

#include <algorithm>

#include "util/enum_names.hpp"
#include "util/iso_time.hpp"
#include "util/text.hpp"

namespace gongdan {
namespace json = boost::json;

namespace {

constexpr std::size_t kMaxTextListItems = 1000;

Result<json::value> field_error(std::string message, const std::string& path) {
  return fail(ErrorCode::kInvalidArgument, std::move(message), path);
}

std::string choices_text(const FieldSpec& f) {
  std::string out;
  for (auto c : f.choices) out += (out.empty() ? "" : ", ") + std::string(c);
  return out;
}

// The JSON type a kJson field's schema names at its top ("object", "array"), if any.
std::string schema_type(const FieldSpec& f) {
  if (f.schema.empty()) return {};
  boost::system::error_code ec;
  auto schema = json::parse(f.schema, ec);
  if (ec || !schema.is_object()) return {};
  const auto* type = schema.as_object().if_contains("type");
  return type && type->is_string() ? std::string(type->get_string()) : std::string();
}

Result<json::value> check_text(const FieldSpec& f, const json::value& v, const std::string& path) {
  if (!v.is_string()) return field_error("must be a string", path);
  std::string_view raw = v.get_string();
  if (!text::is_valid_utf8(raw)) return field_error("must be UTF-8 text", path);
  std::string s = f.kind == FieldKind::kSecret     ? std::string(raw)
                  : f.kind == FieldKind::kLongText ? text::strip_controls(raw, true)
                                                   : text::strip_controls(text::trim(raw));
  const auto max = f.max_bytes();
  if (static_cast<std::int64_t>(s.size()) < f.min || static_cast<std::int64_t>(s.size()) > max) {
    if (f.min > 0)
      return field_error(
          "must be " + std::to_string(f.min) + " to " + std::to_string(max) + " bytes of text",
          path);
    return field_error("must be at most " + std::to_string(max) + " bytes", path);
  }
  return json::value(json::string(s));
}

Result<json::value> check_integer(const FieldSpec& f, const json::value& v,
                                  const std::string& path) {
  std::optional<std::int64_t> n;
  if (v.is_int64()) n = v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    n = static_cast<std::int64_t>(v.get_uint64());
  if (!n) return field_error("must be a whole number", path);
  if ((f.min != 0 || f.max != 0) && (*n < f.min || *n > f.max))
    return field_error("must be from " + std::to_string(f.min) + " to " + std::to_string(f.max),
                       path);
  return json::value(*n);
}

Result<json::value> check_list(const FieldSpec& f, const json::value& v, const std::string& path) {
  if (!v.is_array() || v.get_array().size() > kMaxTextListItems)
    return field_error("must be a list of at most " + std::to_string(kMaxTextListItems) + " texts",
                       path);
  json::array out;
  for (const auto& item : v.get_array()) {
    FieldSpec one = f;
    one.kind = FieldKind::kText;
    one.min = 1;
    auto checked = check_text(one, item, path);
    if (!checked) return checked;
    if (f.separator && checked->get_string().find(f.separator) != json::string::npos)
      return field_error("an item may not contain '" + std::string(1, f.separator) + "'", path);
    if (!f.choices.empty()) {
      const std::string_view chosen = checked->get_string();
      if (std::ranges::find(f.choices, chosen) == f.choices.end())
        return field_error("'" + std::string(chosen) + "' is none of: " + choices_text(f), path);
      if (std::ranges::find(out, *checked) != out.end())
        return field_error("'" + std::string(chosen) + "' is listed twice", path);
    }
    out.push_back(std::move(*checked));
  }
  return json::value(std::move(out));
}

Result<json::value> check_value(const FieldSpec& f, const json::value& v, const std::string& path) {
  if (v.is_null()) {
    if (f.nullable) return json::value(nullptr);
    return field_error("must not be null", path);
  }
  switch (f.kind) {
    case FieldKind::kText:
    case FieldKind::kLongText:
    case FieldKind::kSecret:
      return check_text(f, v, path);
    case FieldKind::kInteger:
      return check_integer(f, v, path);
    case FieldKind::kBoolean:
      if (!v.is_bool()) return field_error("must be true or false", path);
      return v;
    case FieldKind::kChoice:
      for (auto c : f.choices)
        if (v.is_string() && v.get_string() == c) return v;
      return field_error("must be one of: " + choices_text(f), path);
    case FieldKind::kReference:
      if (!v.is_int64() || v.get_int64() <= 0) return field_error("must be an id", path);
      return v;
    case FieldKind::kJson: {
      const auto type = schema_type(f);
      if (type == "object" && !v.is_object()) return field_error("must be an object", path);
      if (type == "array" && !v.is_array()) return field_error("must be a list", path);
      return v;
    }
    case FieldKind::kTextList:
      return check_list(f, v, path);
    case FieldKind::kId:
    case FieldKind::kTime:
      break;
  }
  return field_error("cannot be set", path);
}

// The field a body member names: a top-level one (`group` empty) or one of `group`'s members.
const FieldSpec* member_field(const ResourceInfo& info, std::string_view group,
                              std::string_view key) {
  for (const auto& f : info.fields)
    if (f.group == group && f.key == key) return &f;
  return nullptr;
}

bool is_group(const ResourceInfo& info, std::string_view key) {
  for (const auto& f : info.fields)
    if (f.group == key) return true;
  return false;
}

Result<void> read_member(const FieldSpec& f, const json::value& v, const std::string& path,
                         bool creating, Values& out) {
  if (!f.writable(creating))
    return fail(ErrorCode::kInvalidArgument,
                f.create_only && !creating ? "cannot be changed" : "cannot be set", path);
  GONGDAN_ASSIGN(out[f.key], check_value(f, v, path));
  return {};
}

// The generated secret whose "rotate_<key>" this is, if any.
const FieldSpec* rotated_field(const ResourceInfo& info, std::string_view member) {
  for (const auto& f : info.fields)
    if (f.kind == FieldKind::kSecret && f.generated && f.group.empty() && f.rotate_key() == member)
      return &f;
  return nullptr;
}

Result<void> read_rotate(const FieldSpec& f, const json::value& v, const json::object& given,
                         bool creating, Values& out) {
  const auto path = f.rotate_key();
  if (creating) return fail(ErrorCode::kInvalidArgument, "only for a change", path);
  if (!v.is_bool()) return fail(ErrorCode::kInvalidArgument, "must be true or false", path);
  if (v.get_bool() && given.contains(f.key))
    return fail(ErrorCode::kInvalidArgument,
                "send a " + std::string(f.key) + " or " + path + ", not both", path);
  if (v.get_bool()) out[path] = true;
  return {};
}

constexpr Named<FieldKind> kFieldKinds[] = {{FieldKind::kId, "id"},
                                            {FieldKind::kText, "text"},
                                            {FieldKind::kLongText, "long_text"},
                                            {FieldKind::kInteger, "integer"},
                                            {FieldKind::kBoolean, "boolean"},
                                            {FieldKind::kChoice, "choice"},
                                            {FieldKind::kReference, "reference"},
                                            {FieldKind::kJson, "json"},
                                            {FieldKind::kTextList, "text_list"},
                                            {FieldKind::kSecret, "secret"},
                                            {FieldKind::kTime, "time"}};
constexpr Named<Audience> kAudiences[] = {{Audience::kSignedIn, "signed_in"},
                                          {Audience::kAgents, "agents"},
                                          {Audience::kWritingAgents, "writing_agents"},
                                          {Audience::kUserManagers, "user_managers"},
                                          {Audience::kAdmins, "admins"}};
constexpr Named<Change> kChanges[] = {
    {Change::kCreate, "create"}, {Change::kUpdate, "update"}, {Change::kRemove, "delete"}};

}  // namespace

std::string_view field_kind_name(FieldKind type) { return name_in(kFieldKinds, type, "text"); }

std::string_view audience_name(Audience audience) {
  return name_in(kAudiences, audience, "admins");
}

std::string_view change_name(Change change) { return name_in(kChanges, change, "update"); }

std::int64_t FieldSpec::max_bytes() const {
  if (max > 0) return max;
  if (kind == FieldKind::kLongText) return 64 * 1024;
  if (kind == FieldKind::kSecret) return 1024;
  return 200;
}

Words label_of(const FieldSpec& f) {
  if (!f.label.en.empty()) return f.label;
  if (f.kind == FieldKind::kId) return {"ID", "编号"};
  if (f.key == "created_at") return {"Created", "创建时间"};
  if (f.key == "updated_at") return {"Updated", "更新时间"};
  return {f.key, f.key};
}

const FieldSpec* ResourceInfo::field(std::string_view key) const {
  for (const auto& f : fields)
    if (f.key == key) return &f;
  return nullptr;
}

Error ResourceInfo::not_found() const {
  // The noun is also the audit action's prefix ("mail_template"); people read words.
  std::string words(noun);
  std::ranges::replace(words, '_', ' ');
  return Error{ErrorCode::kNotFound, "no such " + words, {}, 0};
}

std::string_view ResourceInfo::id_key() const {
  for (const auto& f : fields)
    if (f.kind == FieldKind::kId) return f.key;
  return "id";
}

void ResourceInfo::complete() {
  if (path.empty()) path = "/api/v1/" + std::string(name);
  if (table.empty()) table = name;
}

std::string ResourceInfo::item_route() const {
  return item_path.empty() ? path + "/{id}" : std::string(item_path);
}

std::string_view ResourceInfo::item_param() const {
  if (item_path.empty()) return "id";
  const auto open = item_path.rfind('{');
  const auto close = item_path.find('}', open);
  if (open == std::string_view::npos || close == std::string_view::npos) return "id";
  return item_path.substr(open + 1, close - open - 1);
}

Result<Values> read_body(const ResourceInfo& info, const json::value& body, bool creating) {
  json::object given;
  if (!info.body_field.empty())
    given[info.body_field] = body;
  else if (body.is_object())
    given = body.get_object();
  else
    return fail(ErrorCode::kInvalidArgument, "the body must be a JSON object");
  Values out;
  for (const auto& entry : given) {
    const std::string key(entry.key());
    if (const auto* f = rotated_field(info, key)) {
      GONGDAN_TRY(read_rotate(*f, entry.value(), given, creating, out));
      continue;
    }
    if (const auto* f = member_field(info, {}, key)) {
      GONGDAN_TRY(read_member(*f, entry.value(), key, creating, out));
      continue;
    }
    if (!is_group(info, key)) return fail(ErrorCode::kInvalidArgument, "unknown field", key);
    if (!entry.value().is_object())
      return fail(ErrorCode::kInvalidArgument, "must be an object", key);
    for (const auto& inner : entry.value().get_object()) {
      const std::string path = key + "." + std::string(inner.key());
      const auto* f = member_field(info, key, inner.key());
      if (!f) return fail(ErrorCode::kInvalidArgument, "unknown field", path);
      GONGDAN_TRY(read_member(*f, inner.value(), path, creating, out));
    }
  }
  if (creating) GONGDAN_TRY(require_fields(info, out));
  return out;
}

Result<void> require_fields(const ResourceInfo& info, const Values& given) {
  for (const auto& f : info.fields) {
    if (!f.required || !f.writable(true) || given.contains(f.key)) continue;
    const std::string path =
        f.group.empty() ? std::string(f.key) : std::string(f.group) + "." + std::string(f.key);
    return fail(ErrorCode::kInvalidArgument, "is required", path);
  }
  return {};
}

json::object describe(const ResourceInfo& info, const Values& values) {
  json::object out;
  for (const auto& f : info.fields) {
    const auto* v = values.if_contains(f.key);
    if (!v || f.hidden) continue;
    json::object* group = &out;
    if (!f.group.empty()) {
      auto& g = out[f.group];
      if (!g.is_object()) g = json::object{};
      group = &g.as_object();
    }
    json::object& into = *group;
    if (f.kind == FieldKind::kSecret) {
      const std::string shown =
          f.shown_as.empty() ? "has_" + std::string(f.key) : std::string(f.shown_as);
      into[shown] = v->is_string() && !v->get_string().empty();
    } else if (f.kind == FieldKind::kId && !info.keyed.defaults.empty() && v->is_int64() &&
               v->get_int64() == 0) {
      into[f.key] = json::string(info.keyed.defaults);
    } else if (f.kind == FieldKind::kTime) {
      into[f.key] = v->is_int64() ? json::value(json::string(iso_time(v->get_int64())))
                                  : json::value(nullptr);
    } else {
      into[f.key] = *v;
    }
  }
  return out;
}

namespace {

FieldBuilder made(FieldKind kind, std::string_view key, Words label, Words help) {
  return FieldBuilder({.key = key, .kind = kind, .label = label, .help = help});
}

}  // namespace

FieldBuilder text_field(std::string_view key, Words label, Words help) {
  return made(FieldKind::kText, key, label, help);
}
FieldBuilder long_text_field(std::string_view key, Words label, Words help) {
  return made(FieldKind::kLongText, key, label, help);
}
FieldBuilder integer_field(std::string_view key, Words label, Words help) {
  return made(FieldKind::kInteger, key, label, help);
}
FieldBuilder switch_field(std::string_view key, Words label, Words help) {
  return made(FieldKind::kBoolean, key, label, help);
}
FieldBuilder json_field(std::string_view key, Words label, Words help) {
  return made(FieldKind::kJson, key, label, help);
}
FieldBuilder list_field(std::string_view key, Words label, Words help) {
  return made(FieldKind::kTextList, key, label, help);
}
FieldBuilder secret_field(std::string_view key, Words label, Words help) {
  return made(FieldKind::kSecret, key, label, help);
}
FieldBuilder time_field(std::string_view key, Words label) {
  return made(FieldKind::kTime, key, label, {});
}
FieldBuilder id_field(std::string_view key) { return made(FieldKind::kId, key, {}, {}); }

FieldBuilder choice_field(std::string_view key, Words label, std::vector<std::string_view> choices,
                          Words help) {
  FieldSpec f = made(FieldKind::kChoice, key, label, help);
  f.choices = std::move(choices);
  return FieldBuilder(std::move(f));
}

FieldBuilder reference_field(std::string_view key, std::string_view resource, Words label,
                             Words help) {
  FieldSpec f = made(FieldKind::kReference, key, label, help);
  f.references = resource;
  return FieldBuilder(std::move(f));
}

FieldBuilder name_field(std::int64_t max) {
  return text_field("name", {"Name", "名称"}).required().range(1, max);
}

FieldBuilder unique_name_field(std::int64_t max) { return name_field(max).fold_case(); }

FieldBuilder position_field(Words help, std::string_view default_json) {
  return integer_field("position", {"Position", "排序"}, help)
      .range(-100000, 100000)
      .default_json(default_json);
}

FieldBuilder active_field() {
  return switch_field("active", {"Active", "启用"}).default_json("true");
}

FieldBuilder department_field(Words help) {
  return reference_field("department", "departments", {"Department", "部门"}, help)
      .column("department_id")
      .nullable();
}

FieldBuilder owner_field() {
  return reference_field("owner_id", "agents", {"Owner", "所有者"}).read_only().nullable();
}

FieldBuilder shared_field() {
  return switch_field("shared", {"Shared with every agent", "共享给所有客服"},
                      {"Only admins share; a personal one is yours alone.",
                       "只有管理员可以共享；个人的仅自己可见。"})
      .column("-")
      .create_only()
      .default_json("false");
}

InfoBuilder resource_info(std::string_view name, std::string_view noun, Words title,
                          std::string_view tag) {
  return InfoBuilder({.name = name, .noun = noun, .title = title, .tag = tag});
}

}  // namespace gongdan
