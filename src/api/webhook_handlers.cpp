// A webhook's delivery log (the subscriptions themselves are the declared resource `webhooks`).
#include <charconv>

#include "api/context.hpp"
#include "api/json.hpp"
#include "api/router.hpp"

namespace gongdan::api {
namespace {

Result<std::int64_t> webhook_id(const Request& request) {
  auto text = request.param("id");
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id <= 0)
    return fail(ErrorCode::kNotFound, "no such webhook");
  return id;
}

Response deliveries(ApiContext& ctx, Request& request) {
  auto id = webhook_id(request);
  if (!id) return error_response(id.error());
  auto page = page_request(request);
  if (!page) return error_response(page.error());
  auto rows = ctx.webhooks.deliveries(request.who(), *id, page->after, page->limit + 1);
  if (!rows) return error_response(rows.error());
  json::value next = nullptr;
  if (static_cast<int>(rows->size()) > page->limit) {
    rows->resize(page->limit);
    next = json::string(encode_cursor(rows->back().id));
  }
  json::array items;
  for (const auto& d : *rows)
    items.push_back(json::object{
        {"id", d.id},
        {"job_id", d.job_id},
        {"delivery", d.delivery},
        {"event", d.event},
        {"attempt", d.attempt},
        {"at", iso_time(d.at)},
        {"status_code", d.status_code ? json::value(*d.status_code) : json::value(nullptr)},
        {"error", d.error},
        {"duration_ms", d.duration_ms}});
  return json_response(200, json::object{{"items", std::move(items)}, {"next_cursor", next}});
}

}  // namespace

void add_webhook_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/webhooks/{id}/deliveries", Access::kSignedIn, "webhooks",
             "Delivery attempts of a webhook, newest first, with response codes",
             [&ctx](Request& r) { return deliveries(ctx, r); });
}

}  // namespace gongdan::api
