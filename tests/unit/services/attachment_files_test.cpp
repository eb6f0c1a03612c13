#include "services/attachment_files.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <thread>
#include <vector>

#include "util/crypto.hpp"

namespace gongdan::services {
namespace {

namespace fs = std::filesystem;

const std::string kPng =
    std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0", 29) +
    std::string(64, '\0');

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() / ("gongdan-attach-" + crypto::random_token(8));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::vector<fs::path> all_files(const fs::path& root) {
  std::vector<fs::path> out;
  if (!fs::exists(root)) return out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_directory()) out.push_back(e.path());
  }
  return out;
}

// Wraps the real file system and records which operations the store asked for.
class RecordingFileSystem : public FileSystem {
 public:
  Result<void> write_durably(const fs::path& path, std::string_view bytes) override {
    log("write " + path.string());
    return real_.write_durably(path, bytes);
  }
  Result<void> sync_existing(const fs::path& path) override {
    log("sync " + path.string());
    return real_.sync_existing(path);
  }
  Result<std::string> read(const fs::path& path) override {
    log("read " + path.string());
    return real_.read(path);
  }
  bool exists(const fs::path& path) override {
    log("exists " + path.string());
    return real_.exists(path);
  }
  std::vector<std::string> calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }

 private:
  void log(std::string call) {
    std::lock_guard lock(mutex_);
    calls_.push_back(std::move(call));
  }
  PosixFileSystem real_;
  std::mutex mutex_;
  std::vector<std::string> calls_;
};

// Observes every fsync of the real implementation, and can make the n-th one fail.
class SyncSpyFileSystem : public PosixFileSystem {
 public:
  struct Sync {
    fs::path what;
    bool is_directory;
    bool destination_existed;  // whether the blob's final name existed at that moment
  };
  fs::path destination;
  int fail_at = -1;  // index of the fsync to fail with EIO
  std::vector<Sync> syncs;

 protected:
  int sync_fd(int fd, const fs::path& what) override {
    syncs.push_back({what, fs::is_directory(what), fs::exists(destination)});
    if (static_cast<int>(syncs.size()) - 1 == fail_at) {
      errno = EIO;
      return -1;
    }
    return PosixFileSystem::sync_fd(fd, what);
  }
};

TEST(AttachmentFiles, StoresContentAddressedAndReadsBack) {
  TempDir dir;
  AttachmentFiles files(dir.path());
  auto blob = files.put("hello, world\n");
  ASSERT_TRUE(blob) << blob.error().message;
  EXPECT_EQ(blob->sha256, crypto::sha256_hex("hello, world\n"));
  EXPECT_EQ(blob->size, 13u);
  EXPECT_EQ(blob->detected_type, "text/plain");

  const fs::path expected = dir.path() / "attachments" / blob->sha256.substr(0, 2) /
                            blob->sha256.substr(2, 2) / blob->sha256;
  EXPECT_EQ(files.path_of(blob->sha256), expected.string());
  EXPECT_TRUE(fs::is_regular_file(expected));

  auto back = files.read(blob->sha256);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, "hello, world\n");
}

TEST(AttachmentFiles, StoresBinaryAndEmptyBlobs) {
  TempDir dir;
  AttachmentFiles files(dir.path());
  auto png = files.put(kPng);
  ASSERT_TRUE(png);
  EXPECT_EQ(png->detected_type, "image/png");
  EXPECT_EQ(*files.read(png->sha256), kPng);

  auto empty = files.put("");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->size, 0u);
  EXPECT_EQ(*files.read(empty->sha256), "");
}

