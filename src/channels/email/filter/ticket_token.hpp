// The ticket token in a subject line: "[#1234]" by default, "[<prefix>1234]" with a configured
// prefix such as "GD#". Threading uses it only as the second hint, after Message-IDs, and never
// threads by the rest of the subject text.
//
// Contract: pure. The prefix is matched case-insensitively; full-width brackets 【】［］ that some
// Chinese clients substitute are accepted. Returns the first token's ticket number.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gongdan::email {

inline constexpr std::string_view kDefaultTicketTokenPrefix = "#";

std::optional<std::int64_t> find_ticket_token(std::string_view subject,
                                              std::string_view prefix = kDefaultTicketTokenPrefix);

// "[#1234]": what outgoing mail puts in its subject.
std::string format_ticket_token(std::int64_t ticket_number,
                                std::string_view prefix = kDefaultTicketTokenPrefix);

}  // namespace gongdan::email
