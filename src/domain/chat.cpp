#include "domain/chat.hpp"

#include "util/enum_names.hpp"

namespace gongdan {
namespace {

constexpr Named<ChatState> kStates[] = {
    {ChatState::kLive, "live"}, {ChatState::kEnded, "ended"}, {ChatState::kOffline, "offline"}};

}  // namespace

std::string_view chat_state_name(ChatState state) { return name_in(kStates, state, "live"); }

std::optional<ChatState> parse_chat_state(std::string_view name) { return value_in(kStates, name); }

bool is_hex_colour(std::string_view s) {
  if (s.size() != 7 || s[0] != '#') return false;
  for (char c : s.substr(1))
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  return true;
}

}  // namespace gongdan
