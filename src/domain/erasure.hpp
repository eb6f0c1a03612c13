// What erasing a contact writes in place of their data (pure: no I/O). Their own messages
// become one marker sentence in their language; their name, addresses and phone numbers inside
// other people's text (an agent's "Dear …", a subject) become a short marker.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gongdan {

// The body their messages get: "[This message was erased at the contact's request.]" or, for
// a zh-CN contact, the same in Chinese.
std::string erased_message_marker(std::string_view locale);
// What replaces their name or an address inside other text: "[erased]" or "[已删除]".
std::string erased_word_marker(std::string_view locale);
// The email address an erased contact keeps, unique and undeliverable (RFC 2606 .invalid).
std::string erased_email(std::int64_t contact_id);

// The strings to remove: each given value trimmed, those shorter than 3 bytes dropped (a
// two-letter name would wipe words out of every message), longest first so a full address is
// replaced before a name inside it.
std::vector<std::string> erasure_needles(const std::vector<std::string>& values);
// `text` with every occurrence of each needle (ASCII letters in any case) replaced by `marker`.
std::string scrub(std::string_view text, const std::vector<std::string>& needles,
                  std::string_view marker);

}  // namespace gongdan
