#include "store/attachment_blobs_store.hpp"

#include <algorithm>

#include "store/triage_store.hpp"

namespace gongdan::store {
namespace {

// A chunk as the engine answers it: PostgreSQL in text format reads a bytea as "\x" and hex.
std::string chunk_bytes(Connection& c, const Query& q, int column) {
  auto bytes = q.text(column);
  if (c.engine() == Engine::kPostgres) bytes = from_bytea_text(std::move(bytes));
  return bytes;
}

Result<void> insert_chunks(Connection& c, std::string_view sha256, std::string_view bytes) {
  std::int64_t chunk = 0;
  for (std::size_t at = 0; at == 0 || at < bytes.size(); at += kBlobChunkBytes, ++chunk) {
    GONGDAN_ASSIGN(auto q, query(c,
                                 "INSERT INTO attachment_blob_chunks (sha256, chunk, bytes) "
                                 "VALUES (?, ?, ?)"));
    q.bind(sha256, chunk);
    q.statement().bind_blob(3, bytes.substr(at, kBlobChunkBytes));
    GONGDAN_TRY(q.run());
  }
  return {};
}

std::int64_t chunk_count(std::size_t size) {
  return size == 0 ? 1 : static_cast<std::int64_t>((size + kBlobChunkBytes - 1) / kBlobChunkBytes);
}

}  // namespace

Result<bool> insert_blob(Connection& c, std::string_view sha256, std::string_view bytes) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO attachment_blob_heads (sha256, size, chunks) VALUES "
                               "(?, ?, ?) ON CONFLICT (sha256) DO NOTHING RETURNING sha256"));
  q.bind(sha256, static_cast<std::int64_t>(bytes.size()), chunk_count(bytes.size()));
  GONGDAN_ASSIGN(bool inserted, q.next());
  q.statement().reset();
  if (!inserted) return false;
  GONGDAN_TRY(insert_chunks(c, sha256, bytes));
  return true;
}

Result<bool> replace_blob(Connection& c, std::string_view sha256, std::string_view bytes) {
  GONGDAN_ASSIGN(bool there, run_changed(c,
                                         "UPDATE attachment_blob_heads SET size = ?, chunks = ? "
                                         "WHERE sha256 = ?",
                                         static_cast<std::int64_t>(bytes.size()),
                                         chunk_count(bytes.size()), sha256));
  if (!there) return false;
  GONGDAN_TRY(run(c, "DELETE FROM attachment_blob_chunks WHERE sha256 = ?", sha256));
  GONGDAN_TRY(insert_chunks(c, sha256, bytes));
  return true;
}

Result<std::optional<std::string>> read_blob(Connection& c, std::string_view sha256) {
  GONGDAN_ASSIGN(auto head, query(c,
                                  "SELECT size, chunks FROM attachment_blob_heads WHERE sha256 "
                                  "= ?"));
  head.bind(sha256);
  GONGDAN_ASSIGN(bool found, head.next());
  if (!found) return std::optional<std::string>();
  const auto size = head.integer(0);
  const auto chunks = head.integer(1);
  head.statement().reset();
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT chunk, bytes FROM attachment_blob_chunks WHERE sha256 = ? "
                               "ORDER BY chunk"));
  q.bind(sha256);
  std::string out;
  out.reserve(static_cast<std::size_t>(std::max<std::int64_t>(size, 0)));
  std::int64_t expected = 0;
  while (true) {
    GONGDAN_ASSIGN(bool row, q.next());
    if (!row) break;
    if (q.integer(0) != expected++) break;
    out += chunk_bytes(c, q, 1);
  }
  q.statement().reset();
  if (expected != chunks || static_cast<std::int64_t>(out.size()) != size)
    return fail(ErrorCode::kInternal, "attachment store: the stored blob is incomplete");
  return std::optional(std::move(out));
}

Result<std::optional<std::string>> read_blob_head(Connection& c, std::string_view sha256,
                                                  std::size_t bytes) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT bytes FROM attachment_blob_chunks WHERE sha256 = ? AND "
                               "chunk = 0"));
  q.bind(sha256);
  GONGDAN_ASSIGN(bool row, q.next());
  if (!row) return std::optional<std::string>();
  auto out = chunk_bytes(c, q, 0);
  q.statement().reset();
  out.resize(std::min(out.size(), bytes));
  return std::optional(std::move(out));
}

Result<bool> blob_exists(Connection& c, std::string_view sha256) {
  GONGDAN_ASSIGN(auto n, select_count(c,
                                      "SELECT COUNT(*) FROM attachment_blob_heads WHERE "
                                      "sha256 = ?",
                                      sha256));
  return n > 0;
}

Result<bool> delete_blob(Connection& c, std::string_view sha256) {
  GONGDAN_TRY(run(c, "DELETE FROM attachment_blob_chunks WHERE sha256 = ?", sha256));
  return run_changed(c, "DELETE FROM attachment_blob_heads WHERE sha256 = ?", sha256);
}

Result<std::vector<std::string>> blob_digests(Connection& c, std::string_view after, int limit) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT sha256 FROM attachment_blob_heads WHERE sha256 > ? ORDER "
                               "BY sha256 LIMIT ?"));
  q.bind(after, static_cast<std::int64_t>(limit));
  return read_texts(q);
}

}  // namespace gongdan::store
