#include "api/multipart.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "domain/attachment_name.hpp"

namespace gongdan::api {
namespace {

constexpr std::string_view kType = "multipart/form-data; boundary=XyZ";

std::string part(std::string_view disposition, std::string_view data,
                 std::string_view extra_headers = "") {
  return "--XyZ\r\nContent-Disposition: " + std::string(disposition) + "\r\n" +
         std::string(extra_headers) + "\r\n" + std::string(data) + "\r\n";
}

// Parts point into the body, so every body a test parses stays alive until the process ends.
std::string_view keep(std::string body) {
  static std::deque<std::string> kept;
  return kept.emplace_back(std::move(body));
}

constexpr std::string_view kClose = "--XyZ--\r\n";

ErrorCode code_of(std::string_view type, std::string_view body, const MultipartLimits& l = {}) {
  auto r = parse_multipart(type, body, l);
  EXPECT_FALSE(r) << "parsed unexpectedly: " << body;
  return r ? ErrorCode::kInternal : r.error().code;
}

TEST(Multipart, ParsesFieldsAndFiles) {
  const std::string png("\x89PNG\r\n\x1a\n\0\0\r\n--Xy", 16);
  const std::string body = part("form-data; name=\"body\"", "The printer\r\nis offline.") +
                           part("form-data; name=\"attachments\"; filename=\"shot.png\"", png,
                                "Content-Type: image/png\r\n") +
                           std::string(kClose);
  auto parts = parse_multipart(kType, body, {});
  ASSERT_TRUE(parts) << parts.error().message;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "body");
  EXPECT_FALSE((*parts)[0].filename.has_value());
  EXPECT_EQ((*parts)[0].content_type, "");
  EXPECT_EQ((*parts)[0].data, "The printer\r\nis offline.");
  EXPECT_EQ((*parts)[1].name, "attachments");
  EXPECT_EQ((*parts)[1].filename, "shot.png");
  EXPECT_EQ((*parts)[1].content_type, "image/png");
  EXPECT_EQ((*parts)[1].data, png);
  // Views into the body, not copies.
  EXPECT_GE((*parts)[1].data.data(), body.data());
  EXPECT_LE((*parts)[1].data.data() + (*parts)[1].data.size(), body.data() + body.size());
}

TEST(Multipart, AcceptsHeaderVariantsBrowsersAndClientsSend) {
  const std::string body =
      "--a b:c?\r\ncontent-disposition: FORM-DATA; NAME=x;\r\n\r\nv\r\n"
      "--a b:c?--";
  auto parts = parse_multipart("Multipart/Form-Data ; charset=utf-8; Boundary=\"a b:c?\"", body);
  ASSERT_TRUE(parts) << parts.error().message;
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].name, "x");
  EXPECT_EQ((*parts)[0].data, "v");
}

TEST(Multipart, EmptyFormAndEpilogue) {
  auto empty = parse_multipart(kType, "--XyZ--");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
  auto with_epilogue = parse_multipart(
      kType, keep(part("form-data; name=a", "1") + "--XyZ--\r\nanything at all\r\n"));
  ASSERT_TRUE(with_epilogue);
  EXPECT_EQ(with_epilogue->size(), 1u);
}

TEST(Multipart, AllowsTransportPaddingAfterDelimiters) {
  auto parts = parse_multipart(
      kType, "--XyZ \t\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ--");
  ASSERT_TRUE(parts) << parts.error().message;
  EXPECT_EQ((*parts)[0].data, "1");
}

TEST(Multipart, DataMayContainBoundaryLookalikes) {
  const std::string data = "--XyZ at line start\r\n--XyQ\r\n-\r\n--Xy";
  auto parts = parse_multipart(kType, keep(part("form-data; name=a", data) + std::string(kClose)));
  ASSERT_TRUE(parts) << parts.error().message;
  EXPECT_EQ((*parts)[0].data, data);
  auto empty_data =
      parse_multipart(kType, keep(part("form-data; name=a", "") + std::string(kClose)));
  ASSERT_TRUE(empty_data);
  EXPECT_EQ((*empty_data)[0].data, "");
}

TEST(Multipart, FilenameStarWinsAndIsDecoded) {
  auto parts =
      parse_multipart(kType, keep(part("form-data; name=f; filename=\"fallback.txt\"; "
                                       "filename*=UTF-8''%E6%89%93%E5%8D%B0%E6%9C%BA%20v2.txt",
                                       "x") +
                                  std::string(kClose)));
  ASSERT_TRUE(parts) << parts.error().message;
  EXPECT_EQ((*parts)[0].filename, "打印机 v2.txt");

  auto latin1 = parse_multipart(
      kType, keep(part("form-data; name=f; filename*=iso-8859-1'de'r%E9sum%E9.txt", "x") +
                  std::string(kClose)));
  ASSERT_TRUE(latin1) << latin1.error().message;
  EXPECT_EQ((*latin1)[0].filename, "r\xc3\xa9sum\xc3\xa9.txt");
}

