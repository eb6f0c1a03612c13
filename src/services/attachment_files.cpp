#include "services/attachment_files.hpp"

#include <fcntl.h>
#include <magic.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>
#include <vector>

#include "services/file_cipher.hpp"
#include "util/crypto.hpp"

namespace gongdan::services {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kBlobUnknownType = "application/octet-stream";

Failure blob_io_failure(std::string_view what, int error_number) {
  // The path stays out of the message: it may reach a client in a 500 answer.
  return fail(ErrorCode::kInternal, std::string("attachment store: ") + std::string(what) + ": " +
                                        std::strerror(error_number));
}

// Closes a descriptor on every path out of a function.
class BlobFd {
 public:
  explicit BlobFd(int fd) : fd_(fd) {}
  BlobFd(const BlobFd&) = delete;
  BlobFd& operator=(const BlobFd&) = delete;
  ~BlobFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // close(2) can report a delayed write error; callers that wrote must look at it.
  int close() { return ::close(std::exchange(fd_, -1)); }

 private:
  int fd_;
};

int blob_open(const fs::path& path, int flags, mode_t mode = 0) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

// Reads `fd` into `out` until `out` is full or the file ends; `out` keeps only what was read.
Result<void> read_fully(int fd, std::string& out) {
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::read(fd, out.data() + done, out.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return blob_io_failure("read", errno);
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  out.resize(done);
  return {};
}

// One libmagic handle per thread: magic_t is not thread-safe, and opening one costs a few
// milliseconds (it maps the compiled database), too much per upload.
class BlobMagic {
 public:
  BlobMagic() : cookie_(magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR)) {
    if (cookie_ != nullptr && magic_load(cookie_, nullptr) != 0) {
      magic_close(cookie_);
      cookie_ = nullptr;
    }
  }
  BlobMagic(const BlobMagic&) = delete;
  BlobMagic& operator=(const BlobMagic&) = delete;
  ~BlobMagic() {
    if (cookie_ != nullptr) magic_close(cookie_);
  }
  std::string detect(std::string_view bytes) const {
    if (cookie_ == nullptr) return std::string(kBlobUnknownType);
    const char* type = magic_buffer(cookie_, bytes.data(), bytes.size());
    if (type == nullptr || *type == '\0') return std::string(kBlobUnknownType);
    return type;
  }

 private:
  magic_t cookie_;
};

}  // namespace

std::string detect_media_type(std::string_view bytes) {
  thread_local const BlobMagic magic;
  return magic.detect(bytes);
}

bool is_sha256_hex(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

int PosixFileSystem::sync_fd(int fd, const fs::path& /*what*/) { return ::fsync(fd); }

Result<void> PosixFileSystem::sync_path(const fs::path& path, bool directory) {
  BlobFd fd(blob_open(path, directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY));
  if (fd.get() < 0) return blob_io_failure(directory ? "open directory" : "open", errno);
  if (sync_fd(fd.get(), path) != 0) return blob_io_failure("fsync", errno);
  return {};
}

Result<void> PosixFileSystem::create_directories(const fs::path& dir) {
  std::lock_guard lock(directories_mutex_);
  // Collect the missing ancestors, then create them top-down; each new entry is made durable in
  // its parent before anything is written beneath it.
  std::vector<fs::path> missing;
  for (fs::path d = dir; !d.empty(); d = d.parent_path()) {
    struct stat st {};
    if (::stat(d.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode)) return blob_io_failure("not a directory", ENOTDIR);
      break;
    }
    if (errno != ENOENT) return blob_io_failure("stat", errno);
    missing.push_back(d);
    if (d == d.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), 0750) != 0 && errno != EEXIST) {
      return blob_io_failure("mkdir", errno);
    }
    const fs::path parent = it->parent_path();
    GONGDAN_TRY(sync_path(parent.empty() ? fs::path(".") : parent, /*directory=*/true));
  }
  return {};
}

