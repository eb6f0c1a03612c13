#include "util/archive_cipher.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fuzz/archive_cipher/target.hpp"

namespace gongdan::archive_cipher {
namespace {

std::string seal(const Key& key, std::string_view plain) {
  std::ostringstream out;
  SealingBuffer sealer(out, key);
  std::ostream writer(&sealer);
  writer.write(plain.data(), static_cast<std::streamsize>(plain.size()));
  EXPECT_TRUE(sealer.finish());
  return out.str();
}

// The plaintext, or the error the opener gave.
Result<std::string> open(const std::string& sealed, const std::string& key_file) {
  std::istringstream in(sealed);
  GONGDAN_ASSIGN(auto header, read_key_header(in));
  GONGDAN_ASSIGN(auto key, key_from_file_bytes(key_file));
  EXPECT_EQ(header.kind, KeyKind::kKeyFile);
  OpeningBuffer opener(in, key);
  std::istream plain(&opener);
  std::string out((std::istreambuf_iterator<char>(plain)), std::istreambuf_iterator<char>());
  if (opener.error()) return fail(*opener.error());
  return out;
}

const std::string kKeyFile(40, 'k');

TEST(ArchiveCipher, WhatIsSealedOpensWithTheSameKeyOnly) {
  auto key = key_from_file_bytes(kKeyFile);
  ASSERT_TRUE(key);
  for (std::size_t size : {0UL, 1UL, 65535UL, 65536UL, 65537UL, 300000UL}) {
    std::string plain(size, '\0');
    for (std::size_t i = 0; i < size; ++i) plain[i] = static_cast<char>(i * 7 + size);
    const auto sealed = seal(*key, plain);
    EXPECT_TRUE(is_encrypted(sealed));
    auto opened = open(sealed, kKeyFile);
    ASSERT_TRUE(opened) << opened.error().message;
    EXPECT_EQ(*opened, plain) << size;
    auto wrong = open(sealed, std::string(40, 'x'));
    ASSERT_FALSE(wrong);
    EXPECT_NE(wrong.error().message.find("wrong backup key"), std::string::npos);
  }
}

TEST(ArchiveCipher, CutChangedAndExtendedStreamsAreRefused) {
  auto key = key_from_file_bytes(kKeyFile);
  ASSERT_TRUE(key);
  const auto sealed = seal(*key, std::string(200000, 'p'));
  auto message_of = [&](const std::string& bytes) {
    auto r = open(bytes, kKeyFile);
    return r ? std::string("opened") : r.error().message;
  };
  EXPECT_NE(message_of(sealed.substr(0, sealed.size() - 1)).find("cut off"), std::string::npos);
  // Whole chunks but not the last: still cut off (the FINAL tag is missing).
  const std::size_t one_chunk = 10 + 24 + 4 + 65536 + 17;
  EXPECT_NE(message_of(sealed.substr(0, one_chunk)).find("cut off"), std::string::npos);
  std::string changed = sealed;
  changed[changed.size() - 5] ^= 1;
  EXPECT_NE(message_of(changed).find("damaged"), std::string::npos);
  EXPECT_NE(message_of(sealed + "x").find("bytes after its end"), std::string::npos);
}

TEST(ArchiveCipher, KeysAndHeadersAreChecked) {
  EXPECT_FALSE(key_from_file_bytes("short"));
  EXPECT_FALSE(new_passphrase_key("seven77"));
  std::istringstream plain_tar("gongdan.db\0\0\0\0\0\0\0\0\0");
  EXPECT_FALSE(read_key_header(plain_tar));
  // A passphrase header asking for a terabyte of memory is refused before any hashing.
  std::string header = "GDBACKUP\x01\x02" + std::string(16, 's');
  for (int i = 0; i < 8; ++i) header += static_cast<char>(i == 0 ? 3 : 0);
  for (int i = 0; i < 8; ++i) header += static_cast<char>(i == 5 ? 1 : 0);  // 1 << 40
  std::istringstream greedy(header);
  auto refused = read_key_header(greedy);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("out of range"), std::string::npos);
}

TEST(ArchiveCipher, APassphraseKeyIsRemadeFromItsHeader) {
  auto made = new_passphrase_key("correct horse battery staple");
  ASSERT_TRUE(made);
  std::ostringstream out;
  SealingBuffer sealer(out, *made);
  std::ostream(&sealer) << "hello";
  ASSERT_TRUE(sealer.finish());
  std::istringstream in(out.str());
  auto header = read_key_header(in);
  ASSERT_TRUE(header);
  EXPECT_EQ(header->kind, KeyKind::kPassphrase);
  auto again = passphrase_key(*header, "correct horse battery staple");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->bytes, made->bytes);
  auto other = passphrase_key(*header, "correct horse battery stapler");
  ASSERT_TRUE(other);
  EXPECT_NE(other->bytes, made->bytes);
}

TEST(ArchiveCipher, TheFuzzSeedsKeepTheReadersPromises) {
  const std::filesystem::path corpus =
      std::filesystem::path(GONGDAN_FIXTURES).parent_path() / "fuzz" / "archive_cipher" / "corpus";
  int seeds = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(fuzz::broken_cipher_promise(bytes), "") << entry.path();
    ++seeds;
  }
  EXPECT_GE(seeds, 3);
}

}  // namespace
}  // namespace gongdan::archive_cipher
