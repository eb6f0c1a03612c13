#include "channels/import/rt_pages.hpp"

#include "util/text.hpp"

namespace gongdan::import {
namespace {

namespace json = boost::json;

Result<json::value> parse(std::string_view body) {
  if (!text::is_valid_utf8(body)) return fail(ErrorCode::kInvalidArgument, "not UTF-8 text");
  json::parse_options options;
  options.max_depth = 64;
  boost::system::error_code ec;
  auto v = json::parse(body, ec, {}, options);
  if (ec) return fail(ErrorCode::kInvalidArgument, "not JSON: " + ec.message());
  return v;
}

// RT writes page counts as integers, and "pages" as 0.0 for an empty collection.
std::int64_t number_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() < (std::uint64_t{1} << 62))
    return static_cast<std::int64_t>(v->get_uint64());
  if (v->is_double() && v->get_double() >= 0 && v->get_double() < 1e15)
    return static_cast<std::int64_t>(v->get_double());
  return 0;
}

}  // namespace

Result<std::string> read_rt_version(std::string_view body) {
  GONGDAN_ASSIGN(auto v, parse(body));
  const auto* o = v.if_object();
  const auto* version = o ? o->if_contains("Version") : nullptr;
  if (!version || !version->is_string() || version->get_string().empty())
    return fail(ErrorCode::kInvalidArgument, "no \"Version\" in the answer");
  return std::string(version->get_string());
}

Result<RtPage> read_rt_page(std::string_view body) {
  GONGDAN_ASSIGN(auto v, parse(body));
  auto* o = v.if_object();
  auto* items = o ? o->if_contains("items") : nullptr;
  if (!items || !items->is_array())
    return fail(ErrorCode::kInvalidArgument, "not a page of a REST2 collection (no \"items\")");
  RtPage page;
  page.page = number_of(*o, "page");
  page.pages = number_of(*o, "pages");
  for (auto& item : items->get_array()) {
    if (!item.is_object())
      return fail(ErrorCode::kInvalidArgument, "an item of the page is not a JSON object");
    page.items.push_back(std::move(item.get_object()));
  }
  return page;
}

std::string rt_items_json(const std::vector<boost::json::object>& items) {
  json::array all;
  all.reserve(items.size());
  for (const auto& item : items) all.emplace_back(item);
  return json::serialize(all);
}

}  // namespace gongdan::import
