#include "http/static_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace gongdan::http {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("gongdan-static-" + std::to_string(::getpid()));
    fs::remove_all(base_);
    fs::create_directories(base_ / "dist" / "assets");
    write(base_ / "dist" / "index.html", "<!doctype html>");
    write(base_ / "dist" / "assets" / "app-1a2b.js", "x()");
    write(base_ / "secret.txt", "secret");
  }
  void TearDown() override { fs::remove_all(base_); }
  static void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }
  static api::Request get(std::string path) {
    api::Request r;
    r.method = "GET";
    r.path = std::move(path);
    return r;
  }
  static std::string header(const api::Response& r, std::string_view name) {
    for (const auto& [k, v] : r.headers)
      if (k == name) return v;
    return "<none>";
  }
  fs::path base_;
};

TEST_F(StaticFilesTest, AppPathsGetIndexAndAssetsAreImmutable) {
  StaticFiles files(base_ / "dist");
  auto page = files.serve(get("/desk/tickets/4"));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200u);
  EXPECT_EQ(page->body, "<!doctype html>");
  EXPECT_EQ(page->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(header(*page, "Cache-Control"), "no-cache");
  EXPECT_EQ(header(*page, "Content-Security-Policy"), kPageCsp);
  auto js = files.serve(get("/assets/app-1a2b.js"));
  ASSERT_TRUE(js);
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(header(*js, "Cache-Control"), "public, max-age=31536000, immutable");
  auto embed = files.serve(get("/embed/form"));
  ASSERT_TRUE(embed);
  EXPECT_EQ(header(*embed, "Content-Security-Policy"), kEmbedCsp);
  EXPECT_EQ(header(*embed, "X-Frame-Options"), "");
  auto other = files.serve(get("/embed/other"));
  ASSERT_TRUE(other);
  EXPECT_EQ(header(*other, "Content-Security-Policy"), kPageCsp);
}

TEST_F(StaticFilesTest, LeavesTheApiAndUnknownPathsToTheDispatcher) {
  StaticFiles files(base_ / "dist");
  EXPECT_FALSE(files.serve(get("/api/v1/me")));
  EXPECT_FALSE(files.serve(get("/healthz")));
  EXPECT_FALSE(files.serve(get("/no/such/thing")));
  auto post = get("/desk/");
  post.method = "POST";
  EXPECT_FALSE(files.serve(post));
  auto root = files.serve(get("/"));
  ASSERT_TRUE(root);
  EXPECT_EQ(root->status, 302u);
  EXPECT_EQ(header(*root, "Location"), "/desk/");
}

TEST_F(StaticFilesTest, RefusesTraversalAndSymlinksOut) {
  fs::create_symlink(base_ / "secret.txt", base_ / "dist" / "assets" / "out.txt");
  StaticFiles files(base_ / "dist");
  for (const char* path : {"/assets/../../secret.txt", "/desk/../secret.txt", "/assets/./x.js",
                           "/assets\\..\\secret.txt"}) {
    auto r = files.serve(get(path));
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 400u) << path;
  }
  auto out = files.serve(get("/assets/out.txt"));
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 404u);
  EXPECT_EQ(out->body.find("secret"), std::string::npos);
}

TEST_F(StaticFilesTest, WithoutABuildOnlyTheRedirectIsServed) {
  StaticFiles files("");
  EXPECT_FALSE(files.serve(get("/desk/")));
  EXPECT_TRUE(files.serve(get("/")));
}

}  // namespace
}  // namespace gongdan::http
