#include "api/schema.hpp"

namespace gongdan::api::schema {
namespace {

Schema typed(std::string_view type) { return Schema(json::object{{"type", type}}); }

json::object& properties_of(json::object& o) {
  auto& p = o["properties"];
  if (!p.is_object()) p = json::object{};
  return p.as_object();
}

}  // namespace

Schema Schema::with(std::string_view keyword, json::value value) const {
  Schema copy = *this;
  copy.value_[keyword] = std::move(value);
  return copy;
}

// The server limits strings in UTF-8 bytes; maxLength counts characters, so the limit given here
// is the byte limit: never stricter than the server, and exact for ASCII.
Schema Schema::max_length(std::size_t bytes) const {
  return with("maxLength", static_cast<std::uint64_t>(bytes));
}
Schema Schema::min_length(std::size_t length) const {
  return with("minLength", static_cast<std::uint64_t>(length));
}
Schema Schema::minimum(std::int64_t value) const { return with("minimum", value); }
Schema Schema::maximum(std::int64_t value) const { return with("maximum", value); }
Schema Schema::max_items(std::size_t count) const {
  return with("maxItems", static_cast<std::uint64_t>(count));
}
Schema Schema::min_items(std::size_t count) const {
  return with("minItems", static_cast<std::uint64_t>(count));
}
Schema Schema::example(json::value value) const {
  return with("examples", json::array{std::move(value)});
}

Schema Schema::require(std::initializer_list<std::string_view> names) const {
  Schema copy = *this;
  auto& required = copy.value_["required"];
  if (!required.is_array()) required = json::array{};
  for (auto name : names) {
    bool present = false;
    for (const auto& have : required.as_array()) present = present || have.as_string() == name;
    if (!present) required.as_array().emplace_back(name);
  }
  return copy;
}

Schema Schema::require_all() const {
  Schema copy = *this;
  json::array required;
  if (auto* p = value_.if_contains("properties"); p && p->is_object())
    for (const auto& entry : p->as_object()) required.emplace_back(entry.key());
  copy.value_["required"] = std::move(required);
  return copy;
}

Schema Schema::extend(std::initializer_list<std::pair<std::string_view, Schema>> properties) const {
  Schema copy = *this;
  auto& p = properties_of(copy.value_);
  for (const auto& [name, schema] : properties) p[name] = schema.value();
  return copy;
}

Schema Schema::without(std::initializer_list<std::string_view> names) const {
  Schema copy = *this;
  auto& p = properties_of(copy.value_);
  for (auto name : names) p.erase(name);
  if (auto* required = copy.value_.if_contains("required"); required && required->is_array()) {
    json::array kept;
    for (const auto& have : required->as_array()) {
      bool dropped = false;
      for (auto name : names) dropped = dropped || have.as_string() == name;
      if (!dropped) kept.push_back(have);
    }
    *required = std::move(kept);
  }
  return copy;
}

Schema Schema::open() const {
  Schema copy = *this;
  copy.value_.erase("additionalProperties");
  return copy;
}

std::vector<std::string> Schema::property_names() const {
  std::vector<std::string> names;
  if (auto* p = value_.if_contains("properties"); p && p->is_object())
    for (const auto& entry : p->as_object()) names.emplace_back(entry.key());
  return names;
}

Schema any() { return Schema(); }
Schema string() { return typed("string"); }
Schema integer() { return typed("integer"); }
Schema number() { return typed("number"); }
Schema boolean() { return typed("boolean"); }
Schema date_time() { return string().format("date-time"); }
Schema date() { return string().format("date"); }
Schema binary() { return string().with("contentMediaType", "application/octet-stream"); }

Schema object(std::initializer_list<std::pair<std::string_view, Schema>> properties) {
  return object(std::vector<std::pair<std::string_view, Schema>>(properties));
}

Schema object(const std::vector<std::pair<std::string_view, Schema>>& properties) {
  json::object p;
  for (const auto& [name, schema] : properties) p[name] = schema.value();
  return Schema(json::object{
      {"type", "object"}, {"properties", std::move(p)}, {"additionalProperties", false}});
}

Schema map_of(Schema values) {
  return Schema(json::object{{"type", "object"}, {"additionalProperties", values.value()}});
}

Schema array_of(Schema items) {
  return Schema(json::object{{"type", "array"}, {"items", items.value()}});
}

Schema items_of(Schema item) {
  return object({{"items", array_of(std::move(item))}}).require_all();
}

Schema page_of(Schema item) {
  return object({{"items", array_of(std::move(item))}, {"next_cursor", nullable(string())}})
      .require_all();
}

Schema enum_of(std::initializer_list<std::string_view> values) {
  return enum_of(std::vector<std::string_view>(values));
}

Schema enum_of(const std::vector<std::string_view>& values) {
  json::array list;
  for (auto v : values) list.emplace_back(v);
  return Schema(json::object{{"type", "string"}, {"enum", std::move(list)}});
}

Schema const_of(json::value value) { return Schema(json::object{{"const", std::move(value)}}); }

Schema ref(std::string_view name) {
  return Schema(json::object{{"$ref", "#/components/schemas/" + std::string(name)}});
}

// A plain typed schema takes "null" among its types (and its enum); anything else (a reference,
// a combination) becomes anyOf [it, null], which generators read as "T | null" either way.
Schema nullable(Schema schema) {
  json::object o = schema.value();
  auto* type = o.if_contains("type");
  if (type && type->is_string() && !o.contains("$ref")) {
    json::string name = type->as_string();
    *type = json::array{name, "null"};
    if (auto* values = o.if_contains("enum"); values && values->is_array())
      values->as_array().emplace_back(nullptr);
    return Schema(std::move(o));
  }
  return Schema(json::object{{"anyOf", json::array{std::move(o), json::object{{"type", "null"}}}}});
}

Schema one_of(std::initializer_list<Schema> schemas) {
  json::array list;
  for (const auto& s : schemas) list.push_back(s.value());
  return Schema(json::object{{"oneOf", std::move(list)}});
}

Schema any_of(std::initializer_list<Schema> schemas) {
  json::array list;
  for (const auto& s : schemas) list.push_back(s.value());
  return Schema(json::object{{"anyOf", std::move(list)}});
}

void collect_refs(const json::value& schema, std::vector<std::string>& names) {
  static constexpr std::string_view kPrefix = "#/components/schemas/";
  if (schema.is_array()) {
    for (const auto& item : schema.as_array()) collect_refs(item, names);
    return;
  }
  if (!schema.is_object()) return;
  for (const auto& entry : schema.as_object()) {
    if (entry.key() == "$ref" && entry.value().is_string()) {
      std::string_view target = entry.value().as_string();
      if (target.starts_with(kPrefix)) names.emplace_back(target.substr(kPrefix.size()));
    } else {
      collect_refs(entry.value(), names);
    }
  }
}

}  // namespace gongdan::api::schema
