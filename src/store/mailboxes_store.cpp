#include "store/mailboxes_store.hpp"

namespace gongdan::store {

Result<void> record_mailbox_poll(Connection& c, std::int64_t id, Millis at, std::string_view error,
                                 std::int64_t fetched) {
  return run(
      c,
      "UPDATE mailboxes SET last_poll_at = ?, last_error = ?, fetched = fetched + ? WHERE id = ?",
      at, error, fetched, id);
}

}  // namespace gongdan::store
