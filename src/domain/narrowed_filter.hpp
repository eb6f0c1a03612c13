// A list request that names a view and adds filters of its own (the desk's filter bar over
// "All open" or a saved view) asks for the tickets both match. Pure: the two filters become one,
// or nothing when no ticket could match both (two different requesters, say).
#pragma once

#include <optional>

#include "domain/ticket_filter.hpp"

namespace gongdan {

// Both filters must already be for one viewer (TicketFilter::for_viewer). A list in both is
// their intersection; a value in both must be the same; date ranges overlap.
std::optional<TicketFilter> narrowed(const TicketFilter& view, const TicketFilter& more);

}  // namespace gongdan
