#include "api/download.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace gongdan::api {
namespace {

std::optional<std::string> header_of(const Response& r, std::string_view name) {
  std::optional<std::string> found;
  for (const auto& [n, v] : r.headers) {
    if (n == name) {
      EXPECT_FALSE(found.has_value()) << "repeated header " << name;
      found = v;
    }
  }
  return found;
}

std::string disposition(const Response& r) { return header_of(r, "Content-Disposition").value(); }

const std::string kPng("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);

TEST(Download, AlwaysSendsTheProtectiveHeaders) {
  for (const auto& r : {download_response(kPng, "a.png", "image/png", "image/png"),
                        download_response("<svg/>", "a.svg", "image/svg+xml", "image/svg+xml"),
                        download_response("", "", "", "")}) {
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(header_of(r, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(header_of(r, "Content-Security-Policy"), "sandbox");
    EXPECT_EQ(header_of(r, "Cache-Control"), "private, max-age=300");
    EXPECT_FALSE(header_of(r, "Content-Type").has_value());  // only through content_type
  }
}

TEST(Download, ShowsSafeImagesPdfAndTextInline) {
  auto png = download_response(kPng, "shot.png", "image/png", "image/png");
  EXPECT_EQ(png.content_type, "image/png");
  EXPECT_EQ(png.body, kPng);
  EXPECT_EQ(disposition(png), "inline; filename=\"shot.png\"; filename*=UTF-8''shot.png");

  EXPECT_TRUE(disposition(download_response("x", "a.jpg", "image/jpeg", "image/jpg"))
                  .starts_with("inline;"));
  EXPECT_TRUE(disposition(download_response("x", "a.gif", "image/gif", "")).starts_with("inline;"));
  EXPECT_TRUE(
      disposition(download_response("x", "a.webp", "image/webp", "")).starts_with("inline;"));
  auto pdf = download_response("%PDF-1.4", "a.pdf", "application/pdf", "application/pdf");
  EXPECT_EQ(pdf.content_type, "application/pdf");
  EXPECT_TRUE(disposition(pdf).starts_with("inline;"));

  auto text = download_response("打印机 offline\n", "log.txt", "text/plain", "text/plain");
  EXPECT_EQ(text.content_type, "text/plain; charset=utf-8");
  EXPECT_TRUE(disposition(text).starts_with("inline;"));
}

TEST(Download, ForcesDownloadOfAnythingThatCouldRun) {
  const std::string html = "<!DOCTYPE html><script>alert(document.cookie)</script>";
  auto r = download_response(html, "page.html", "text/html", "text/html");
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_TRUE(disposition(r).starts_with("attachment;"));

  for (const char* type : {"image/svg+xml", "application/xml", "text/xml", "application/xhtml+xml",
                           "text/javascript", "application/javascript"}) {
    auto risky = download_response("<x/>", "f", type, type);
    EXPECT_TRUE(disposition(risky).starts_with("attachment;")) << type;
  }
}

TEST(Download, ForcesDownloadWhenBytesDisagreeWithTheLabel) {
  // Uploaded as a PNG, but the bytes are HTML: served as what the bytes are, as a download.
  auto r = download_response("<html><script>1</script>", "cat.png", "text/html", "image/png");
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_TRUE(disposition(r).starts_with("attachment;"));
  // Real PNG bytes labelled as something else.
  auto png = download_response(kPng, "cat.png", "image/png", "image/gif");
  EXPECT_EQ(png.content_type, "image/png");
  EXPECT_TRUE(disposition(png).starts_with("attachment;"));
  // The name's extension is a label too.
  EXPECT_TRUE(disposition(download_response(kPng, "cat.html", "image/png", "image/png"))
                  .starts_with("attachment;"));
}

TEST(Download, NeverTrustsAClientType) {
  // The claimed type only ever makes the answer stricter; it never becomes the Content-Type.
  auto r = download_response("hello", "a.txt", "text/plain", "text/html");
  EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
  EXPECT_TRUE(disposition(r).starts_with("attachment;"));
}

TEST(Download, TextThatIsNotUtf8IsServedAsBytes) {
  auto r = download_response("caf\xe9\n", "latin1.txt", "text/plain", "text/plain");
  EXPECT_EQ(r.content_type, "application/octet-stream");
  EXPECT_TRUE(disposition(r).starts_with("attachment;"));
  auto csv = download_response("a,b\n1,2\n", "x.csv", "text/csv", "text/csv");
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_TRUE(disposition(csv).starts_with("attachment;"));
}

TEST(Download, UnknownOrMalformedDetectedTypesAreOctetStream) {
  for (const char* type : {"", "application/octet-stream", "garbage", "text/html\r\nSet-Cookie: x",
                           "Image/PNG; foo=bar"}) {
    auto r = download_response("bytes", "f.bin", type, "");
    if (std::string_view(type) == "Image/PNG; foo=bar") {
      EXPECT_EQ(r.content_type, "image/png");
      continue;
    }
    EXPECT_EQ(r.content_type, "application/octet-stream") << type;
    EXPECT_TRUE(disposition(r).starts_with("attachment;")) << type;
  }
}

TEST(Download, FilenameIsSanitisedAndGivenTwice) {
  auto r = download_response(kPng, "../../办公室 \"打印机\"\xe2\x80\xae.png", "image/png", "");
  EXPECT_EQ(disposition(r),
            "inline; filename=\"___ _____.png\"; "
            "filename*=UTF-8''%E5%8A%9E%E5%85%AC%E5%AE%A4%20_%E6%89%93%E5%8D%B0%E6%9C%BA_.png");
  EXPECT_EQ(
      content_disposition("attachment", "100% done;x=y.pdf"),
      "attachment; filename=\"100_ done;x=y.pdf\"; filename*=UTF-8''100%25%20done%3Bx%3Dy.pdf");
  EXPECT_EQ(content_disposition("attachment", "line\r\nInjected: 1"),
            "attachment; filename=\"lineInjected_ 1\"; filename*=UTF-8''lineInjected_%201");
  EXPECT_EQ(content_disposition("attachment", ""),
            "attachment; filename=\"attachment\"; filename*=UTF-8''attachment");
}

}  // namespace
}  // namespace gongdan::api
