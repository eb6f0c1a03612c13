// Hostile messages: each must parse (or be refused with a reason) quickly and without crashing.
// Times are printed, not asserted tightly (benchmarks live in bench/); the loose bound only
// catches a quadratic blow-up.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "channels/email/parse/mime_parser.hpp"

namespace gongdan::email {
namespace {

constexpr double kQuadraticGuardSeconds = 10.0;

template <class F>
double seconds(F&& f) {
  auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string nested_multipart(int depth) {
  std::string raw = "From: a@example.com\r\nSubject: nest\r\nMIME-Version: 1.0\r\n";
  for (int i = 0; i < depth; ++i) {
    raw += "Content-Type: multipart/mixed; boundary=\"b" + std::to_string(i) + "\"\r\n\r\n--b" +
           std::to_string(i) + "\r\n";
  }
  raw += "Content-Type: text/plain\r\n\r\ndeep body\r\n";
  for (int i = depth - 1; i >= 0; --i) raw += "--b" + std::to_string(i) + "--\r\n";
  return raw;
}

TEST(MimeLimits, HugeHeaderParsesOrIsRefused) {
  std::string raw = "From: a@example.com\r\nSubject: big\r\n";
  while (raw.size() < 200 * 1024) raw += "X-Filler: " + std::string(70, 'x') + "\r\n";
  raw += "\r\nbody\r\n";
  Result<ParsedMessage> parsed;
  double took = seconds([&] { parsed = parse_message(raw); });
  std::printf("200 KB header: %.3f s\n", took);
  EXPECT_LT(took, kQuadraticGuardSeconds);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->subject, "big");

  ParseLimits strict;
  strict.max_header_bytes = 64 * 1024;
  auto refused = parse_message(raw, strict);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kPayloadTooLarge);
  EXPECT_NE(refused.error().message.find("header section"), std::string::npos);
}

TEST(MimeLimits, OneHugeAddressHeaderIsCapped) {
  std::string raw = "From: a@example.com\r\nTo: ";
  for (int i = 0; i < 5000; ++i) raw += "user" + std::to_string(i) + "@example.com, ";
  raw += "last@example.com\r\n\r\nbody\r\n";
  auto parsed = parse_message(raw);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->to.size(), ParseLimits{}.max_addresses);
}

TEST(MimeLimits, HundredNestedMultipartsParse) {
  std::string raw = nested_multipart(100);
  Result<ParsedMessage> parsed;
  double took = seconds([&] { parsed = parse_message(raw); });
  std::printf("100 nested multiparts: %.3f s\n", took);
  EXPECT_LT(took, kQuadraticGuardSeconds);
  ASSERT_TRUE(parsed);
  EXPECT_NE(parsed->text_body.find("deep body"), std::string::npos);
}

TEST(MimeLimits, ThousandNestedMultipartsHitTheDepthCap) {
  std::string raw = nested_multipart(900);
  auto parsed = parse_message(raw);
  ASSERT_TRUE(parsed);
  bool warned = false;
  for (const auto& w : parsed->warnings) warned |= w.find("nesting") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST(MimeLimits, TooManyPartsAreRefusedBeforeParsing) {
  auto parsed = parse_message(nested_multipart(5000));
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, ErrorCode::kPayloadTooLarge);
  EXPECT_NE(parsed.error().message.find("MIME parts"), std::string::npos);
}

TEST(MimeLimits, BoundaryFloodIsRefused) {
  std::string raw = nested_multipart(900);
  raw.reserve(raw.size() + 200000 * 4);
  for (int i = 0; i < 200000; ++i) raw += "--\r\n";
  auto parsed = parse_message(raw);
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().message.find("too costly"), std::string::npos);
}

TEST(MimeLimits, ThirtyMegabyteSingleLineBodyIsCut) {
  std::string raw = "From: a@example.com\r\nSubject: long\r\nContent-Type: text/plain\r\n\r\n";
  raw.append(30u * 1024 * 1024, 'a');
  Result<ParsedMessage> parsed;
  double took = seconds([&] { parsed = parse_message(raw); });
  std::printf("30 MB single-line body: %.3f s\n", took);
  EXPECT_LT(took, kQuadraticGuardSeconds);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->text_body.size(), ParseLimits{}.max_body_bytes);
  ASSERT_FALSE(parsed->warnings.empty());
  EXPECT_NE(parsed->warnings.back().find("cut"), std::string::npos);
}

TEST(MimeLimits, ThirtyMegabyteBase64AttachmentIsKept) {
  std::string raw =
      "From: a@example.com\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n"
      "Content-Type: text/plain\r\n\r\nsee file\r\n--x\r\nContent-Type: application/zip\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\n";
  for (int i = 0; i < 400000; ++i) raw += std::string(76, 'A') + "\r\n";
  raw += "--x--\r\n";
  auto parsed = parse_message(raw);
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->attachments.size(), 1u);
  EXPECT_EQ(parsed->attachments[0].bytes.size(), 400000u * 57);
}

TEST(MimeLimits, OversizedMessageIsRefused) {
  ParseLimits limits;
  limits.max_total_bytes = 1024;
  auto parsed = parse_message(std::string(2048, 'a'), limits);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, ErrorCode::kPayloadTooLarge);
}

TEST(MimeLimits, GarbageNeverCrashes) {
  for (std::string raw : {std::string(), std::string("\0\0\0", 3), std::string("\r\n\r\n"),
                          std::string(":::\r\n\r\n"), std::string("Content-Type: multipart/x\r\n"),
                          std::string("Subject: =?utf-8?B?====?=\r\n\r\n"),
                          std::string("From: <<<@>>>, \"unterminated\r\n\r\nx")}) {
    auto parsed = parse_message(raw);
    if (!parsed) {
      EXPECT_FALSE(parsed.error().message.empty());
    }
  }
}

}  // namespace
}  // namespace gongdan::email
