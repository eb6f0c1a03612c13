#include "store/attachments_store.hpp"

namespace gongdan::store {
namespace {

constexpr std::string_view kAttachmentColumns =
    "id, sha256, size, content_type, claimed_type, filename, uploader_id, message_id, created_at";

Attachment read_attachment(const Query& q) {
  return Attachment{q.integer(0), q.text(1), q.integer(2),          q.text(3),
                    q.text(4),    q.text(5), q.optional_integer(6), q.optional_integer(7),
                    q.integer(8)};
}

}  // namespace

Result<std::int64_t> insert_attachment(Connection& c, const Attachment& a) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO attachments (sha256, size, content_type, claimed_type, "
                               "filename, uploader_id, message_id, created_at) VALUES "
                               "(?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  q.bind(a.sha256, a.size, a.content_type, a.claimed_type, a.filename, a.uploader_id, a.message_id,
         a.created_at);
  return inserted_id(q, "attachment");
}

Result<std::optional<Attachment>> find_attachment(Connection& c, std::int64_t id) {
  static const std::string sql =
      "SELECT " + std::string(kAttachmentColumns) + " FROM attachments WHERE id = ?";
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_first(q.bind(id), read_attachment);
}

Result<bool> attach_to_message(Connection& c, std::int64_t id, std::int64_t message_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE attachments SET message_id = ? WHERE id = ? AND "
                               "message_id IS NULL"));
  GONGDAN_TRY(q.bind(message_id, id).run());
  return c.changes() == 1;
}

Result<std::map<std::int64_t, std::vector<Attachment>>> attachments_of_messages(
    Connection& c, const std::vector<std::int64_t>& message_ids) {
  static const std::string sql = "SELECT " + std::string(kAttachmentColumns) +
                                 " FROM attachments WHERE message_id = ? ORDER BY id";
  std::map<std::int64_t, std::vector<Attachment>> out;
  for (auto id : message_ids) {
    GONGDAN_ASSIGN(auto q, query(c, sql));
    GONGDAN_ASSIGN(out[id], read_rows(q.bind(id), read_attachment));
  }
  return out;
}

}  // namespace gongdan::store
