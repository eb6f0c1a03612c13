#include "api/resource_json.hpp"

namespace gongdan::api {
namespace json = boost::json;

namespace {

json::object words(Words w) { return json::object{{"en", w.en}, {"zh-CN", w.zh}}; }

json::value parsed(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return ec ? json::value(nullptr) : v;
}

json::object field_json(const FieldSpec& f, const Values& defaults) {
  json::object out{
      {"key", f.key},
      {"kind", field_kind_name(f.kind)},
      {"label", words(label_of(f))},
      {"required", f.required},
      {"create_only", f.create_only},
      {"read_only", f.read_only || f.kind == FieldKind::kId || f.kind == FieldKind::kTime},
      {"nullable", f.nullable}};
  if (!f.help.en.empty()) out["help"] = words(f.help);
  if (!f.group.empty()) out["group"] = f.group;
  if (f.kind == FieldKind::kText || f.kind == FieldKind::kLongText) {
    out["min_length"] = f.min;
    out["max_length"] = f.max_bytes();
  }
  if (f.kind == FieldKind::kInteger && (f.min != 0 || f.max != 0)) {
    out["minimum"] = f.min;
    out["maximum"] = f.max;
  }
  if (!f.choices.empty()) {
    json::array choices;
    for (auto c : f.choices) choices.emplace_back(c);
    out["choices"] = std::move(choices);
  }
  if (!f.references.empty()) out["references"] = f.references;
  if (!f.schema.empty()) out["schema"] = parsed(f.schema);
  if (!f.example.empty()) out["example"] = f.example;
  if (f.kind == FieldKind::kSecret)
    out["shown_as"] = f.shown_as.empty() ? "has_" + std::string(f.key) : std::string(f.shown_as);
  if (f.generated) out["generated"] = true;
  if (const auto* d = defaults.if_contains(f.key); d && f.writable(true)) out["default"] = *d;
  return out;
}

json::object value_schema(const FieldSpec& f) {
  json::object s;
  switch (f.kind) {
    case FieldKind::kId:
    case FieldKind::kReference:
      s = {{"type", "integer"}, {"minimum", 1}};
      break;
    case FieldKind::kInteger:
      s = {{"type", "integer"}};
      if (f.min != 0 || f.max != 0) {
        s["minimum"] = f.min;
        s["maximum"] = f.max;
      }
      break;
    case FieldKind::kBoolean:
      s = {{"type", "boolean"}};
      break;
    case FieldKind::kChoice: {
      json::array choices;
      for (auto c : f.choices) choices.emplace_back(c);
      s = {{"type", "string"}, {"enum", std::move(choices)}};
      break;
    }
    case FieldKind::kJson:
      s = f.schema.empty() ? json::object{} : parsed(f.schema).as_object();
      break;
    case FieldKind::kTextList:
      s = {{"type", "array"}, {"items", {{"type", "string"}, {"maxLength", 200}}}};
      if (!f.choices.empty()) {
        json::array choices;
        for (auto c : f.choices) choices.emplace_back(c);
        s = {{"type", "array"},
             {"items", {{"type", "string"}, {"enum", std::move(choices)}}},
             {"uniqueItems", true}};
      }
      break;
    case FieldKind::kTime:
      s = {{"type", "string"}, {"format", "date-time"}};
      break;
    case FieldKind::kText:
    case FieldKind::kLongText:
    case FieldKind::kSecret:
      s = {{"type", "string"}, {"maxLength", f.max_bytes()}};
      if (f.min > 0) s["minLength"] = f.min;
      break;
  }
  s["title"] = label_of(f).en;
  if (!f.help.en.empty()) s["description"] = f.help.en;
  if (f.nullable && s.contains("type")) s["type"] = json::array{s["type"], "null"};
  if (f.nullable && s.contains("enum")) s["enum"].as_array().emplace_back(nullptr);
  return s;
}

// Adds `schema` as `key` of `object` (or of its group's object).
void put(json::object& properties, const FieldSpec& f, std::string_view key, json::object schema,
         bool required, json::array& required_keys) {
  if (f.group.empty()) {
    properties[key] = std::move(schema);
    if (required) required_keys.emplace_back(key);
    return;
  }
  auto& group = properties[f.group];
  if (!group.is_object())
    group = json::object{
        {"type", "object"}, {"properties", json::object{}}, {"additionalProperties", false}};
  group.as_object()["properties"].as_object()[key] = std::move(schema);
}

// Keyed settings: whose they are, and the name of the defaults' id (null: none).
json::value keyed_json(const ResourceInfo& info) {
  if (!info.is_keyed()) return nullptr;
  return json::object{
      {"by", info.keyed.by},
      {"defaults", info.keyed.defaults.empty() ? json::value(nullptr)
                                               : json::value(json::string(info.keyed.defaults))}};
}

}  // namespace

json::object resource_json(const ResourceInfo& info, const Values& defaults) {
  json::array fields;
  for (const auto& f : info.fields) fields.push_back(field_json(f, defaults));
  return json::object{
      {"name", info.name},
      {"noun", info.noun},
      {"title", words(info.title)},
      {"path", info.path},
      {"read", audience_name(info.read)},
      {"write", audience_name(info.write)},
      {"personal", info.ownership == Ownership::kPersonal},
      {"paged", info.paged},
      {"body_field", info.body_field.empty() ? json::value(nullptr) : json::value(info.body_field)},
      {"item_path", info.item_route()},
      {"keyed", keyed_json(info)},
      {"operations",
       json::object{{"list", info.ops.list},
                    {"get", info.ops.get},
                    {"create", info.ops.create},
                    {"update", info.ops.update ? (info.ops.put || info.is_keyed() ? "PUT" : "PATCH")
                                               : json::value(nullptr)},
                    {"remove", info.ops.remove}}},
      {"fields", std::move(fields)}};
}

json::object item_schema(const ResourceInfo& info) {
  json::object properties;
  json::array required;
  for (const auto& f : info.fields) {
    if (f.hidden) continue;
    if (f.kind == FieldKind::kSecret) {
      const std::string shown =
          f.shown_as.empty() ? "has_" + std::string(f.key) : std::string(f.shown_as);
      put(properties, f, shown, json::object{{"type", "boolean"}}, true, required);
      if (f.generated)
        put(properties, f, f.key,
            json::object{{"type", "string"},
                         {"description",
                          "Only in the answer to the write that made it: a create, or a "
                          "change with rotate_" +
                              std::string(f.key)}},
            false, required);
      continue;
    }
    auto schema = value_schema(f);
    // Keyed settings name their defaults' id 0: "department": "default".
    if (f.kind == FieldKind::kId && !info.keyed.defaults.empty()) {
      json::array either{schema, json::object{{"const", info.keyed.defaults}}};
      schema = json::object{{"anyOf", std::move(either)}};
    }
    put(properties, f, f.key, std::move(schema), true, required);
  }
  return json::object{
      {"type", "object"}, {"properties", std::move(properties)}, {"required", std::move(required)}};
}

json::object body_schema(const ResourceInfo& info, bool creating) {
  json::object properties;
  json::array required;
  for (const auto& f : info.fields) {
    if (!f.writable(creating)) continue;
    put(properties, f, f.key, value_schema(f), creating && f.required, required);
    if (f.generated && !creating)
      put(properties, f, f.rotate_key(),
          json::object{{"type", "boolean"},
                       {"description", "Replace the " + std::string(f.key) +
                                           " with a new random one, shown in this answer"}},
          false, required);
  }
  if (!info.body_field.empty())
    if (const auto* f = info.field(info.body_field)) return value_schema(*f);
  json::object out{
      {"type", "object"}, {"properties", std::move(properties)}, {"additionalProperties", false}};
  if (!required.empty()) out["required"] = std::move(required);
  return out;
}

}  // namespace gongdan::api
