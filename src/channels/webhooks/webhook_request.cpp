#include "channels/webhooks/webhook_request.hpp"

#include "domain/template.hpp"
#include "domain/webhook.hpp"
#include "util/crypto.hpp"

namespace gongdan::channels {
namespace {

namespace json = boost::json;

void add_string_fact(FactMap& facts, const json::object& o, std::string_view key,
                     const std::string& name) {
  auto it = o.find(key);
  if (it == o.end()) return;
  if (it->value().is_string())
    facts[name] = std::string(it->value().get_string());
  else if (it->value().is_int64())
    facts[name] = it->value().get_int64();
}

FactMap facts_of(const json::object& data) {
  FactMap facts;
  if (const auto* t = data.if_contains("ticket"); t && t->is_object()) {
    const auto& ticket = t->get_object();
    for (auto key :
         {"number", "subject", "status", "priority", "type", "department", "channel", "created_at"})
      add_string_fact(facts, ticket, key, "ticket." + std::string(key));
    if (const auto* tags = ticket.if_contains("tags"); tags && tags->is_array()) {
      FactList list;
      for (const auto& tag : tags->get_array())
        if (tag.is_string()) list.emplace_back(tag.get_string());
      facts["ticket.tags"] = std::move(list);
    }
  }
  if (const auto* m = data.if_contains("message"); m && m->is_object())
    add_string_fact(facts, m->get_object(), "body", "message.body");
  return facts;
}

// Percent-encodes everything but unreserved characters (for the DingTalk sign parameter).
std::string url_encode(std::string_view s) { return escape_for(s, EscapeContext::kUrl); }

}  // namespace

std::string webhook_text(const services::WebhookEndpoint& hook, std::string_view event,
                         const json::object& data) {
  const std::string_view text =
      hook.template_text.empty() ? kDefaultWebhookTemplate : std::string_view(hook.template_text);
  return "[" + std::string(event) + "] " +
         render_template(text, facts_of(data), EscapeContext::kPlainText);
}

WebhookRequest build_webhook_request(const services::WebhookEndpoint& hook, std::string_view event,
                                     const json::object& data, std::string_view delivery,
                                     std::string_view at, Millis now) {
  WebhookRequest r;
  r.url = hook.url;
  const std::string seconds = std::to_string(now / 1000);
  if (hook.format == "json") {
    r.body = json::serialize(
        json::object{{"id", delivery}, {"event", event}, {"created_at", at}, {"data", data}});
  } else {
    const std::string text = webhook_text(hook, event, data);
    if (hook.format == "wecom" || hook.format == "dingtalk") {
      r.body = json::serialize(
          json::object{{"msgtype", "text"}, {"text", json::object{{"content", text}}}});
      if (hook.format == "dingtalk" && !hook.secret.empty()) {
        // DingTalk: sign = base64(HMAC-SHA256(secret, timestamp_ms + "\n" + secret)).
        const std::string ms = std::to_string(now);
        r.url += (r.url.find('?') == std::string::npos ? "?" : "&");
        r.url += "timestamp=" + ms + "&sign=" +
                 url_encode(crypto::hmac_sha256_base64(hook.secret, ms + "\n" + hook.secret));
      }
    } else if (hook.format == "feishu") {
      json::object o{{"msg_type", "text"}, {"content", json::object{{"text", text}}}};
      if (!hook.secret.empty()) {
        // Feishu: sign = base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = "")).
        o["timestamp"] = seconds;
        o["sign"] = crypto::hmac_sha256_base64(seconds + "\n" + hook.secret, "");
      }
      r.body = json::serialize(o);
    } else {  // slack
      r.body = json::serialize(json::object{{"text", text}});
    }
  }
  r.headers = {{"Content-Type", "application/json; charset=utf-8"},
               {"User-Agent", "gongdan-webhook/" GONGDAN_VERSION},
               {"X-Gongdan-Event", std::string(event)},
               {"X-Gongdan-Delivery", std::string(delivery)},
               {"X-Gongdan-Timestamp", seconds},
               {"X-Gongdan-Signature", crypto::body_signature(hook.secret, seconds, r.body)}};
  return r;
}

}  // namespace gongdan::channels
