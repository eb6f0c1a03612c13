#include "store/mailboxes_store.hpp"

namespace gongdan::store {

Result<void> record_mailbox_poll(Connection& c, std::int64_t id, Millis at, std::string_view error,
                                 std::int64_t fetched) {
  return run(
      c,
      "UPDATE mailboxes SET last_poll_at = ?, last_error = ?, fetched = fetched + ? WHERE id = ?",
      at, error, fetched, id);
}

Result<void> record_mailbox_idle(Connection& c, std::int64_t id, std::optional<Millis> since) {
  return run(c, "UPDATE mailboxes SET idle_since = ? WHERE id = ?", since, id);
}

Result<void> save_mailbox_refresh_token(Connection& c, std::int64_t id, std::string_view sealed) {
  return run(c, "UPDATE mailboxes SET oauth_refresh_token = ? WHERE id = ?", sealed, id);
}

Result<std::vector<MailboxPoll>> mailbox_polls(Connection& c) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT id, address, last_poll_at, last_error FROM mailboxes WHERE "
                               "active = 1 AND imap_host <> '' ORDER BY id"));
  return read_rows(q, [](const Query& r) {
    return MailboxPoll{r.integer(0), r.text(1), r.optional_integer(2), !r.text(3).empty()};
  });
}

}  // namespace gongdan::store
