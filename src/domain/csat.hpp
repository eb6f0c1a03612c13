// Customer satisfaction (CSAT): the survey a department sends when a ticket is solved, the
// rating a customer gives through the signed link in that mail, and the link's token.
//
// A token names one survey request (one ticket, one solve) and when it expires, and carries a
// MAC over both and the ticket: "<request id>.<expires ms>.<mac>". The MAC's key is the
// server's (services/secret_box), so a token cannot be made up, and changing its request id,
// its expiry or pointing it at another ticket breaks the MAC.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/clock.hpp"

namespace gongdan {

// The survey settings of a department (or, without one, of every department that has none).
struct CsatSurvey {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::int64_t> department_id;
  std::string scale = "good_bad";     // "good_bad" or "five" (1 to 5)
  std::int64_t delay_minutes = 60;    // after the solve
  std::vector<std::string> channels;  // the tickets' channels that get it; empty: every channel
  std::string question_en = "How would you rate the support you received?";
  std::string question_zh = "您对本次服务满意吗？";
  bool active = true;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// One survey sent: for one ticket and one solve, in the requester's language, rated once.
struct CsatRequest {
  std::int64_t id = 0;
  std::int64_t ticket_id = 0;
  Millis solved_at = 0;
  std::string scale;
  std::string question;  // as sent, in `language`
  std::string language;  // "en" or "zh-CN"
  Millis sent_at = 0;
  Millis expires_at = 0;
  std::optional<std::string> rating;
  std::string comment;
  std::optional<Millis> rated_at;
  // The rating link's token, given only to the ticket's requester while the survey is open (the
  // portal's ticket page rates through it); never stored.
  std::optional<std::string> token;
};

inline constexpr std::string_view kCsatScales[] = {"good_bad", "five"};

// The survey that applies to a ticket of `department_id` from `channel`: the department's own
// (active) one, else the active one without a department; none when neither exists.
const CsatSurvey* survey_for(const std::vector<CsatSurvey>& surveys,
                             std::optional<std::int64_t> department_id, std::string_view channel);

// The ratings a scale allows, worst first: good_bad "bad", "good"; five "1" … "5".
std::vector<std::string> csat_choices(std::string_view scale);
bool is_csat_choice(std::string_view scale, std::string_view rating);
// Whether a rating counts as satisfied: "good", "4" or "5".
bool is_positive_rating(std::string_view rating);

struct CsatToken {
  std::int64_t request_id = 0;
  Millis expires_at = 0;
  std::string mac;
};
// The text the MAC covers: the request, its ticket and the expiry.
std::string csat_signed_text(std::int64_t request_id, std::int64_t ticket_id, Millis expires_at);
std::string csat_token_text(const CsatToken& token);
// Splits a token; nothing for anything that is not one (the MAC is checked by the caller).
std::optional<CsatToken> parse_csat_token(std::string_view text);

}  // namespace gongdan
