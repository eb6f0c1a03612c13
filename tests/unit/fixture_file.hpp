// Reads test fixtures from tests/fixtures (GONGDAN_FIXTURES) so the unit tests need nothing
// outside the repository.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace gongdan::test_support {

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline std::string email_fixture(const std::string& name) {
  return read_file(std::filesystem::path(GONGDAN_FIXTURES) / "emails" / name);
}

}  // namespace gongdan::test_support
