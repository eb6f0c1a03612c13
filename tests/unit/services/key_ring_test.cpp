#include "services/key_ring.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fuzz/key_files/target.hpp"

#include "services/file_cipher.hpp"
#include "services/secret_box.hpp"
#include "util/crypto.hpp"

namespace gongdan::services {
namespace {

namespace fs = std::filesystem;

fs::path key_test_dir() {
  auto dir =
      fs::temp_directory_path() / ("gongdan-keys-" + std::to_string(::getpid()) + "-" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(KeyRing, TextRoundTripsAndNewKeysGoInFront) {
  const auto ring = KeyRing::generate();
  EXPECT_EQ(ring.current().id, "k1");
  auto again = KeyRing::parse(ring.text(), "test");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->current().bytes, ring.current().bytes);
  EXPECT_EQ(again->signing_key(), ring.signing_key());

  const auto rotated = ring.with_new_key();
  ASSERT_EQ(rotated.keys().size(), 2u);
  EXPECT_EQ(rotated.current().id, "k2");
  EXPECT_NE(rotated.current().bytes, ring.current().bytes);
  EXPECT_EQ(rotated.signing_key(), ring.signing_key());  // signing never rotates
  const auto retired = rotated.without({"k1"});
  ASSERT_EQ(retired.keys().size(), 1u);
  EXPECT_EQ(retired.current().id, "k2");
  EXPECT_EQ(rotated.without({"k2"}).keys().size(), 2u);  // never the current key
  EXPECT_EQ(retired.with_new_key().current().id, "k3");

  // The environment's one-line form.
  std::string one_line = rotated.text();
  std::string joined;
  for (char c : one_line) joined += c == '\n' ? ';' : c;
  auto from_env = KeyRing::parse(joined, "GONGDAN_KEYS");
  ASSERT_TRUE(from_env) << from_env.error().message;
  EXPECT_EQ(from_env->keys().size(), 2u);
}

TEST(KeyRing, ReadsTheRawKeyFileOfOlderReleasesAsK0) {
  const std::string raw = crypto::random_bytes(32);
  auto ring = KeyRing::parse(raw, "mail.key");
  ASSERT_TRUE(ring);
  EXPECT_EQ(ring->current().id, "k0");
  // The signing key older releases derived, so reply addresses and the audit chain still check.
  EXPECT_EQ(ring->signing_key(), crypto::hmac_sha256_hex(raw, "gongdan signing key v1"));
  EXPECT_EQ(ring->with_new_key().current().id, "k1");
}

TEST(KeyRing, RefusesDamagedKeys) {
  for (std::string_view bad : {
           "",
           "hello",
           "gongdan-keys v1\n",
           "gongdan-keys v1\nkey k1 AAAA\n",
           "gongdan-keys v2\nsigning 00\n",
           "gongdan-keys v1\nsigning "
           "0000000000000000000000000000000000000000000000000000000000000000\n",
           "gongdan-keys v1\nsigning "
           "0000000000000000000000000000000000000000000000000000000000000000\nkey x1 "
           "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
       }) {
    auto ring = KeyRing::parse(bad, "test");
    EXPECT_FALSE(ring) << bad;
    if (!ring) {
      EXPECT_NE(ring.error().message.find("test"), std::string::npos);
    }
  }
}

TEST(Keys, FileIsPrivateAndFollowsChanges) {
  const auto dir = key_test_dir();
  const auto file = dir / "keys";
  auto keys = Keys::create(file);
  ASSERT_TRUE(keys) << keys.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0077, 0u);
  EXPECT_FALSE(Keys::create(file));  // never over a key file

  // Another process rotates: a key id this one lacks makes it read the file again at once.
  auto other = Keys::load(KeySource{file, {}});
  ASSERT_TRUE(other);
  ASSERT_TRUE((*other)->save((*other)->ring()->with_new_key()));
  const auto ring = (*keys)->ring_with("k2");
  EXPECT_EQ(ring->current().id, "k2");
  EXPECT_TRUE(ring->find("k1"));
  EXPECT_EQ(Keys::load(KeySource{dir / "missing", {}}).error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(Keys::load(KeySource{{}, "gongdan-keys v1"}));
  fs::remove_all(dir);
}

TEST(FileCipher, RoundTripsEverySizeAndHidesThePlaintext) {
  const auto ring = KeyRing::generate();
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{65535}, std::size_t{65536},
                           std::size_t{65537}, std::size_t{200000}}) {
    std::string plain(size, '\0');
    for (std::size_t i = 0; i < size; ++i) plain[i] = static_cast<char>('a' + i % 26);
    const auto sealed = encrypt_blob(ring.current(), plain);
    EXPECT_EQ(blob_key_id(sealed.substr(0, kCipherHeadBytes)), "k1");
    if (size >= 16) {
      EXPECT_EQ(sealed.find(plain.substr(0, 16)), std::string::npos);
    }
    auto back = decrypt_blob(ring, sealed);
    ASSERT_TRUE(back) << size << ": " << back.error().message;
    EXPECT_EQ(*back, plain) << size;
  }
  // Plaintext of older releases reads as it is.
  EXPECT_EQ(blob_key_id("hello"), std::nullopt);
  EXPECT_EQ(*decrypt_blob(ring, "hello"), "hello");
}

TEST(FileCipher, RefusesOtherKeysAndDamage) {
  const auto ring = KeyRing::generate();
  const std::string plain(150000, 'x');
  const auto sealed = encrypt_blob(ring.current(), plain);
  // The same id, another key: refused, never garbage.
  const auto other = KeyRing::generate();
  auto wrong = decrypt_blob(other, sealed);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kInternal);
  // A key the ring lacks is named.
  auto missing =
      decrypt_blob(ring, encrypt_blob(EncryptionKey{"k9", crypto::random_bytes(32)}, "a"));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("k9"), std::string::npos);
  auto flipped = sealed;
  flipped[flipped.size() / 2] ^= 1;
  EXPECT_FALSE(decrypt_blob(ring, flipped));
  EXPECT_FALSE(decrypt_blob(ring, sealed.substr(0, sealed.size() - 1)));
  EXPECT_FALSE(decrypt_blob(ring, sealed.substr(0, 65536 + 17 + 60)));  // whole chunks, no end
  EXPECT_FALSE(decrypt_blob(ring, sealed + "x"));
  EXPECT_FALSE(decrypt_blob(ring, sealed.substr(0, 12)));
}

