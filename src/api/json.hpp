// Reading JSON request bodies strictly (unknown fields, wrong types and invalid UTF-8 are
// errors that name the field) and writing JSON responses.
#pragma once

#include <boost/json.hpp>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/request.hpp"
#include "util/clock.hpp"
#include "util/iso_time.hpp"
#include "util/result.hpp"

namespace gongdan::api {

namespace json = boost::json;

// Parses a body that must be JSON (nested at most 32 deep).
Result<json::value> parse_json(std::string_view body);
// Parses a body that must be a JSON object whose keys are all in `allowed`.
Result<json::object> parse_object(std::string_view body, std::span<const std::string_view> allowed);
inline Result<json::object> parse_object(std::string_view body,
                                         std::initializer_list<std::string_view> allowed) {
  return parse_object(body, std::span<const std::string_view>(allowed.begin(), allowed.size()));
}

Result<std::optional<std::string>> optional_string(const json::object& o, std::string_view key,
                                                   std::size_t max_length = 10000);
Result<std::string> required_string(const json::object& o, std::string_view key,
                                    std::size_t max_length = 10000);
Result<std::optional<bool>> optional_bool(const json::object& o, std::string_view key);
Result<std::optional<std::vector<std::string>>> optional_string_list(const json::object& o,
                                                                     std::string_view key);

using gongdan::iso_time;
json::value iso_time_or_null(const std::optional<Millis>& ms);
// Space-separated addresses (an outgoing mail's Cc or Bcc) as a JSON array.
json::array address_list(std::string_view spaced);
// An optional number (an id, a count) as itself, or null.
template <class T>
json::value or_null(const std::optional<T>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

Response json_response(unsigned status, const json::value& body);
Response no_content();
// The one place error codes become HTTP statuses.
Response error_response(const Error& error);
// A handler written as one Result, each step GONGDAN_ASSIGN: the answer, or the error answer of
// whichever step failed.
Response answer(Result<Response> result);
unsigned http_status(ErrorCode code);

// A positive id from the path parameter `name`; anything else is `not_found` (a bad id names
// nothing, like an unknown one).
Result<std::int64_t> path_id(const Request& request, std::string_view name, const Error& not_found);
// The same, with the not-found error "no such <what>".
Result<std::int64_t> path_id(const Request& request, std::string_view name, std::string_view what);

// Page size from ?limit= (default 50, at most 200) and an opaque ?cursor=.
struct PageRequest {
  int limit = 50;
  std::int64_t after = 0;
};
Result<PageRequest> page_request(const Request& request);
// ?limit: from 1 to `most`; none: `fallback`.
Result<int> page_limit(const Request& request, int fallback, int most = 200);
std::string encode_cursor(std::int64_t id);

// Lists are read with one row more than a page holds (page.limit + 1). Trims `rows` to the page
// and returns the next cursor: the last id shown when there are more, else null.
template <class Row>
json::value trim_page(std::vector<Row>& rows, int limit) {
  if (static_cast<int>(rows.size()) <= limit) return nullptr;
  rows.resize(limit);
  return json::string(encode_cursor(rows.back().id));
}

// The answer for a whole list: {"items": [to_json(row)…]}.
template <class Rows, class ToJson>
json::object items_answer(const Rows& rows, const ToJson& to_json) {
  json::array items;
  for (const auto& row : rows) items.push_back(to_json(row));
  return json::object{{"items", std::move(items)}};
}

// The answer for such a page: {"items": [to_json(row)…], "next_cursor": …}.
template <class Row, class ToJson>
json::object page_answer(std::vector<Row>& rows, int limit, const ToJson& to_json) {
  json::value next = trim_page(rows, limit);
  json::array items;
  for (const auto& row : rows) items.push_back(to_json(row));
  return json::object{{"items", std::move(items)}, {"next_cursor", std::move(next)}};
}

}  // namespace gongdan::api
