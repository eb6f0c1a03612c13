#include "store/schema.hpp"

namespace gongdan::store {

// Ticket numbers on PostgreSQL come from a sequence: nodes' writers take numbers without waiting
// on each other (the counter row would hold every create until its batch commits). Numbers stay
// unique; a rolled-back create leaves a gap. SQLite keeps the counter row (one writer).
std::string_view ticket_number_sequence_schema() {
  return R"sql(
{{ticket_number_sequence}}
)sql";
}

}  // namespace gongdan::store
