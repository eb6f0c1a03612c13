// Webhook subscriptions (admins) and their delivery log.
#include <charconv>

#include "api/context.hpp"
#include "api/json.hpp"
#include "api/router.hpp"
#include "api/ticket_body.hpp"

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

json::object webhook_json(const store::WebhookRow& w) {
  json::array events;
  for (const auto& e : w.events) events.emplace_back(e);
  return json::object{
      {"id", w.id},
      {"url", w.url},
      {"format", w.format},
      {"events", std::move(events)},
      {"department", w.department_id ? json::value(*w.department_id) : json::value(nullptr)},
      {"template", w.template_text},
      {"description", w.description},
      {"active", w.active},
      {"created_at", iso_time(w.created_at)},
      {"updated_at", iso_time(w.updated_at)}};
}

Result<services::WebhookInput> read_input(const Request& request) {
  GONGDAN_ASSIGN(auto body, parse_object(request.body,
                                         {"url", "format", "events", "department", "secret",
                                          "template", "description", "active", "rotate_secret"}));
  services::WebhookInput in;
  GONGDAN_ASSIGN(in.url, optional_string(body, "url", 2000));
  GONGDAN_ASSIGN(in.format, optional_string(body, "format", 20));
  GONGDAN_ASSIGN(in.secret, optional_string(body, "secret", 200));
  GONGDAN_ASSIGN(in.template_text, optional_string(body, "template", 4000));
  GONGDAN_ASSIGN(in.description, optional_string(body, "description", 500));
  GONGDAN_ASSIGN(in.events, optional_string_list(body, "events"));
  GONGDAN_ASSIGN(in.department_id, optional_nullable_id(body, "department"));
  GONGDAN_ASSIGN(in.active, optional_bool(body, "active"));
  GONGDAN_ASSIGN(auto rotate, optional_bool(body, "rotate_secret"));
  in.rotate_secret = rotate.value_or(false);
  if (in.rotate_secret && in.secret)
    return fail(ErrorCode::kInvalidArgument, "send a secret or rotate_secret, not both",
                "rotate_secret");
  return in;
}

Response with_secret(unsigned status, const store::WebhookRow& w) {
  auto out = webhook_json(w);
  out["secret"] = w.secret;
  auto r = json_response(status, out);
  r.set_header("Cache-Control", "no-store");
  return r;
}

Response list(ApiContext& ctx, Request& request) {
  auto hooks = ctx.webhooks.list(request.who());
  if (!hooks) return error_response(hooks.error());
  json::array items;
  for (const auto& w : *hooks) items.push_back(webhook_json(w));
  return json_response(200, json::object{{"items", std::move(items)}});
}

Response create(ApiContext& ctx, Request& request) {
  auto in = read_input(request);
  if (!in) return error_response(in.error());
  if (in->rotate_secret)
    return error_response({ErrorCode::kInvalidArgument, "only for a change", "rotate_secret"});
  auto created = ctx.webhooks.create(request.who(), *in);
  if (!created) return error_response(created.error());
  return with_secret(201, *created);
}

Response get(ApiContext& ctx, Request& request) {
  auto id = webhook_id(request);
  if (!id) return error_response(id.error());
  auto hook = ctx.webhooks.get(request.who(), *id);
  if (!hook) return error_response(hook.error());
  return json_response(200, webhook_json(*hook));
}

Response update(ApiContext& ctx, Request& request) {
  auto id = webhook_id(request);
  if (!id) return error_response(id.error());
  auto in = read_input(request);
  if (!in) return error_response(in.error());
  auto updated = ctx.webhooks.update(request.who(), *id, *in);
  if (!updated) return error_response(updated.error());
  if (in->rotate_secret) return with_secret(200, *updated);
  return json_response(200, webhook_json(*updated));
}

Response remove(ApiContext& ctx, Request& request) {
  auto id = webhook_id(request);
  if (!id) return error_response(id.error());
  if (auto done = ctx.webhooks.remove(request.who(), *id); !done)
    return error_response(done.error());
  return no_content();
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
  router.add("GET", "/api/v1/webhooks", Access::kSignedIn, "webhooks",
             "Webhook subscriptions (admins)", [&ctx](Request& r) { return list(ctx, r); });
  router.add("POST", "/api/v1/webhooks", Access::kSignedIn, "webhooks",
             "Add a webhook; its secret is shown only in this answer (admins)",
             [&ctx](Request& r) { return create(ctx, r); });
  router.add("GET", "/api/v1/webhooks/{id}", Access::kSignedIn, "webhooks", "One webhook",
             [&ctx](Request& r) { return get(ctx, r); });
  router.add("PATCH", "/api/v1/webhooks/{id}", Access::kSignedIn, "webhooks",
             "Change a webhook; rotate_secret answers the new secret once",
             [&ctx](Request& r) { return update(ctx, r); });
  router.add("DELETE", "/api/v1/webhooks/{id}", Access::kSignedIn, "webhooks",
             "Remove a webhook and its delivery log",
             [&ctx](Request& r) { return remove(ctx, r); });
  router.add("GET", "/api/v1/webhooks/{id}/deliveries", Access::kSignedIn, "webhooks",
             "Delivery attempts of a webhook, newest first, with response codes",
             [&ctx](Request& r) { return deliveries(ctx, r); });
}

}  // namespace gongdan::api
