// JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) written in C++, for the OpenAPI
// document:
//
//   object({{"name", string().max_length(200)},
//           {"scopes", array_of(enum_of({"read", "write", "mail"}))}}).require({"name"})
//
// A Schema is a value (a Boost.JSON object underneath); every modifier returns a changed copy, so
// one piece can be shared and extended. Objects are closed (additionalProperties: false) unless
// open(): the request parsers refuse unknown fields, and an answer's schema lists all it sends.
// Named schemas live in the router (Router::define_schema) and are used through ref("Name").
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gongdan::api::schema {

namespace json = boost::json;

class Schema {
 public:
  Schema() = default;  // {}: any JSON value
  explicit Schema(json::object value) : value_(std::move(value)) {}

  // Sets any keyword; the named modifiers below are shorthands for it.
  Schema with(std::string_view keyword, json::value value) const;

  Schema describe(std::string_view text) const { return with("description", json::string(text)); }
  Schema max_length(std::size_t bytes) const;  // counted in characters by JSON Schema
  Schema min_length(std::size_t length) const;
  Schema minimum(std::int64_t value) const;
  Schema maximum(std::int64_t value) const;
  Schema max_items(std::size_t count) const;
  Schema min_items(std::size_t count) const;
  Schema format(std::string_view name) const { return with("format", json::string(name)); }
  Schema example(json::value value) const;
  Schema pattern(std::string_view regex) const { return with("pattern", json::string(regex)); }

  // Objects: which properties must be present; require_all() for answers that always send all.
  Schema require(std::initializer_list<std::string_view> names) const;
  Schema require_all() const;
  // The same object with more properties (or some replaced); `required` is kept.
  Schema extend(std::initializer_list<std::pair<std::string_view, Schema>> properties) const;
  // The same object without some properties (they leave `required` too).
  Schema without(std::initializer_list<std::string_view> names) const;
  // Lets an object carry properties it does not list.
  Schema open() const;

  // The property names of an object schema, in order (e.g. for a strict parser's allow-list).
  std::vector<std::string> property_names() const;

  const json::object& value() const { return value_; }

 private:
  json::object value_;
};

Schema any();
Schema string();
Schema integer();
Schema number();
Schema boolean();
// An instant: "2026-11-28T15:30:00.000Z" (UTC, milliseconds).
Schema date_time();
// A calendar date: "2026-01-31".
Schema date();
// Bytes of a file (a multipart part or a whole body), in OpenAPI 3.1's way.
Schema binary();

Schema object(std::initializer_list<std::pair<std::string_view, Schema>> properties = {});
Schema object(const std::vector<std::pair<std::string_view, Schema>>& properties);
// An object whose keys are free and whose values all match `values`.
Schema map_of(Schema values);
Schema array_of(Schema items);
// The answers of a whole list and of a page of one (api/json.hpp items_answer, page_answer):
// {"items": [item…]} and {"items": [item…], "next_cursor": string or null}.
Schema items_of(Schema item);
Schema page_of(Schema item);
Schema enum_of(std::initializer_list<std::string_view> values);
Schema enum_of(const std::vector<std::string_view>& values);
Schema const_of(json::value value);
// A reference to a named schema: {"$ref": "#/components/schemas/<name>"}.
Schema ref(std::string_view name);
// The schema, or null.
Schema nullable(Schema schema);
Schema one_of(std::initializer_list<Schema> schemas);
Schema any_of(std::initializer_list<Schema> schemas);

// The named schemas a schema refers to (for checking that every reference resolves).
void collect_refs(const json::value& schema, std::vector<std::string>& names);

}  // namespace gongdan::api::schema
