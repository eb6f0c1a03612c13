#include "services/attachment_rows.hpp"

#include "store/attachment_blobs_store.hpp"
#include "store/database.hpp"
#include "util/crypto.hpp"

namespace gongdan::services {
namespace {

namespace fs = std::filesystem;

constexpr int kDigestPage = 500;

// The digest a path names; empty when its file name is not one.
std::string digest_of(const fs::path& path) {
  auto name = path.filename().string();
  return is_sha256_hex(name) ? name : std::string();
}

Failure no_such_attachment() { return fail(ErrorCode::kNotFound, "no such attachment"); }

}  // namespace

Result<void> DatabaseFileSystem::write_durably(const fs::path& path, std::string_view bytes) {
  const auto sha = digest_of(path);
  if (sha.empty()) return fail(ErrorCode::kInvalidArgument, "not a blob's name", "sha256");
  return db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_TRY(store::insert_blob(c, sha, bytes));
    return {};
  });
}

// A blob row is durable once its write returned: nothing to sync.
Result<void> DatabaseFileSystem::sync_existing(const fs::path&) { return {}; }

Result<std::string> DatabaseFileSystem::read(const fs::path& path) {
  const auto sha = digest_of(path);
  if (sha.empty()) return no_such_attachment();
  GONGDAN_ASSIGN(auto stored, store::read_value(db_, [&](store::Connection& c) {
                   return store::read_blob(c, sha);
                 }));
  if (!stored) return no_such_attachment();
  return std::move(*stored);
}

bool DatabaseFileSystem::exists(const fs::path& path) {
  const auto sha = digest_of(path);
  if (sha.empty()) return false;
  auto there =
      store::read_value(db_, [&](store::Connection& c) { return store::blob_exists(c, sha); });
  return there && *there;
}

Result<std::string> DatabaseFileSystem::read_head(const fs::path& path, std::size_t bytes) {
  const auto sha = digest_of(path);
  if (sha.empty()) return no_such_attachment();
  GONGDAN_ASSIGN(auto head, store::read_value(db_, [&](store::Connection& c) {
                   return store::read_blob_head(c, sha, bytes);
                 }));
  if (!head) return no_such_attachment();
  return std::move(*head);
}

Result<void> DatabaseFileSystem::replace_existing(const fs::path& path, std::string_view bytes) {
  const auto sha = digest_of(path);
  if (sha.empty()) return no_such_attachment();
  bool replaced = false;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(replaced, store::replace_blob(c, sha, bytes));
    return {};
  }));
  if (!replaced) return no_such_attachment();
  return {};
}

Result<bool> DatabaseFileSystem::remove(const fs::path& path) {
  const auto sha = digest_of(path);
  if (sha.empty()) return false;
  bool removed = false;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(removed, store::delete_blob(c, sha));
    return {};
  }));
  return removed;
}

Result<void> DatabaseFileSystem::for_each_file(
    const fs::path&, const std::function<Result<void>(const std::string&)>& visit) {
  std::string after;
  while (true) {
    GONGDAN_ASSIGN(auto page, store::read_value(db_, [&](store::Connection& c) {
                     return store::blob_digests(c, after, kDigestPage);
                   }));
    for (const auto& sha : page) GONGDAN_TRY(visit(sha));
    if (page.size() < static_cast<std::size_t>(kDigestPage)) return {};
    after = page.back();
  }
}

Result<BlobCopyCounts> copy_blobs(FileSystem& from, FileSystem& to, const fs::path& root,
                                  const std::function<void(const BlobCopyCounts&)>& progress) {
  BlobCopyCounts counts;
  GONGDAN_TRY(from.for_each_file(root, [&](const std::string& name) -> Result<void> {
    if (!is_sha256_hex(name)) return {};  // a temporary file of a write under way
    const auto path = root / name.substr(0, 2) / name.substr(2, 2) / name;
    if (to.exists(path)) {
      // Its stored bytes may differ (the same file encrypted twice, with two nonces): both
      // decrypt to the plaintext the digest names, so either will do.
      ++counts.present;
    } else {
      GONGDAN_ASSIGN(auto bytes, from.read(path));
      GONGDAN_TRY(to.write_durably(path, bytes));
      GONGDAN_ASSIGN(auto back, to.read(path));
      if (crypto::sha256_hex(back) != crypto::sha256_hex(bytes))
        return fail(ErrorCode::kInternal, "attachment " + name + " did not read back as written");
      ++counts.copied;
    }
    if (progress) progress(counts);
    return {};
  }));
  return counts;
}

}  // namespace gongdan::services
