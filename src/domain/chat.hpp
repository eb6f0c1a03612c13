// Live chat. A department's widget (a declared resource: on or off, its colour, greetings and
// how many chats each agent takes at once) and the sessions visitors open through it. A session
// is a ticket of channel "chat": its transcript is the ticket's messages, its agent the ticket's
// assignee, its department the ticket's; the session row keeps only what a ticket has no place
// for (its state, the token's nonce, how far each side has read).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/clock.hpp"

namespace gongdan {

struct ChatWidget {
  std::int64_t id = 0;
  std::int64_t department_id = 0;
  bool enabled = true;
  std::string colour = "#409eff";
  std::string greeting_en = "Hi! How can we help?";
  std::string greeting_zh = "您好！有什么可以帮您？";
  std::int64_t max_chats_per_agent = 3;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// live: waiting in the queue (no assignee) or talking with an agent; ended: closed by either
// side; offline: nobody was online, so the question became an ordinary ticket answered by mail.
enum class ChatState { kLive, kEnded, kOffline };
std::string_view chat_state_name(ChatState state);
std::optional<ChatState> parse_chat_state(std::string_view name);

struct ChatSession {
  std::int64_t id = 0;
  std::int64_t widget_id = 0;
  std::int64_t ticket_id = 0;
  std::int64_t visitor_id = 0;  // the contact (the ticket's requester)
  std::string state = "live";
  std::string nonce;              // signed into the visitor's token
  std::int64_t visitor_read = 0;  // the last message id each side has seen
  std::int64_t agent_read = 0;
  std::string ip;
  Millis created_at = 0;
  std::optional<Millis> ended_at;
};

// Limits of what a visitor sends.
inline constexpr std::size_t kMaxChatMessageLength = 4000;
inline constexpr std::size_t kMaxChatFileBytes = 10 * 1024 * 1024;

// "#rrggbb" only: the colour goes into the widget's CSS.
bool is_hex_colour(std::string_view s);

}  // namespace gongdan
