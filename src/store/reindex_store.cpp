#include "store/reindex_store.hpp"

#include <vector>

#include "store/search_index.hpp"

namespace gongdan::store {

// Rows are gathered before `fn` runs: it writes on the same connection, which on SQLite must
// not happen while a statement over the same table is still stepping.
Result<void> each_ticket_id(Connection& c, const std::function<Result<void>(std::int64_t)>& fn) {
  std::vector<std::int64_t> ids;
  {
    GONGDAN_ASSIGN(auto q, query(c, "SELECT id FROM tickets ORDER BY id"));
    GONGDAN_ASSIGN(ids, read_ids(q));
  }
  for (auto id : ids) GONGDAN_TRY(fn(id));
  return {};
}

Result<void> each_message_body(
    Connection& c, const std::function<Result<void>(std::int64_t, const std::string&)>& fn) {
  std::int64_t after = 0;
  while (true) {
    std::vector<std::pair<std::int64_t, std::string>> page;
    {
      GONGDAN_ASSIGN(auto q,
                     query(c, "SELECT id, body FROM messages WHERE id > ? ORDER BY id LIMIT 1000"));
      GONGDAN_ASSIGN(page, read_rows(q.bind(after), [](const Query& r) {
                       return std::pair{r.integer(0), r.text(1)};
                     }));
    }
    if (page.empty()) return {};
    for (const auto& [id, body] : page) GONGDAN_TRY(fn(id, body));
    after = page.back().first;
  }
}

Result<void> each_contact(
    Connection& c,
    const std::function<Result<void>(std::int64_t, const std::string&, const std::string&)>& fn) {
  std::vector<std::tuple<std::int64_t, std::string, std::string>> rows;
  {
    GONGDAN_ASSIGN(
        auto q, query(c, "SELECT id, name, email FROM users WHERE role = 'customer' ORDER BY id"));
    GONGDAN_ASSIGN(rows, read_rows(q, [](const Query& r) {
                     return std::tuple{r.integer(0), r.text(1), r.text(2)};
                   }));
  }
  for (const auto& [id, name, email] : rows) GONGDAN_TRY(fn(id, name, email));
  return {};
}

}  // namespace gongdan::store
