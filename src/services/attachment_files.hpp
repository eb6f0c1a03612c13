// The attachment blob store: files in the data directory, named by the SHA-256 of their bytes.
//
// Contract:
// - Layout: <data>/attachments/ab/cd/<sha256>, where ab and cd are the first two byte pairs of
//   the lower-case hex digest, so no directory holds more than a few thousand files. Names are
//   generated; nothing a client sends ever becomes part of a path.
// - put() returns only once the bytes are durable (file fsynced before it is renamed into place,
//   the directory fsynced after), so a database row that names the blob can be committed
//   afterwards and a crash never leaves a row pointing at a missing file. The same bytes are
//   stored once: an existing blob is not rewritten, only fsynced (another writer may have renamed
//   it without having synced its directory yet). Concurrent puts of the same bytes, from threads
//   or processes, are safe: each writes its own temporary file and rename() is atomic, so the
//   blob is always whole and no temporary file is left behind, even on failure.
// - The size limit is the caller's (it knows the configured limit and answers 413); put() takes
//   whatever it is given.
// - The detected type comes from libmagic, never from the client; "application/octet-stream"
//   when libmagic has no answer.
// - With keys (services/key_ring.hpp), every file written is encrypted with the current key
//   (services/file_cipher.hpp) and read back with the key it names; a plaintext file of an older
//   release is read as it is. The name stays the SHA-256 of the plaintext, so the same bytes are
//   still stored once (docs/encryption.md says what that reveals).
// - FileSystem is the seam for tests: a fake can count or fail operations, and PosixFileSystem's
//   sync_fd() hook lets a test observe or fail each fsync. It is also where the bytes live:
//   PosixFileSystem in the data directory (attachment_storage = "files"), DatabaseFileSystem
//   (services/attachment_rows.hpp) in the database's rows ("database"), for nodes that share a
//   database and no directory. Either holds the same (encrypted) bytes under the same names.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "services/key_ring.hpp"
#include "util/result.hpp"

namespace gongdan::services {

struct StoredBlob {
  std::string sha256;  // lower-case hex, 64 characters
  std::uint64_t size = 0;
  std::string detected_type;  // a MIME type such as "image/png"
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // Afterwards `path` holds exactly `bytes` and survives a crash; on failure it is as before.
  // Missing parent directories are created.
  virtual Result<void> write_durably(const std::filesystem::path& path, std::string_view bytes) = 0;
  // Makes an existing file and its directory entry durable (fsyncs both).
  virtual Result<void> sync_existing(const std::filesystem::path& path) = 0;
  // kNotFound when there is no such file.
  virtual Result<std::string> read(const std::filesystem::path& path) = 0;
  // True for an existing regular file.
  virtual bool exists(const std::filesystem::path& path) = 0;
  // At most the first `bytes` bytes; kNotFound when there is no such file.
  virtual Result<std::string> read_head(const std::filesystem::path& path, std::size_t bytes);
  // Like write_durably, but only over a file that is there, atomically: kNotFound (and no file
  // made) when it has gone meanwhile, so a rewrite never brings back a file just deleted.
  virtual Result<void> replace_existing(const std::filesystem::path& path, std::string_view bytes);
  // Deletes a file; false when there was none.
  virtual Result<bool> remove(const std::filesystem::path& path);
  // The names of the regular files under `root`, at any depth, in no particular order; stops at
  // the first failure `visit` returns.
  virtual Result<void> for_each_file(const std::filesystem::path& root,
                                     const std::function<Result<void>(const std::string&)>& visit);
};

// The real file system, through POSIX open/write/fsync/rename.
class PosixFileSystem : public FileSystem {
 public:
  Result<void> write_durably(const std::filesystem::path& path, std::string_view bytes) override;
  Result<void> sync_existing(const std::filesystem::path& path) override;
  Result<std::string> read(const std::filesystem::path& path) override;
  bool exists(const std::filesystem::path& path) override;
  Result<std::string> read_head(const std::filesystem::path& path, std::size_t bytes) override;
  Result<void> replace_existing(const std::filesystem::path& path, std::string_view bytes) override;

 protected:
  // Every fsync goes through here (files and directories alike) so tests can count them, check
  // their order or make one fail. Returns what fsync(2) returns, with errno set on failure.
  virtual int sync_fd(int fd, const std::filesystem::path& what);

 private:
  Result<void> sync_path(const std::filesystem::path& path, bool directory);
  // A synced temporary file beside `path` holding `bytes`.
  Result<std::filesystem::path> write_temporary(const std::filesystem::path& path,
                                                std::string_view bytes);
  Result<void> create_directories(const std::filesystem::path& dir);

  // Serialises directory creation so that a thread never writes into a directory that another
  // thread has created but not yet made durable in its parent.
  std::mutex directories_mutex_;
};

// libmagic's MIME type for `bytes` ("application/octet-stream" when it cannot tell). Uses one
// magic handle per thread, as libmagic handles are not thread-safe.
std::string detect_media_type(std::string_view bytes);

// 64 lower-case hex digits: the only names the store accepts.
bool is_sha256_hex(std::string_view s);

class AttachmentFiles {
 public:
  // Blobs live under `data_dir`/attachments. Without `fs`, the real file system is used;
  // without `keys`, files are written in plaintext (and encrypted ones cannot be read).
  explicit AttachmentFiles(std::filesystem::path data_dir, std::shared_ptr<FileSystem> fs = {},
                           std::shared_ptr<const Keys> keys = {});

  Result<StoredBlob> put(std::string_view bytes);
  // kInvalidArgument for a malformed hash, kNotFound when there is no such blob; kUnavailable
  // when it is encrypted with a key the ring lacks, kInternal when it does not decrypt.
  Result<std::string> read(std::string_view sha256) const;
  // The id of the key a blob is encrypted with; "" for a plaintext one.
  Result<std::string> key_of(std::string_view sha256) const;
  // Encrypts the blob anew with the current key unless it already is; false when there was
  // nothing to do (already current, or the blob has gone meanwhile).
  Result<bool> reencrypt(std::string_view sha256);
  // Deletes a blob; false when there was none (a malformed hash is none).
  Result<bool> remove(std::string_view sha256);
  // Every blob's digest, in no particular order; stops at the first failure `visit` returns.
  Result<void> for_each_blob(const std::function<Result<void>(const std::string&)>& visit) const;
  // Where the blob is (or would be) stored; empty for a malformed hash, so a hash taken from
  // anywhere can never name a path outside the store.
  std::string path_of(std::string_view sha256) const;
  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
  std::shared_ptr<FileSystem> fs_;
  std::shared_ptr<const Keys> keys_;
};

}  // namespace gongdan::services
