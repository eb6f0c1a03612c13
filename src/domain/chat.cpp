#include "domain/chat.hpp"

namespace gongdan {

std::string_view chat_state_name(ChatState state) {
  switch (state) {
    case ChatState::kLive:
      return "live";
    case ChatState::kEnded:
      return "ended";
    case ChatState::kOffline:
      return "offline";
  }
  return "live";
}

std::optional<ChatState> parse_chat_state(std::string_view name) {
  if (name == "live") return ChatState::kLive;
  if (name == "ended") return ChatState::kEnded;
  if (name == "offline") return ChatState::kOffline;
  return std::nullopt;
}

bool is_hex_colour(std::string_view s) {
  if (s.size() != 7 || s[0] != '#') return false;
  for (char c : s.substr(1))
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  return true;
}

}  // namespace gongdan
