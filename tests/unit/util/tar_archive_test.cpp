#include "util/tar_archive.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fuzz/tar_archive/target.hpp"

namespace gongdan::tar {
namespace {

std::string archive_of(const std::vector<std::pair<std::string, std::string>>& files) {
  std::ostringstream out;
  Writer writer(out);
  for (const auto& [name, data] : files) EXPECT_TRUE(writer.add(name, data));
  EXPECT_TRUE(writer.finish());
  return out.str();
}

std::vector<std::pair<std::string, std::string>> read_all(const std::string& bytes,
                                                          std::string* error = nullptr) {
  std::istringstream in(bytes);
  Reader reader(in);
  std::vector<std::pair<std::string, std::string>> files;
  for (;;) {
    auto entry = reader.next();
    if (!entry) {
      if (error) *error = entry.error().message;
      return files;
    }
    if (!*entry) return files;
    std::string data;
    auto read = reader.read_data([&](std::string_view chunk) -> Result<void> {
      data += chunk;
      return {};
    });
    if (!read) {
      if (error) *error = read.error().message;
      return files;
    }
    files.emplace_back((*entry)->name, data);
  }
}

TEST(TarArchive, WhatIsWrittenReadsBack) {
  const std::vector<std::pair<std::string, std::string>> files = {
      {"gongdan.db", std::string(1500, 'x')}, {"attachments/ab/cd/abcdef", "hello"}, {"empty", ""}};
  std::string error;
  EXPECT_EQ(read_all(archive_of(files), &error), files);
  EXPECT_EQ(error, "");
}

TEST(TarArchive, ACutArchiveSaysItIsTruncated) {
  const auto bytes = archive_of({{"gongdan.db", std::string(1500, 'x')}});
  for (std::size_t cut : {100UL, 512UL, 1000UL, 2048UL}) {
    std::string error;
    read_all(bytes.substr(0, cut), &error);
    EXPECT_NE(error.find("truncated"), std::string::npos) << cut << ": " << error;
  }
}

TEST(TarArchive, AChangedHeaderIsCorrupt) {
  auto bytes = archive_of({{"gongdan.db", "data"}});
  bytes[3] = 'X';
  std::string error;
  EXPECT_TRUE(read_all(bytes, &error).empty());
  EXPECT_NE(error.find("checksum"), std::string::npos) << error;
}

TEST(TarArchive, UnsafeNamesAreRefusedBothWays) {
  for (std::string_view name : {"../x", "/etc/passwd", "a/../b", "a//b", "a/", "", "a b", "./a"})
    EXPECT_FALSE(is_safe_name(name)) << name;
  EXPECT_TRUE(is_safe_name("attachments/ab/cd/0123"));
  std::ostringstream out;
  Writer writer(out);
  EXPECT_FALSE(writer.add("../x", "data"));
}

TEST(TarArchive, TheFuzzSeedsKeepTheReadersPromises) {
  const std::filesystem::path corpus =
      std::filesystem::path(GONGDAN_FIXTURES).parent_path() / "fuzz" / "tar_archive" / "corpus";
  int seeds = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    EXPECT_EQ(fuzz::broken_tar_promise(bytes.str()), "") << entry.path();
    ++seeds;
  }
  EXPECT_GE(seeds, 5);
}

}  // namespace
}  // namespace gongdan::tar