TEST(Multipart, FilenameQuotingKeepsWindowsPaths) {
  auto parts = parse_multipart(
      kType, keep(part(R"(form-data; name="f"; filename="C:\Users\li\say \"hi\".txt")", "x") +
                  std::string(kClose)));
  ASSERT_TRUE(parts) << parts.error().message;
  EXPECT_EQ((*parts)[0].filename, R"(C:\Users\li\say "hi".txt)");
  EXPECT_EQ(sanitize_filename(*(*parts)[0].filename), "say _hi_.txt");

  auto utf8 = parse_multipart(
      kType,
      keep(part("form-data; name=\"f\"; filename=\"办公室.png\"", "x") + std::string(kClose)));
  ASSERT_TRUE(utf8);
  EXPECT_EQ((*utf8)[0].filename, "办公室.png");
}

TEST(Multipart, EmptyFilenameIsStillAFilePart) {
  auto parts = parse_multipart(kType, keep(part("form-data; name=\"f\"; filename=\"\"", "",
                                                "Content-Type: application/octet-stream\r\n") +
                                           std::string(kClose)));
  ASSERT_TRUE(parts) << parts.error().message;
  ASSERT_TRUE((*parts)[0].filename.has_value());
  EXPECT_EQ(*(*parts)[0].filename, "");
}

TEST(Multipart, RejectsBadContentTypeHeaders) {
  const std::string body = part("form-data; name=a", "1") + std::string(kClose);
  for (std::string_view type :
       {"", "multipart/form-data", "multipart/mixed; boundary=XyZ", "text/plain; boundary=XyZ",
        "multipart/form-data; boundary=", "multipart/form-data; boundary=\"\"",
        "multipart/form-data; boundary=\"XyZ", "multipart/form-data; boundary=XyZ; boundary=Q",
        "multipart/form-data; boundary=\"a\\b\"", "multipart/form-data; boundary=\"ends \"",
        "multipart/form-data boundary=XyZ", "multipart/form-data; =XyZ"}) {
    auto r = parse_multipart(type, body);
    ASSERT_FALSE(r) << type;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << type;
    EXPECT_EQ(r.error().field, "content-type") << type;
    EXPECT_FALSE(r.error().message.empty());
  }
  auto missing = parse_multipart("multipart/form-data; charset=utf-8", body);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "missing boundary");
  const std::string long_boundary(71, 'b');
  EXPECT_FALSE(parse_multipart("multipart/form-data; boundary=" + long_boundary, body));
}

TEST(Multipart, RejectsMalformedBodies) {
  const std::string cd = "Content-Disposition: form-data; name=a\r\n";
  const std::vector<std::string> bad = {
      "",
      "preamble\r\n" + part("form-data; name=a", "1") + std::string(kClose),
      "\r\n" + part("form-data; name=a", "1") + std::string(kClose),
      part("form-data; name=a", "no close delimiter"),
      "--XyZ\r\n" + cd + "\r\nno close at all",
      "--XyZ",
      "--XyZjunk\r\n" + cd + "\r\n1\r\n--XyZ--",
      part("form-data; name=a", "1") + "--XyZjunk\r\n",
      "--XyZ\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\n1\r\n--XyZ--",
      "--XyZ\nContent-Disposition: form-data; name=a\n\n1\n--XyZ--",
      "--XyZ\r\nContent-Disposition: form-data; name=a\n\r\n1\r\n--XyZ--",
      "--XyZ\r\nno colon here\r\n\r\n1\r\n--XyZ--",
      "--XyZ\r\nBad Name: x\r\n" + cd + "\r\n1\r\n--XyZ--",
      "--XyZ\r\n: empty name\r\n" + cd + "\r\n1\r\n--XyZ--",
      "--XyZ\r\n" + cd + "unterminated headers",
      "--XyZ\r\n\r\n1\r\n--XyZ--",  // no Content-Disposition
      part("attachment; name=a", "1") + std::string(kClose),
      part("form-data; filename=a.txt", "1") + std::string(kClose),
      part("form-data; name=a; name=b", "1") + std::string(kClose),
      part("form-data; name=a", "1", cd) + std::string(kClose),
      part("form-data; name=a", "1", "Content-Type: a/b\r\ncontent-type: c/d\r\n") +
          std::string(kClose),
      part("form-data; name=\"a", "1") + std::string(kClose),
      part("form-data; name=a; filename*=UTF-8''%E6%89", "1") + std::string(kClose),
      part("form-data; name=a; filename*=UTF-8''%ZZ", "1") + std::string(kClose),
      part("form-data; name=a; filename*=UTF-8''%4", "1") + std::string(kClose),
      part("form-data; name=a; filename*=koi8-r''x", "1") + std::string(kClose),
      part("form-data; name=a; filename*=noquotes", "1") + std::string(kClose),
      part("form-data; name=a; filename*=\"UTF-8''x\"", "1") + std::string(kClose),
      part("form-data; name=a", "1", "Content-Transfer-Encoding: base64\r\n") + std::string(kClose),
  };
  for (std::size_t i = 0; i < bad.size(); ++i) {
    auto r = parse_multipart(kType, bad[i]);
    ASSERT_FALSE(r) << "case " << i << ": " << bad[i];
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << "case " << i;
    EXPECT_EQ(r.error().field, "body") << "case " << i;
  }
  auto no_close = parse_multipart(kType, keep(part("form-data; name=a", "1")));
  ASSERT_FALSE(no_close);
  EXPECT_EQ(no_close.error().message, "no closing delimiter");
  using namespace std::string_literals;
  const auto embedded_nul =
      "--XyZ\r\nContent-Disposition: form-data; name=a\0\r\n\r\n1\r\n--XyZ--"s;
  auto nul = parse_multipart(kType, embedded_nul);
  ASSERT_FALSE(nul);
  EXPECT_EQ(nul.error().message, "control character in part header");
}

