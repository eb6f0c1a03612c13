#include "channels/im/inbound_parse.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "fuzz/inbound_json/target.hpp"
#include "unit/fixture_file.hpp"
#include "util/crypto.hpp"

namespace gongdan::channels::im {
namespace {

constexpr Millis kNow = 1'700'000'000'000;

TEST(InboundSignature, ChecksTheBodyTheSecretAndTheTime) {
  const std::string body = R"({"id":"1"})";
  const auto sig = crypto::body_signature("s3cret", "1700000000", body);
  // The scheme of docs/channels.md, as a receiver computes it.
  EXPECT_EQ(sig.substr(0, 7), "sha256=");
  EXPECT_TRUE(check_signed_body("s3cret", "1700000000", sig, body, kNow));
  EXPECT_FALSE(check_signed_body("other", "1700000000", sig, body, kNow));
  EXPECT_FALSE(check_signed_body("s3cret", "1700000000", sig, body + " ", kNow));
  EXPECT_FALSE(check_signed_body("s3cret", "1700000001", sig, body, kNow));
  EXPECT_FALSE(check_signed_body("s3cret", std::nullopt, sig, body, kNow));
  EXPECT_FALSE(check_signed_body("", "1700000000", crypto::body_signature("", "1700000000", body),
                                 body, kNow));
  // Six minutes late: a replay of an old request.
  const auto late = check_signed_body("s3cret", "1700000000", sig, body, kNow + 6 * 60 * 1000);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::kUnauthenticated);
  EXPECT_FALSE(check_signed_body("s3cret", "17e8", sig, body, kNow));
}

TEST(InboundSignature, TelegramSecretToken) {
  EXPECT_TRUE(check_secret_token("abc_DEF-1", "abc_DEF-1"));
  EXPECT_FALSE(check_secret_token("abc_DEF-1", "abc_DEF-2"));
  EXPECT_FALSE(check_secret_token("abc_DEF-1", std::nullopt));
  EXPECT_FALSE(check_secret_token("", ""));
}

TEST(InboundParse, GenericMessage) {
  auto m = parse_generic_message(
      R"({"id":42,"from":{"id":"u-1","name":"王\u0007芳"},"text":"hi\nthere","subject":"Hi"})");
  ASSERT_TRUE(m && *m);
  EXPECT_EQ((*m)->event_id, "42");
  EXPECT_EQ((*m)->external_id, "u-1");
  EXPECT_EQ((*m)->display_name, "王芳");
  EXPECT_EQ((*m)->text, "hi\nthere");
  EXPECT_EQ((*m)->subject, "Hi");
  for (const char* bad :
       {"", "null", "[]", R"({"id":"1","from":{"id":"u"}})", R"({"id":"1","from":"u","text":"x"})",
        R"({"id":"","from":{"id":"u"},"text":"x"})",
        R"({"id":"1","from":{"id":"u"},"text":"  "})"}) {
    auto r = parse_generic_message(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(InboundParse, TelegramUpdate) {
  auto m = parse_telegram_update(
      R"({"update_id":9,"message":{"message_id":1,"from":{"id":7,"username":"ivp"},)"
      R"("chat":{"id":-100123},"caption":"photo of the box"}})");
  ASSERT_TRUE(m && *m);
  EXPECT_EQ((*m)->event_id, "9");
  EXPECT_EQ((*m)->external_id, "-100123");
  EXPECT_EQ((*m)->display_name, "ivp");
  EXPECT_EQ((*m)->text, "photo of the box");
  auto edit = parse_telegram_update(R"({"update_id":10,"edited_message":{}})");
  ASSERT_TRUE(edit);
  EXPECT_FALSE(*edit);
  EXPECT_FALSE(parse_telegram_update(R"({"message":{"chat":{"id":1},"text":"x"}})"));
}

TEST(InboundParse, FilesTheProvidersSend) {
  // Telegram: the largest size of a photo; a document by its name and type.
  auto photo = parse_telegram_update(
      R"({"update_id":11,"message":{"chat":{"id":5},"photo":[{"file_id":"small","width":90},)"
      R"({"file_id":"big","width":1280}]}})");
  ASSERT_TRUE(photo && *photo);
  ASSERT_EQ((*photo)->files.size(), 1u);
  EXPECT_EQ((*photo)->files[0].reference, "big");
  EXPECT_EQ((*photo)->files[0].name, "photo.jpg");
  EXPECT_EQ((*photo)->text, "");  // the service names the file
  auto doc = parse_telegram_update(
      R"({"update_id":12,"message":{"chat":{"id":5},"caption":"invoice",)"
      R"("document":{"file_id":"d1","file_name":"发票.pdf","mime_type":"application/pdf"}}})");
  ASSERT_TRUE(doc && *doc);
  EXPECT_EQ((*doc)->files[0].name, "发票.pdf");
  EXPECT_EQ((*doc)->files[0].content_type, "application/pdf");
  EXPECT_EQ((*doc)->text, "invoice");
  EXPECT_FALSE(parse_telegram_update(R"({"update_id":13,"message":{"chat":{"id":5},)"
                                     R"("document":{"file_name":"x"}}})"));
  // Generic: attachments by URL, up to ten; text may then be left out.
  auto generic = parse_generic_message(
      R"({"id":"a1","from":{"id":"u"},"attachments":[{"url":"https://cdn.example/r.pdf",)"
      R"("name":"r.pdf","content_type":"application/pdf"}]})");
  ASSERT_TRUE(generic && *generic);
  ASSERT_EQ((*generic)->files.size(), 1u);
  EXPECT_EQ((*generic)->files[0].reference, "https://cdn.example/r.pdf");
  for (const char* bad :
       {R"({"id":"1","from":{"id":"u"},"attachments":[{"url":"file:///etc/passwd"}]})",
        R"({"id":"1","from":{"id":"u"},"attachments":[{"name":"x"}]})",
        R"({"id":"1","from":{"id":"u"},"attachments":{"url":"https://x"}})",
        R"({"id":"1","from":{"id":"u"},"attachments":[]})"}) {
    auto r = parse_generic_message(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(InboundParse, CallEvent) {
  auto e = parse_call_event(
      R"({"id":"c1","event":"ended","number":" +86 10 1234 ","duration_seconds":30,"agent_id":4})");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, CallEventKind::kEnded);
  EXPECT_EQ(e->number, "+86 10 1234");
  EXPECT_EQ(e->agent_id, 4);
  EXPECT_EQ(e->direction, "inbound");
  EXPECT_FALSE(parse_call_event(R"({"id":"c1","event":"ended","number":"+--"})"));
  EXPECT_FALSE(parse_call_event(R"({"id":"c1","event":"x","number":"1"})"));
  EXPECT_FALSE(parse_call_event(R"({"id":"c1","event":"missed","number":"1","agent_id":0})"));
}

TEST(InboundParse, FuzzSeedsKeepTheirPromises) {
  namespace fs = std::filesystem;
  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(GONGDAN_FIXTURES) / ".." / "fuzz" /
                                                  "inbound_json" / "corpus")) {
    const auto bytes = test_support::read_file(entry.path());
    SCOPED_TRACE(entry.path().string());
    EXPECT_EQ(fuzz::run_inbound(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()),
              "");
    ++count;
  }
  EXPECT_GE(count, 5u);
}

}  // namespace
}  // namespace gongdan::channels::im