TEST(AttachmentFiles, DetectsTypeFromBytesNotNames) {
  EXPECT_EQ(detect_media_type("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
            "text/html");
  EXPECT_EQ(detect_media_type("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
            "application/pdf");
  EXPECT_EQ(detect_media_type(kPng), "image/png");
  const std::string binary("\x00\x01\x02\x03\xff\xfe\x00\x07", 8);
  EXPECT_EQ(detect_media_type(binary), "application/octet-stream");
}

TEST(AttachmentFiles, DeduplicatesWithoutRewriting) {
  TempDir dir;
  auto recorder = std::make_shared<RecordingFileSystem>();
  AttachmentFiles files(dir.path(), recorder);
  auto first = files.put("same bytes");
  ASSERT_TRUE(first);
  const auto mtime = fs::last_write_time(files.path_of(first->sha256));
  auto second = files.put("same bytes");
  ASSERT_TRUE(second);
  EXPECT_EQ(first->sha256, second->sha256);

  const std::string path = files.path_of(first->sha256);
  const std::vector<std::string> expected = {"exists " + path, "write " + path, "exists " + path,
                                             "sync " + path};
  EXPECT_EQ(recorder->calls(), expected);
  EXPECT_EQ(fs::last_write_time(path), mtime);
  EXPECT_EQ(all_files(files.root()).size(), 1u);
}

TEST(AttachmentFiles, FsyncsTheFileBeforeRenamingAndTheDirectoryAfter) {
  TempDir dir;
  auto spy = std::make_shared<SyncSpyFileSystem>();
  AttachmentFiles files(dir.path(), spy);
  const std::string bytes = "durable";
  spy->destination = files.path_of(crypto::sha256_hex(bytes));
  ASSERT_TRUE(files.put(bytes));

  const fs::path blob_dir = fs::path(spy->destination).parent_path();
  // New directories: attachments/, ab/ and cd/ are each made durable in their parent, then the
  // temp file is synced (before its final name exists), then the directory holding the name.
  ASSERT_EQ(spy->syncs.size(), 5u);
  EXPECT_EQ(spy->syncs[0].what, dir.path());
  EXPECT_EQ(spy->syncs[1].what, files.root());
  EXPECT_EQ(spy->syncs[2].what, blob_dir.parent_path());
  EXPECT_FALSE(spy->syncs[3].is_directory);
  EXPECT_EQ(spy->syncs[3].what.parent_path(), blob_dir);
  EXPECT_NE(spy->syncs[3].what, fs::path(spy->destination));
  EXPECT_FALSE(spy->syncs[3].destination_existed);
  EXPECT_EQ(spy->syncs[4].what, blob_dir);
  EXPECT_TRUE(spy->syncs[4].is_directory);
  EXPECT_TRUE(spy->syncs[4].destination_existed);

  // A second blob in the same, now existing, directories: one file sync, one directory sync.
  // Find bytes whose digest shares the first four hex digits (about 65,536 tries).
  const std::string prefix = crypto::sha256_hex(bytes).substr(0, 4);
  std::string other;
  for (int i = 0; other.empty(); ++i) {
    const std::string candidate = "other " + std::to_string(i);
    if (crypto::sha256_hex(candidate).starts_with(prefix)) other = candidate;
  }
  spy->syncs.clear();
  spy->destination = files.path_of(crypto::sha256_hex(other));
  ASSERT_TRUE(files.put(other));
  ASSERT_EQ(spy->syncs.size(), 2u);
  EXPECT_FALSE(spy->syncs[0].is_directory);
  EXPECT_TRUE(spy->syncs[1].is_directory);

  // De-duplication still makes the existing blob durable.
  spy->syncs.clear();
  ASSERT_TRUE(files.put(other));
  ASSERT_EQ(spy->syncs.size(), 2u);
  EXPECT_EQ(spy->syncs[0].what, fs::path(spy->destination));
  EXPECT_EQ(spy->syncs[1].what, fs::path(spy->destination).parent_path());
}

TEST(AttachmentFiles, AFailedFsyncLeavesNoBlobAndNoTempFile) {
  TempDir dir;
  auto spy = std::make_shared<SyncSpyFileSystem>();
  AttachmentFiles files(dir.path(), spy);
  ASSERT_TRUE(files.put("warm up the directories"));
  spy->syncs.clear();
  const std::string bytes = "will not survive";
  spy->destination = files.path_of(crypto::sha256_hex(bytes));
  spy->fail_at = 0;  // the temp file's fsync

  auto r = files.put(bytes);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
  EXPECT_NE(r.error().message.find("fsync"), std::string::npos);
  EXPECT_EQ(r.error().message.find(dir.path().string()), std::string::npos);
  EXPECT_FALSE(fs::exists(spy->destination));
  for (const auto& f : all_files(files.root())) {
    EXPECT_EQ(f.filename().string().find(".tmp-"), std::string::npos) << f;
  }
  // And a retry succeeds.
  spy->fail_at = -1;
  EXPECT_TRUE(files.put(bytes));
  EXPECT_TRUE(fs::exists(spy->destination));
}

TEST(AttachmentFiles, ConcurrentPutsOfTheSameBytesLeaveOneFile) {
  TempDir dir;
  AttachmentFiles files(dir.path());
  const std::string bytes(256 * 1024, 'x');
  std::vector<std::thread> threads;
  std::vector<int> ok(8, 0);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < 5; ++round) {
        auto r = files.put(bytes);
        ok[static_cast<std::size_t>(i)] += r.has_value() ? 1 : 0;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int n : ok) EXPECT_EQ(n, 5);
  const auto found = all_files(files.root());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].filename().string(), crypto::sha256_hex(bytes));
  EXPECT_EQ(fs::file_size(found[0]), bytes.size());
  EXPECT_EQ(*files.read(crypto::sha256_hex(bytes)), bytes);
}

