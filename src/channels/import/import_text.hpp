// Small pieces every import format needs: instants as the exports write them, and checks that
// text is text. Pure; no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/clock.hpp"

namespace gongdan::import {

// "2024-03-01T08:30:00Z", with optional fractional seconds and a "+08:00" / "-0500" offset, or
// "2024-03-01 08:30:00" (UTC) or "2024-03-01" (midnight UTC); nullopt for anything else.
std::optional<Millis> parse_time(std::string_view text);

// Where a record is, for messages: "tickets.json record 3 (id 42)".
std::string record_at(std::string_view file, std::size_t index, std::string_view id);

// Standard base64 (RFC 4648, padding optional, line breaks and spaces skipped) as bytes;
// nullopt when it is not base64. Request Tracker's REST2 sends attachments' content so.
std::optional<std::string> decode_base64(std::string_view text);

// A source's id as text: numbers stay exact, strings as they are.
inline constexpr std::size_t kMaxRefLength = 200;

}  // namespace gongdan::import
