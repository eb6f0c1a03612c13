// Image headers: each format's size as its header says, nothing for what is not an image or is
// cut short, and the fuzz target's seeds (tests/fuzz/image_size/corpus) keep its promises.
#include "domain/image_size.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "fuzz/image_size/target.hpp"
#include "unit/fixture_file.hpp"

namespace gongdan {
namespace {

namespace fs = std::filesystem;

fs::path corpus() { return fs::path(GONGDAN_FIXTURES) / ".." / "fuzz" / "image_size" / "corpus"; }

std::optional<ImageSize> size_of(const std::string& name) {
  return image_size(test_support::read_file(corpus() / name));
}

void expect_size(const std::string& name, std::uint32_t width, std::uint32_t height) {
  SCOPED_TRACE(name);
  const auto size = size_of(name);
  ASSERT_TRUE(size);
  EXPECT_EQ(size->width, width);
  EXPECT_EQ(size->height, height);
}

TEST(ImageSize, ReadsEachFormatsHeader) {
  expect_size("small.png", 3, 2);
  expect_size("huge.png", 100000, 100000);
  expect_size("small.gif", 4, 5);
  expect_size("small.jpg", 9, 7);
  expect_size("vp8x.webp", 640, 480);
  expect_size("vp8l.webp", 15, 10);
  expect_size("vp8.webp", 20, 30);
}

TEST(ImageSize, NothingForOtherBytesOrCutHeaders) {
  for (const char* name : {"zero.png", "cut.png", "no-frame.jpg", "bad-length.jpg", "text.txt"})
    EXPECT_FALSE(size_of(name)) << name;
  EXPECT_FALSE(image_size(""));
  EXPECT_FALSE(image_size("\xFF\xD8"));
  EXPECT_FALSE(image_size("RIFF\x04\x00\x00\x00WEBP"));
}

TEST(ImageSizeFuzzCorpus, EverySeedKeepsThePromises) {
  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator(corpus())) {
    const auto bytes = test_support::read_file(entry.path());
    EXPECT_EQ(
        fuzz::run_image_size(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), "")
        << entry.path();
    ++count;
  }
  EXPECT_GT(count, 5u);
}

}  // namespace
}  // namespace gongdan
