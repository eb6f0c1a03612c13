#include "util/archive_cipher.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

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
  GONGDAN_ASSIGN(auto header, read_header(in));
  GONGDAN_ASSIGN(auto key, key_from_file_bytes(key_file));
  EXPECT_EQ(header.key.kind, KeyKind::kKeyFile);
  OpeningBuffer opener(in, header, key);
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
  const std::size_t one_chunk = 10 + 24 + 16 + 32 + 32 + 4 + 65536 + 17;
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
  EXPECT_FALSE(read_header(plain_tar));
  // A passphrase header asking for a terabyte of memory is refused before any hashing.
  std::string header = "GDBACKUP\x01\x02" + std::string(16, 's');
  for (int i = 0; i < 8; ++i) header += static_cast<char>(i == 0 ? 3 : 0);
  for (int i = 0; i < 8; ++i) header += static_cast<char>(i == 5 ? 1 : 0);  // 1 << 40
  std::istringstream greedy(header);
  auto refused = read_header(greedy);
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
  auto header = read_header(in);
  ASSERT_TRUE(header);
  EXPECT_EQ(header->key.kind, KeyKind::kPassphrase);
  auto again = passphrase_key(header->key, "correct horse battery staple");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->bytes, made->bytes);
  EXPECT_TRUE(check_key(*header, *again));
  auto other = passphrase_key(header->key, "correct horse battery stapler");
  ASSERT_TRUE(other);
  EXPECT_NE(other->bytes, made->bytes);
  auto refused = check_key(*header, *other);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("wrong backup key or passphrase"), std::string::npos);
}

// The header's length in format 2 for a key file: magic, format, kind, the stream's header, the
// key check, the MAC and the checksum.
constexpr std::size_t kKeyFileHeader = 10 + 24 + 16 + 32 + 32;

std::string checksum_of(std::string_view bytes) {
  std::string out(32, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), nullptr,
                     0);
  return out;
}

TEST(ArchiveCipher, EveryChangedHeaderByteIsRefusedAsAChangedHeaderNotAWrongKey) {
  auto key = key_from_file_bytes(kKeyFile);
  ASSERT_TRUE(key);
  const auto sealed = seal(*key, "the archive");
  for (std::size_t i = 0; i < kKeyFileHeader; ++i) {
    std::string changed = sealed;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    auto r = open(changed, kKeyFile);
    ASSERT_FALSE(r) << i;
    if (i < 8) {
      EXPECT_NE(r.error().message.find("not an encrypted gongdan backup"), std::string::npos);
    } else if (i == 8) {
      EXPECT_NE(r.error().message.find("unknown format"), std::string::npos);
    } else {
      EXPECT_NE(r.error().message.find("damaged or tampered with"), std::string::npos)
          << i << ": " << r.error().message;
      EXPECT_EQ(r.error().message.find("wrong"), std::string::npos) << i;
    }
  }
}

TEST(ArchiveCipher, AForgedChecksumStillLeavesTheHeaderRefused) {
  // Someone who changes the stream's header and recomputes the checksum: the key check still
  // says the key is right, so the MAC tells a changed header, before any chunk is opened.
  auto key = key_from_file_bytes(kKeyFile);
  ASSERT_TRUE(key);
  std::string forged = seal(*key, "the archive");
  forged[12] ^= 0x01;  // inside the stream's header
  forged.replace(kKeyFileHeader - 32, 32, checksum_of(forged.substr(0, kKeyFileHeader - 32)));
  std::istringstream in(forged);
  auto header = read_header(in);
  ASSERT_TRUE(header) << header.error().message;
  auto checked = check_key(*header, *key);
  ASSERT_FALSE(checked);
  EXPECT_NE(checked.error().message.find("damaged or tampered with"), std::string::npos);
  auto opened = open(forged, kKeyFile);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().message, checked.error().message);
  // The same forgery opened with another key: that key is the first thing wrong.
  auto wrong = open(forged, std::string(40, 'x'));
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("wrong backup key"), std::string::npos);
}

// An archive as the first release of --encrypt wrote it (format 1: no header checks, no
// additional data): it still opens, and a wrong key is still told at the first chunk.
std::string seal_format_1(const Key& key, std::string_view plain) {
  std::string out = "GDBACKUP\x01\x01";
  crypto_secretstream_xchacha20poly1305_state state;
  unsigned char stream_header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  crypto_secretstream_xchacha20poly1305_init_push(&state, stream_header, key.bytes.data());
  out.append(reinterpret_cast<const char*>(stream_header), sizeof stream_header);
  std::string sealed(plain.size() + crypto_secretstream_xchacha20poly1305_ABYTES, '\0');
  unsigned long long length = 0;
  crypto_secretstream_xchacha20poly1305_push(
      &state, reinterpret_cast<unsigned char*>(sealed.data()), &length,
      reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), nullptr, 0,
      crypto_secretstream_xchacha20poly1305_TAG_FINAL);
  for (int i = 0; i < 4; ++i) out += static_cast<char>((length >> (8 * i)) & 0xff);
  out.append(sealed.data(), static_cast<std::size_t>(length));
  return out;
}

TEST(ArchiveCipher, FormatOneArchivesStillOpen) {
  auto key = key_from_file_bytes(kKeyFile);
  ASSERT_TRUE(key);
  const auto old = seal_format_1(*key, "an older backup");
  auto opened = open(old, kKeyFile);
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(*opened, "an older backup");
  auto wrong = open(old, std::string(40, 'x'));
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("wrong backup key"), std::string::npos);
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
