// The attachment store's bytes in the database (attachment_storage = "database"): a FileSystem
// (services/attachment_files.hpp) over store/attachment_blobs_store, so AttachmentFiles
// encrypts, names and checks blobs exactly as it does in the data directory, and nodes that
// share a database (PostgreSQL) serve each other's attachments without a shared directory.
//
// A path's file name is the blob's digest; the folders above it are ignored. A write is one
// database write, durable when it returns (as write_durably promises), so the row that names
// the blob commits after it. Reads go to the database's readers.
#pragma once

#include "services/attachment_files.hpp"
#include "services/store_fwd.hpp"

namespace gongdan::services {

class DatabaseFileSystem : public FileSystem {
 public:
  explicit DatabaseFileSystem(store::Database& db) : db_(db) {}

  Result<void> write_durably(const std::filesystem::path& path, std::string_view bytes) override;
  Result<void> sync_existing(const std::filesystem::path& path) override;
  Result<std::string> read(const std::filesystem::path& path) override;
  bool exists(const std::filesystem::path& path) override;
  Result<std::string> read_head(const std::filesystem::path& path, std::size_t bytes) override;
  Result<void> replace_existing(const std::filesystem::path& path, std::string_view bytes) override;
  Result<bool> remove(const std::filesystem::path& path) override;
  Result<void> for_each_file(const std::filesystem::path& root,
                             const std::function<Result<void>(const std::string&)>& visit) override;

 private:
  store::Database& db_;
};

// Where attachments live; the setting attachment_storage names them "files" and "database".
enum class AttachmentStorage { kFiles, kDatabase };

struct BlobCopyCounts {
  std::int64_t copied = 0;   // written to the target
  std::int64_t present = 0;  // already there with the same bytes
};

// Copies every blob of `from` under `root` that `to` lacks, as stored (encrypted bytes
// unchanged, so no key is needed), and reads each back from `to` to compare: one that does not
// read back equal is a kInternal naming it. The source is left as it was. `progress` is called
// after each blob.
Result<BlobCopyCounts> copy_blobs(FileSystem& from, FileSystem& to,
                                  const std::filesystem::path& root,
                                  const std::function<void(const BlobCopyCounts&)>& progress = {});

}  // namespace gongdan::services
