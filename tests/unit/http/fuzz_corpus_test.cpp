// Replays the HTTP fuzzer's seed corpus as an ordinary test, so every seed (and every crash
// once fixed and added there) runs in each build, sanitizers included.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "../../fuzz/http_request/target.hpp"

namespace {

TEST(HttpFuzzCorpus, EverySeedRunsCleanly) {
  const std::filesystem::path corpus =
      std::filesystem::path(GONGDAN_FIXTURES) / ".." / "fuzz" / "http_request" / "corpus";
  int seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    gongdan::fuzz::run_http_request(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                    bytes.size());
    ++seen;
  }
  EXPECT_GE(seen, 5);
}

TEST(HttpWire, TrustedProxyRulesPickTheRealClient) {
  gongdan::api::Request r;
  r.headers = {{"x-forwarded-for", "203.0.113.9, 10.0.0.2"}, {"x-forwarded-proto", "https"}};
  gongdan::http::apply_client_address(r, "10.0.0.2", {*gongdan::ip::parse_range("10.0.0.2")});
  EXPECT_EQ(r.ip, "203.0.113.9");
  EXPECT_TRUE(r.secure);
  gongdan::api::Request direct;
  direct.headers = {{"x-forwarded-for", "1.2.3.4"}, {"x-forwarded-proto", "https"}};
  gongdan::http::apply_client_address(direct, "198.51.100.7",
                                      {*gongdan::ip::parse_range("10.0.0.2")});
  EXPECT_EQ(direct.ip, "198.51.100.7");
  EXPECT_FALSE(direct.secure);
}

}  // namespace