TEST(SecretBox, NamesItsKeyAndReadsOlderSeals) {
  const std::string raw = crypto::random_bytes(32);
  auto old_ring = KeyRing::parse(raw, "mail.key");
  ASSERT_TRUE(old_ring);
  // A "v1:" secret of an older release, sealed as it sealed them.
  const SecretBox old_box(Keys::of(*old_ring));
  const auto v2 = old_box.seal("password");
  EXPECT_TRUE(v2.starts_with("v2:k0:"));
  EXPECT_EQ(SecretBox::key_of(v2), "k0");
  const std::string v1 = "v1:" + v2.substr(6);
  EXPECT_EQ(SecretBox::key_of(v1), "k0");
  EXPECT_EQ(*old_box.open(v1), "password");

  // After a rotation both still open and new seals use the new key; the MAC stays.
  const SecretBox rotated(Keys::of(old_ring->with_new_key()));
  EXPECT_EQ(*rotated.open(v1), "password");
  EXPECT_EQ(*rotated.open(v2), "password");
  EXPECT_TRUE(rotated.seal("x").starts_with("v2:k1:"));
  EXPECT_EQ(rotated.mac("data"), old_box.mac("data"));
  // Retired: refused, naming the key.
  const SecretBox retired(Keys::of(old_ring->with_new_key().without({"k0"})));
  auto refused = retired.open(v2);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("k0"), std::string::npos);
}

TEST(KeyRing, TheFuzzSeedsKeepThePromises) {
  const fs::path corpus =
      fs::path(GONGDAN_FIXTURES).parent_path() / "fuzz" / "key_files" / "corpus";
  int seeds = 0;
  for (const auto& entry : fs::directory_iterator(corpus)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    EXPECT_EQ(fuzz::broken_key_promise(bytes.str()), "") << entry.path();
    ++seeds;
  }
  EXPECT_GE(seeds, 6);
  // A file encrypted with the fuzz ring's key is one the file half really decrypts.
  const std::string sealed = encrypt_blob(fuzz::fuzz_key_ring().current(), "seed");
  EXPECT_EQ(fuzz::broken_key_promise("\x01" + sealed), "");
}

}  // namespace
}  // namespace gongdan::services
