#include "domain/call_log.hpp"

#include <array>

namespace gongdan {

bool is_call_direction(std::string_view direction) {
  return direction == "inbound" || direction == "outbound";
}

bool is_call_outcome(std::string_view outcome) {
  static constexpr std::array<std::string_view, 5> all{"answered", "missed", "voicemail", "busy",
                                                       "failed"};
  for (auto o : all)
    if (o == outcome) return true;
  return false;
}

bool is_phone_number(std::string_view number) {
  bool digit = false;
  for (char c : number) {
    digit = digit || (c >= '0' && c <= '9');
    if (!((c >= '0' && c <= '9') || c == '+' || c == '-' || c == ' ' || c == '(' || c == ')'))
      return false;
  }
  return digit && number.size() <= 32;
}

}  // namespace gongdan
