#include "store/attachments_store.hpp"

#include "store/column_table.hpp"

namespace gongdan::store {
namespace {

const ColumnTable kAttachments(
    "attachments", column("id", &Attachment::id), column("sha256", &Attachment::sha256),
    column("size", &Attachment::size), column("content_type", &Attachment::content_type),
    column("claimed_type", &Attachment::claimed_type), column("filename", &Attachment::filename),
    column("uploader_id", &Attachment::uploader_id), column("message_id", &Attachment::message_id),
    column("created_at", &Attachment::created_at));

}  // namespace

Result<std::int64_t> insert_attachment(Connection& c, const Attachment& a) {
  return kAttachments.insert(c, a, "attachment");
}

Result<std::optional<Attachment>> find_attachment(Connection& c, std::int64_t id) {
  return kAttachments.find(c, id);
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
  static const std::string sql = kAttachments.select("WHERE message_id = ? ORDER BY id");
  std::map<std::int64_t, std::vector<Attachment>> out;
  for (auto id : message_ids) {
    GONGDAN_ASSIGN(auto q, query(c, sql));
    GONGDAN_ASSIGN(out[id], read_rows(q.bind(id), kAttachments));
  }
  return out;
}

}  // namespace gongdan::store