Result<fs::path> PosixFileSystem::write_temporary(const fs::path& path, std::string_view bytes) {
  const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  // The temporary file lives in the destination directory: rename() is only atomic within one
  // file system. Its name is random so concurrent writers of the same blob never share one.
  const fs::path temp = dir / (".tmp-" + crypto::random_token(12));
  BlobFd fd(blob_open(temp, O_WRONLY | O_CREAT | O_EXCL, 0640));
  if (fd.get() < 0) return blob_io_failure("create", errno);

  auto discard = [&](std::string_view what, int error_number) {
    if (fd.get() >= 0) fd.close();
    ::unlink(temp.c_str());
    return blob_io_failure(what, error_number);
  };
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::write(fd.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return discard("write", errno);
    }
    done += static_cast<std::size_t>(n);
  }
  // The data must be on disk before the name points at it; otherwise a crash can leave a
  // complete-looking name over missing or partial contents.
  if (sync_fd(fd.get(), temp) != 0) return discard("fsync", errno);
  if (fd.close() != 0) return discard("close", errno);
  return temp;
}

Result<void> PosixFileSystem::write_durably(const fs::path& path, std::string_view bytes) {
  const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  GONGDAN_TRY(create_directories(dir));
  GONGDAN_ASSIGN(auto temp, write_temporary(path, bytes));
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int error_number = errno;
    ::unlink(temp.c_str());
    return blob_io_failure("rename", error_number);
  }
  // The new name is only durable once the directory is.
  return sync_path(dir, /*directory=*/true);
}

Result<void> PosixFileSystem::replace_existing(const fs::path& path, std::string_view bytes) {
  const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  if (!exists(path)) return fail(ErrorCode::kNotFound, "no such attachment");
  GONGDAN_ASSIGN(auto temp, write_temporary(path, bytes));
  // An exchange, not a rename: it fails when the file was deleted meanwhile (an erasure), where
  // a rename would bring it back.
  if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, path.c_str(), RENAME_EXCHANGE) != 0) {
    const int error_number = errno;
    // A file system without exchanges: a plain rename, after one more look.
    if (error_number == EINVAL && exists(path) && ::rename(temp.c_str(), path.c_str()) == 0)
      return sync_path(dir, /*directory=*/true);
    ::unlink(temp.c_str());
    if (error_number == ENOENT) return fail(ErrorCode::kNotFound, "no such attachment");
    return blob_io_failure("rename", error_number);
  }
  ::unlink(temp.c_str());  // now the old contents
  return sync_path(dir, /*directory=*/true);
}

Result<std::string> PosixFileSystem::read_head(const fs::path& path, std::size_t bytes) {
  BlobFd fd(blob_open(path, O_RDONLY));
  if (fd.get() < 0) {
    if (errno == ENOENT) return fail(ErrorCode::kNotFound, "no such attachment");
    return blob_io_failure("open", errno);
  }
  std::string out(bytes, '\0');
  GONGDAN_TRY(read_fully(fd.get(), out));
  return out;
}

Result<void> PosixFileSystem::sync_existing(const fs::path& path) {
  GONGDAN_TRY(sync_path(path, /*directory=*/false));
  return sync_path(path.parent_path().empty() ? fs::path(".") : path.parent_path(),
                   /*directory=*/true);
}

