// A phone call logged on a ticket, by an agent or by the CTI webhook: which way, the other
// party's number, how long, how it ended, what was said, and the PBX's recording when it has one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/clock.hpp"

namespace gongdan {

struct CallLog {
  std::int64_t id = 0;
  std::int64_t ticket_id = 0;
  std::optional<std::int64_t> author_id;  // none when the PBX logged it
  std::string direction = "inbound";      // inbound or outbound
  std::string number;
  std::int64_t duration_seconds = 0;
  std::string outcome = "answered";  // answered, missed, voicemail, busy, failed
  std::string notes;
  std::string recording_url;
  Millis started_at = 0;
  Millis created_at = 0;
};

bool is_call_direction(std::string_view direction);
bool is_call_outcome(std::string_view outcome);
// Digits, + - ( ) and spaces, with a digit, at most 32 bytes.
bool is_phone_number(std::string_view number);

inline constexpr std::size_t kMaxCallNotesLength = 16 * 1024;

}  // namespace gongdan
