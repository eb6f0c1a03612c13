#include "services/search_reindex.hpp"

#include "domain/search_text.hpp"
#include "services/ticket_write.hpp"
#include "store/kb_store.hpp"
#include "store/reindex_store.hpp"
#include "store/search_index.hpp"
#include "store/tickets_store.hpp"

namespace gongdan::services {

Result<ReindexCounts> rebuild_search_index(store::Database& db) {
  ReindexCounts counts;
  auto& index = db.search_index();
  GONGDAN_TRY(db.exclusive([&](store::Connection& c) -> Result<void> {
    GONGDAN_TRY(store::each_ticket_id(c, [&](std::int64_t id) -> Result<void> {
      GONGDAN_ASSIGN(auto ticket, store::find_ticket(c, id));
      if (!ticket) return {};
      ++counts.tickets;
      return index.index_ticket(c, id, search::index_text(ticket->subject),
                                tags_text(ticket->tags));
    }));
    GONGDAN_TRY(
        store::each_message_body(c, [&](std::int64_t id, const std::string& body) -> Result<void> {
          ++counts.messages;
          return index.index_message(c, id, search::index_text(body));
        }));
    GONGDAN_TRY(store::each_contact(
        c, [&](std::int64_t id, const std::string& name, const std::string& email) {
          ++counts.contacts;
          return index.index_contact(c, id, search::contact_text(name, email));
        }));
    return store::each_kb_published(c, [&](const KbTranslation& t) {
      ++counts.articles;
      return index.index_article(c, t.id, t.lang, search::index_text(t.title),
                                 search::index_text(t.body_text));
    });
  }));
  return counts;
}

}  // namespace gongdan::services