TEST(AttachmentFiles, ConcurrentPutsOfDifferentBytesAllLand) {
  TempDir dir;
  AttachmentFiles files(dir.path());
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < 10; ++k) {
        EXPECT_TRUE(files.put("blob " + std::to_string(i) + "/" + std::to_string(k)));
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(all_files(files.root()).size(), 80u);
}

TEST(AttachmentFiles, RejectsMalformedHashes) {
  TempDir dir;
  AttachmentFiles files(dir.path());
  for (std::string_view bad : {"", "../../etc/passwd", "ABCDEF", "zz"}) {
    auto r = files.read(bad);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(files.path_of(bad), "");
  }
  const std::string upper(64, 'A');
  EXPECT_EQ(files.path_of(upper), "");
  const std::string traversal = "../" + std::string(61, 'a');
  EXPECT_EQ(files.path_of(traversal), "");
}

TEST(AttachmentFiles, MissingBlobIsNotFound) {
  TempDir dir;
  AttachmentFiles files(dir.path());
  auto r = files.read(std::string(64, 'a'));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

TEST(AttachmentFiles, AnUnwritableDataDirIsAnError) {
  TempDir dir;
  // A regular file where the attachments directory should be.
  std::ofstream(dir.path() / "attachments") << "in the way";
  AttachmentFiles files(dir.path());
  auto r = files.put("x");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
}

std::string read_raw(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(AttachmentFiles, EncryptsWithTheCurrentKeyAndRotates) {
  TempDir dir;
  const std::string plain = "private words " + std::string(100000, 'p');
  // A plaintext file of an older release, then encryption switched on over it.
  AttachmentFiles older(dir.path());
  auto old_blob = older.put("older plaintext file");
  ASSERT_TRUE(old_blob);

  auto keys = Keys::of(KeyRing::generate());
  AttachmentFiles files(dir.path(), nullptr, keys);
  auto blob = files.put(plain);
  ASSERT_TRUE(blob);
  EXPECT_EQ(blob->sha256, crypto::sha256_hex(plain));  // still named by the plaintext
  const std::string on_disk = read_raw(files.path_of(blob->sha256));
  EXPECT_EQ(on_disk.find("private words"), std::string::npos);
  EXPECT_EQ(*files.read(blob->sha256), plain);
  EXPECT_EQ(*files.key_of(blob->sha256), "k1");
  EXPECT_EQ(*files.key_of(old_blob->sha256), "");
  EXPECT_EQ(*files.read(old_blob->sha256), "older plaintext file");
  // Without keys an encrypted file is refused, never handed out as it is on disk.
  EXPECT_EQ(older.read(blob->sha256).error().code, ErrorCode::kUnavailable);

  // Rotation: both files move to k2, stay readable, and then need only k2.
  auto rotated = Keys::of(keys->ring()->with_new_key());
  AttachmentFiles after(dir.path(), nullptr, rotated);
  std::vector<std::string> all;
  ASSERT_TRUE(after.for_each_blob([&](const std::string& sha) -> Result<void> {
    all.push_back(sha);
    return {};
  }));
  EXPECT_EQ(all.size(), 2u);
  for (const auto& sha : all) EXPECT_TRUE(*after.reencrypt(sha));
  for (const auto& sha : all) EXPECT_FALSE(*after.reencrypt(sha));  // nothing left to do
  EXPECT_EQ(*after.key_of(old_blob->sha256), "k2");
  EXPECT_EQ(read_raw(after.path_of(old_blob->sha256)).find("older plaintext"), std::string::npos);
  AttachmentFiles retired(dir.path(), nullptr, Keys::of(rotated->ring()->without({"k1"})));
  EXPECT_EQ(*retired.read(blob->sha256), plain);
  EXPECT_EQ(*retired.read(old_blob->sha256), "older plaintext file");
  EXPECT_EQ(all_files(dir.path() / "attachments").size(), 2u);  // no temporary file left
}

TEST(AttachmentFiles, ReencryptingNeverBringsBackADeletedFile) {
  TempDir dir;
  AttachmentFiles files(dir.path());
  auto blob = files.put("to be erased");
  ASSERT_TRUE(blob);
  fs::remove(files.path_of(blob->sha256));
  AttachmentFiles encrypting(dir.path(), nullptr, Keys::of(KeyRing::generate()));
  auto r = encrypting.reencrypt(blob->sha256);
  ASSERT_TRUE(r);
  EXPECT_FALSE(*r);
  EXPECT_FALSE(fs::exists(files.path_of(blob->sha256)));
  PosixFileSystem posix;
  EXPECT_EQ(posix.replace_existing(files.path_of(blob->sha256), "x").error().code,
            ErrorCode::kNotFound);
  EXPECT_FALSE(fs::exists(files.path_of(blob->sha256)));
}

}  // namespace
}  // namespace gongdan::services
