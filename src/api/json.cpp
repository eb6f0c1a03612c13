#include "api/json.hpp"

#include <chrono>
#include <utility>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "util/text.hpp"

namespace gongdan::api {

Result<json::value> parse_json(std::string_view body) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = 32;
  json::value value = json::parse(body, ec, {}, options);
  if (ec) return fail(ErrorCode::kInvalidArgument, "the body is not valid JSON: " + ec.message());
  return value;
}

Result<json::object> parse_object(std::string_view body,
                                  std::span<const std::string_view> allowed) {
  GONGDAN_ASSIGN(auto value, parse_json(body));
  if (!value.is_object())
    return fail(ErrorCode::kInvalidArgument, "the body must be a JSON object");
  auto& object = value.as_object();
  for (const auto& entry : object) {
    bool known = false;
    for (auto name : allowed) known = known || entry.key() == name;
    if (!known) return fail(ErrorCode::kInvalidArgument, "unknown field", std::string(entry.key()));
  }
  return std::move(object);
}

Result<std::optional<std::string>> optional_string(const json::object& o, std::string_view key,
                                                   std::size_t max_length) {
  auto it = o.find(key);
  if (it == o.end()) return std::optional<std::string>{};
  if (!it->value().is_string())
    return fail(ErrorCode::kInvalidArgument, "must be a string", std::string(key));
  const auto& s = it->value().get_string();
  if (s.size() > max_length)
    return fail(ErrorCode::kInvalidArgument, "is too long", std::string(key));
  return std::optional<std::string>(std::string(s));
}

Result<std::string> required_string(const json::object& o, std::string_view key,
                                    std::size_t max_length) {
  GONGDAN_ASSIGN(auto value, optional_string(o, key, max_length));
  if (!value) return fail(ErrorCode::kInvalidArgument, "is required", std::string(key));
  return std::move(*value);
}

Result<std::optional<bool>> optional_bool(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return std::optional<bool>{};
  if (!it->value().is_bool())
    return fail(ErrorCode::kInvalidArgument, "must be true or false", std::string(key));
  return std::optional<bool>(it->value().get_bool());
}

Result<std::optional<std::vector<std::string>>> optional_string_list(const json::object& o,
                                                                     std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return std::optional<std::vector<std::string>>{};
  if (!it->value().is_array())
    return fail(ErrorCode::kInvalidArgument, "must be a list of strings", std::string(key));
  std::vector<std::string> out;
  for (const auto& item : it->value().get_array()) {
    if (!item.is_string())
      return fail(ErrorCode::kInvalidArgument, "must be a list of strings", std::string(key));
    out.emplace_back(item.get_string());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

json::array address_list(std::string_view spaced) {
  json::array out;
  for (auto part : text::split(spaced, ' '))
    if (!part.empty()) out.emplace_back(part);
  return out;
}

json::value iso_time_or_null(const std::optional<Millis>& ms) {
  if (!ms) return nullptr;
  return json::string(iso_time(*ms));
}

Response json_response(unsigned status, const json::value& body) {
  Response r;
  r.status = status;
  r.body = json::serialize(body);
  return r;
}

Response no_content() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

unsigned http_status(ErrorCode code) {
  static constexpr std::pair<ErrorCode, unsigned> kStatuses[] = {
      {ErrorCode::kInvalidArgument, 400},  {ErrorCode::kUnauthenticated, 401},
      {ErrorCode::kPermissionDenied, 403}, {ErrorCode::kNotFound, 404},
      {ErrorCode::kConflict, 409},         {ErrorCode::kPreconditionFailed, 412},
      {ErrorCode::kPayloadTooLarge, 413},  {ErrorCode::kRateLimited, 429},
      {ErrorCode::kUnavailable, 503},      {ErrorCode::kInternal, 500}};
  for (const auto& [c, status] : kStatuses)
    if (c == code) return status;
  return 500;
}

Response error_response(const Error& error) {
  json::object inner{{"code", error_code_name(error.code)}, {"message", error.message}};
  if (!error.field.empty()) inner["field"] = error.field;
  auto r = json_response(http_status(error.code), json::object{{"error", std::move(inner)}});
  if (error.retry_after_seconds > 0)
    r.set_header("Retry-After", std::to_string(error.retry_after_seconds));
  return r;
}

Response answer(Result<Response> result) {
  return result ? std::move(*result) : error_response(result.error());
}

Result<int> page_limit(const Request& request, int fallback, int most) {
  auto limit = request.query_value("limit");
  if (!limit) return fallback;
  auto value = text::parse_integer<int>(*limit);
  if (!value || *value < 1 || *value > most)
    return fail(ErrorCode::kInvalidArgument,
                "limit must be a number from 1 to " + std::to_string(most), "limit");
  return *value;
}

Result<PageRequest> page_request(const Request& request) {
  PageRequest page;
  GONGDAN_ASSIGN(page.limit, page_limit(request, page.limit));
  if (auto cursor = request.query_value("cursor"); cursor && !cursor->empty()) {
    auto value = text::parse_integer(*cursor);
    if (!value || *value < 0)
      return fail(ErrorCode::kInvalidArgument, "the cursor is not valid", "cursor");
    page.after = *value;
  }
  return page;
}

std::string encode_cursor(std::int64_t id) { return std::to_string(id); }

Result<std::int64_t> path_id(const Request& request, std::string_view name,
                             const Error& not_found) {
  auto id = text::parse_id(request.param(name));
  if (!id) return fail(not_found);
  return *id;
}

Result<std::int64_t> path_id(const Request& request, std::string_view name, std::string_view what) {
  return path_id(request, name, Error{ErrorCode::kNotFound, "no such " + std::string(what)});
}

}  // namespace gongdan::api
