#include "store/mailboxes_store.hpp"

namespace gongdan::store {

Result<void> record_mailbox_poll(Connection& c, std::int64_t id, Millis at, std::string_view error,
                                 std::int64_t fetched) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE mailboxes SET last_poll_at = ?, last_error = ?, fetched = "
                               "fetched + ? WHERE id = ?"));
  return q.bind(at, error, fetched, id).run();
}

}  // namespace gongdan::store
