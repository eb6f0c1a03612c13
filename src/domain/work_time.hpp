// Handle time (docs/metrics.md): the time an agent spends working on a ticket, reported by the
// desk as heartbeats while the ticket's page is open in a visible tab and the agent was active
// within the idle cut-off. Pure: the service passes the previous heartbeat's time and now.
#pragma once

#include <optional>

#include "util/clock.hpp"
#include "util/result.hpp"

namespace gongdan {

// What one heartbeat may claim: the desk sends one every 30 seconds, and one when the tab is
// hidden or the page closed; a claim over this is refused, never cut.
inline constexpr Millis kMaxWorkClaimMs = 10 * 60 * 1000;
// The desk's idle cut-off: time counts while the agent touched the page (keys, pointer,
// scrolling) within this long. The desk applies it; it is here so the docs, the desk and the
// tests name one number.
inline constexpr Millis kWorkIdleCutoffMs = 5 * 60 * 1000;

// What a heartbeat adds: the milliseconds it claims, but never more than the wall time since
// the previous heartbeat of the same agent on the same ticket (from any tab or node), so two
// tabs open on one ticket count once; the first heartbeat ever starts the count and adds
// nothing. A negative claim, or one over kMaxWorkClaimMs, is invalid_argument.
Result<Millis> counted_work(Millis claimed, std::optional<Millis> previous, Millis now);

}  // namespace gongdan