TEST(Multipart, LimitsPartCount) {
  std::string body;
  for (int i = 0; i < 20; ++i) body += part("form-data; name=p" + std::to_string(i), "v");
  auto twenty = parse_multipart(kType, keep(body + std::string(kClose)));
  ASSERT_TRUE(twenty);
  EXPECT_EQ(twenty->size(), 20u);
  body += part("form-data; name=p20", "v");
  EXPECT_EQ(code_of(kType, body + std::string(kClose)), ErrorCode::kPayloadTooLarge);
  MultipartLimits two;
  two.max_parts = 2;
  EXPECT_EQ(code_of(kType, body + std::string(kClose), two), ErrorCode::kPayloadTooLarge);
}

TEST(Multipart, LimitsHeaderSize) {
  MultipartLimits small;
  small.max_header_bytes = 100;
  const std::string filler = "X-Filler: " + std::string(200, 'f') + "\r\n";
  EXPECT_EQ(code_of(kType, part("form-data; name=a", "1", filler) + std::string(kClose), small),
            ErrorCode::kPayloadTooLarge);
  // Exactly at the limit is fine: "Content-Disposition: form-data; name=a\r\n\r\n" is 42 bytes.
  small.max_header_bytes = 42;
  EXPECT_TRUE(
      parse_multipart(kType, keep(part("form-data; name=a", "1") + std::string(kClose)), small));
  small.max_header_bytes = 41;
  EXPECT_EQ(code_of(kType, part("form-data; name=a", "1") + std::string(kClose), small),
            ErrorCode::kPayloadTooLarge);
  // The default is generous enough for real clients but bounded.
  const std::string huge = "X-Filler: " + std::string(9000, 'f') + "\r\n";
  EXPECT_EQ(code_of(kType, part("form-data; name=a", "1", huge) + std::string(kClose)),
            ErrorCode::kPayloadTooLarge);
}

TEST(Multipart, NearMissDelimitersStayLinear) {
  // 4 MiB of almost-delimiters with a 70-character boundary: a quadratic search would take
  // minutes here.
  const std::string boundary(70, 'a');
  const std::string type = "multipart/form-data; boundary=" + boundary;
  std::string near = "\r\n--" + std::string(69, 'a') + "b";
  std::string data;
  while (data.size() < (4u << 20)) data += near;
  const std::string body = "--" + boundary + "\r\nContent-Disposition: form-data; name=f\r\n\r\n" +
                           data + "\r\n--" + boundary + "--";
  const auto start = std::chrono::steady_clock::now();
  auto parts = parse_multipart(type, body);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(parts) << parts.error().message;
  EXPECT_EQ((*parts)[0].data.size(), data.size());
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

// The fuzz corpus format: first line is the Content-Type header (a trailing CR dropped), the
// rest is the body. Mirrors tests/fuzz/multipart/fuzz.cpp.
TEST(MultipartFuzzCorpus, EverySeedRunsCleanly) {
  const std::filesystem::path corpus =
      std::filesystem::path(GONGDAN_FIXTURES) / ".." / "fuzz" / "multipart" / "corpus";
  int seen = 0;
  int parsed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string input((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto newline = input.find('\n');
    std::string_view header = std::string_view(input).substr(0, newline);
    if (!header.empty() && header.back() == '\r') header.remove_suffix(1);
    const std::string_view body = newline == std::string::npos
                                      ? std::string_view()
                                      : std::string_view(input).substr(newline + 1);
    auto parts = parse_multipart(header, body);
    ++seen;
    if (!parts) {
      EXPECT_FALSE(parts.error().message.empty()) << entry.path();
      continue;
    }
    ++parsed;
    for (const auto& p : *parts) {
      EXPECT_GE(p.data.data(), body.data()) << entry.path();
      EXPECT_LE(p.data.data() + p.data.size(), body.data() + body.size()) << entry.path();
      if (p.filename) {
        EXPECT_FALSE(sanitize_filename(*p.filename).empty());
      }
    }
  }
  EXPECT_GE(seen, 5);
  EXPECT_GE(parsed, 3);
}

}  // namespace
}  // namespace gongdan::api
