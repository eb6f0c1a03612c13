// One try at delivering something gongdan sends (a mail from the outbox, a reply through an
// inbound source): what the try changes on the row that keeps the delivery's state, the same
// for every kind of delivery. Pure; the time is passed in.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "util/clock.hpp"

namespace gongdan {

// How much of a failed try's error is kept: enough to read, never a whole server's answer.
inline constexpr std::size_t kMaxAttemptErrorBytes = 1000;

// `error` as it is kept: control characters removed, then cut to kMaxAttemptErrorBytes at a
// character boundary (a server's message may be UTF-8; half a character is not text).
std::string attempt_error(std::string_view error);

// Counts one try on `row` (its status, attempts, last_error and sent_at): an empty `error`
// means it was sent; otherwise the error is kept and, when `last` (no try follows), the row
// is "failed".
template <class Row>
void note_attempt(Row& row, std::string_view error, bool last, Millis now) {
  row.attempts += 1;
  if (error.empty()) {
    row.status = "sent";
    row.sent_at = now;
    row.last_error.clear();
    return;
  }
  row.last_error = attempt_error(error);
  if (last) row.status = "failed";
}

}  // namespace gongdan
