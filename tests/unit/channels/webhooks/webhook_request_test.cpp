#include "channels/webhooks/webhook_request.hpp"

#include <gtest/gtest.h>

#include "domain/template.hpp"
#include "util/crypto.hpp"

namespace gongdan::channels {
namespace {

namespace json = boost::json;

json::object sample_data() {
  return json::object{{"ticket", json::object{{"number", 42},
                                              {"subject", "Printer \"on fire\""},
                                              {"status", "Open"},
                                              {"priority", "high"},
                                              {"tags", json::array{"a", "b"}}}}};
}

std::string header(const WebhookRequest& r, std::string_view name) {
  for (const auto& [n, v] : r.headers)
    if (n == name) return v;
  return {};
}

TEST(WebhookRequest, JsonIsSignedOverTimestampDotBody) {
  services::WebhookEndpoint hook;
  hook.url = "https://example.com/hook";
  hook.secret = "s3cret";
  const auto r = build_webhook_request(hook, "ticket.created", sample_data(), "d-1",
                                       "2026-01-01T00:00:00.000Z", 1'700'000'000'123);
  EXPECT_EQ(r.url, hook.url);
  EXPECT_EQ(header(r, "X-Gongdan-Timestamp"), "1700000000");
  EXPECT_EQ(header(r, "X-Gongdan-Event"), "ticket.created");
  EXPECT_EQ(header(r, "X-Gongdan-Delivery"), "d-1");
  EXPECT_EQ(header(r, "X-Gongdan-Signature"),
            "sha256=" + crypto::hmac_sha256_hex("s3cret", "1700000000." + r.body));
  const auto body = json::parse(r.body).as_object();
  EXPECT_EQ(body.at("id"), "d-1");
  EXPECT_EQ(body.at("data").at("ticket").at("number"), 42);
}

TEST(WebhookRequest, SignatureMatchesAKnownVector) {
  // Computed independently: printf '1.{}' | openssl dgst -sha256 -hmac key
  EXPECT_EQ(crypto::body_signature("key", "1", "{}"),
            "sha256=" + crypto::hmac_sha256_hex("key", "1.{}"));
  EXPECT_EQ(crypto::hmac_sha256_hex("key", "The quick brown fox jumps over the lazy dog"),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
}

TEST(WebhookRequest, ChatFormatsCarryTheTemplateText) {
  services::WebhookEndpoint hook;
  hook.url = "https://oapi.dingtalk.com/robot/send?access_token=t";
  hook.format = "dingtalk";
  hook.secret = "SEC1";
  hook.template_text = "#{{ticket.number}} {{ticket.subject}} [{{ticket.tags}}]";
  const auto r = build_webhook_request(hook, "ticket.updated", sample_data(), "d", "", 1000);
  const auto body = json::parse(r.body).as_object();
  EXPECT_EQ(body.at("msgtype"), "text");
  EXPECT_EQ(body.at("text").at("content"), "[ticket.updated] #42 Printer \"on fire\" [a, b]");
  const std::string sign = crypto::hmac_sha256_base64("SEC1", "1000\nSEC1");
  EXPECT_EQ(r.url, hook.url + "&timestamp=1000&sign=" + escape_for(sign, EscapeContext::kUrl));

  hook.format = "slack";
  hook.template_text.clear();
  const auto s = build_webhook_request(hook, "ticket.created", sample_data(), "d", "", 1000);
  EXPECT_EQ(json::parse(s.body).at("text"),
            "[ticket.created] #42 Printer \"on fire\" (Open, high)");

  hook.format = "feishu";
  hook.secret = "fs";
  const auto f = build_webhook_request(hook, "ticket.created", sample_data(), "d", "", 5000);
  const auto fb = json::parse(f.body).as_object();
  EXPECT_EQ(fb.at("msg_type"), "text");
  EXPECT_EQ(fb.at("timestamp"), "5");
  EXPECT_EQ(fb.at("sign").as_string(), crypto::hmac_sha256_base64("5\nfs", ""));
}

}  // namespace
}  // namespace gongdan::channels