Result<std::string> PosixFileSystem::read(const fs::path& path) {
  BlobFd fd(blob_open(path, O_RDONLY));
  if (fd.get() < 0) {
    if (errno == ENOENT) return fail(ErrorCode::kNotFound, "no such attachment");
    return blob_io_failure("open", errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return blob_io_failure("stat", errno);
  if (!S_ISREG(st.st_mode)) return fail(ErrorCode::kNotFound, "no such attachment");
  std::string out;
  out.resize(static_cast<std::size_t>(st.st_size));
  GONGDAN_TRY(read_fully(fd.get(), out));
  // Blobs never change once written, so a short read means the file is damaged.
  if (out.size() != static_cast<std::size_t>(st.st_size)) return blob_io_failure("read", EIO);
  return out;
}

bool PosixFileSystem::exists(const fs::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

Result<std::string> FileSystem::read_head(const fs::path& path, std::size_t bytes) {
  GONGDAN_ASSIGN(auto all, read(path));
  all.resize(std::min(all.size(), bytes));
  return all;
}

Result<void> FileSystem::replace_existing(const fs::path& path, std::string_view bytes) {
  if (!exists(path)) return fail(ErrorCode::kNotFound, "no such attachment");
  return write_durably(path, bytes);
}

Result<bool> FileSystem::remove(const fs::path& path) {
  std::error_code ec;
  const bool removed = fs::remove(path, ec);
  if (ec) return blob_io_failure("remove", ec.value());
  return removed;
}

Result<void> FileSystem::for_each_file(
    const fs::path& root, const std::function<Result<void>(const std::string&)>& visit) {
  std::error_code ec;
  if (!fs::exists(root, ec)) return {};
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    GONGDAN_TRY(visit(it->path().filename().string()));
  }
  if (ec) return fail(ErrorCode::kInternal, "attachment store: cannot list: " + ec.message());
  return {};
}

AttachmentFiles::AttachmentFiles(fs::path data_dir, std::shared_ptr<FileSystem> file_system,
                                 std::shared_ptr<const Keys> keys)
    : root_(std::move(data_dir) / "attachments"),
      fs_(file_system ? std::move(file_system) : std::make_shared<PosixFileSystem>()),
      keys_(std::move(keys)) {}

std::string AttachmentFiles::path_of(std::string_view sha256) const {
  if (!is_sha256_hex(sha256)) return {};
  return (root_ / std::string(sha256.substr(0, 2)) / std::string(sha256.substr(2, 2)) /
          std::string(sha256))
      .string();
}

Result<StoredBlob> AttachmentFiles::put(std::string_view bytes) {
  StoredBlob blob;
  blob.sha256 = crypto::sha256_hex(bytes);
  blob.size = bytes.size();
  blob.detected_type = detect_media_type(bytes);
  const fs::path path = path_of(blob.sha256);
  if (fs_->exists(path)) {
    GONGDAN_TRY(fs_->sync_existing(path));
  } else if (keys_) {
    GONGDAN_TRY(fs_->write_durably(path, encrypt_blob(keys_->ring()->current(), bytes)));
  } else {
    GONGDAN_TRY(fs_->write_durably(path, bytes));
  }
  return blob;
}

Result<std::string> AttachmentFiles::read(std::string_view sha256) const {
  if (!is_sha256_hex(sha256)) {
    return fail(ErrorCode::kInvalidArgument, "not a SHA-256 hex digest", "sha256");
  }
  GONGDAN_ASSIGN(auto stored, fs_->read(path_of(sha256)));
  const auto id = blob_key_id(std::string_view(stored).substr(0, kCipherHeadBytes));
  if (!id) return stored;
  if (!keys_)
    return fail(ErrorCode::kUnavailable,
                "attachment store: the file is encrypted and no keys "
                "are configured");
  return decrypt_blob(*keys_->ring_with(*id), stored);
}

Result<std::string> AttachmentFiles::key_of(std::string_view sha256) const {
  if (!is_sha256_hex(sha256)) {
    return fail(ErrorCode::kInvalidArgument, "not a SHA-256 hex digest", "sha256");
  }
  GONGDAN_ASSIGN(auto head, fs_->read_head(path_of(sha256), kCipherHeadBytes));
  return blob_key_id(head).value_or("");
}

Result<bool> AttachmentFiles::reencrypt(std::string_view sha256) {
  if (!keys_) return fail(ErrorCode::kInvalidArgument, "attachment store: no keys to encrypt with");
  auto current = key_of(sha256);
  if (!current && current.error().code == ErrorCode::kNotFound) return false;
  if (!current) return fail(current.error());
  const auto ring = keys_->ring();
  if (*current == ring->current().id) return false;
  auto plain = read(sha256);
  if (!plain && plain.error().code == ErrorCode::kNotFound) return false;
  if (!plain) return fail(plain.error());
  auto replaced = fs_->replace_existing(path_of(sha256), encrypt_blob(ring->current(), *plain));
  if (!replaced && replaced.error().code == ErrorCode::kNotFound) return false;
  if (!replaced) return fail(replaced.error());
  return true;
}

Result<bool> AttachmentFiles::remove(std::string_view sha256) {
  if (!is_sha256_hex(sha256)) return false;
  return fs_->remove(path_of(sha256));
}

Result<void> AttachmentFiles::for_each_blob(
    const std::function<Result<void>(const std::string&)>& visit) const {
  return fs_->for_each_file(root_, [&](const std::string& name) -> Result<void> {
    // Temporary files of a write under way are not blobs.
    if (!is_sha256_hex(name)) return {};
    return visit(name);
  });
}

}  // namespace gongdan::services
