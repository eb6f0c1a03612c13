// Recording one try at a delivery gongdan sends (a mail from the outbox, a reply through an
// inbound source) on the row that keeps its state: the same for every kind of delivery, with
// that kind's store functions. A template over the database so that this header needs no store/.
#pragma once

#include <cstdint>
#include <string_view>

#include "domain/delivery_attempt.hpp"
#include "util/result.hpp"

namespace gongdan::services {

// In a write of its own: the row `find` reads by `id` counts the try (note_attempt) and is stored
// by `save`; a row gone meanwhile is no error.
template <class Database, class Find, class Save>
Result<void> record_delivery_attempt(Database& db, Millis now, std::int64_t id,
                                     std::string_view error, bool last, Find find, Save save) {
  return db.write([&](auto& c) -> Result<void> {
    GONGDAN_ASSIGN(auto row, find(c, id));
    if (!row) return {};
    note_attempt(*row, error, last, now);
    return save(c, *row);
  });
}

}  // namespace gongdan::services
