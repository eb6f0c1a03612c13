// Attachment files kept in the database (attachment_storage = "database"): for installs whose
// nodes share one PostgreSQL and no directory. A blob is a head row (sha256, size, chunk count)
// and its stored bytes, already encrypted by services/file_cipher, in chunks of at most
// kBlobChunkBytes (PostgreSQL bytea, SQLite BLOB), so no row holds a whole large file.
//
// A blob is written whole in the caller's write (one transaction) and never changed afterwards
// except by replace_blob (key rotation), which swaps all its chunks in one transaction too. Two
// writers putting the same digest at once: the second's head insert waits for the first's
// commit and then does nothing, so chunks of two encryptions never mix.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.hpp"

namespace gongdan::store {

inline constexpr std::size_t kBlobChunkBytes = std::size_t{1} << 20;

// Stores `bytes` under `sha256` unless a blob of that digest is there; true when it stored.
Result<bool> insert_blob(Connection& c, std::string_view sha256, std::string_view bytes);
// Replaces the bytes of an existing blob; false (and nothing stored) when there is none.
Result<bool> replace_blob(Connection& c, std::string_view sha256, std::string_view bytes);
// The stored bytes, or nullopt when there is no such blob. A blob whose chunks do not add up to
// its head is kInternal (damaged), never half a file.
Result<std::optional<std::string>> read_blob(Connection& c, std::string_view sha256);
// The first `bytes` bytes at most (the cipher header), reading only the first chunk.
Result<std::optional<std::string>> read_blob_head(Connection& c, std::string_view sha256,
                                                  std::size_t bytes);
Result<bool> blob_exists(Connection& c, std::string_view sha256);
// True when there was one to delete.
Result<bool> delete_blob(Connection& c, std::string_view sha256);
// Up to `limit` digests after `after` (""), in order: for walking every blob in pages.
Result<std::vector<std::string>> blob_digests(Connection& c, std::string_view after, int limit);

}  // namespace gongdan::store
