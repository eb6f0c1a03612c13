#include "services/reply_address.hpp"

#include <charconv>

#include "util/crypto.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

constexpr std::size_t kReplyMacChars = 20;  // 80 bits

std::string reply_mac(const SecretBox& signer, std::int64_t number, std::int64_t agent_id) {
  return signer.mac("agent-reply:" + std::to_string(number) + ":" + std::to_string(agent_id))
      .substr(0, kReplyMacChars);
}

// Reads decimal digits at `pos` and moves past them; nullopt when there are none.
std::optional<std::int64_t> read_number(std::string_view s, std::size_t& pos) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data() + pos, s.data() + s.size(), v);
  if (ec != std::errc() || v <= 0) return std::nullopt;
  pos = static_cast<std::size_t>(p - s.data());
  return v;
}

// "t12-a3-<mac>" → the tag, when its MAC is right.
std::optional<AgentReplyTag> check_tag(const SecretBox& signer, std::string_view tag) {
  std::size_t pos = 0;
  if (tag.empty() || tag[0] != 't') return std::nullopt;
  pos = 1;
  auto number = read_number(tag, pos);
  if (!number || tag.substr(pos, 2) != "-a") return std::nullopt;
  pos += 2;
  auto agent = read_number(tag, pos);
  if (!agent || pos >= tag.size() || tag[pos] != '-') return std::nullopt;
  const std::string mac = text::to_lower_ascii(tag.substr(pos + 1));
  if (mac.size() != kReplyMacChars) return std::nullopt;
  if (!crypto::equal_constant_time(mac, reply_mac(signer, *number, *agent))) return std::nullopt;
  return AgentReplyTag{*number, *agent, "+" + std::string(tag)};
}

}  // namespace

std::string agent_reply_address(const SecretBox& signer, std::string_view mailbox_address,
                                std::int64_t ticket_number, std::int64_t agent_id) {
  const auto at = mailbox_address.rfind('@');
  const std::string_view local =
      at == std::string_view::npos ? mailbox_address : mailbox_address.substr(0, at);
  const std::string_view domain =
      at == std::string_view::npos ? std::string_view() : mailbox_address.substr(at);
  return std::string(local) + "+t" + std::to_string(ticket_number) + "-a" +
         std::to_string(agent_id) + "-" + reply_mac(signer, ticket_number, agent_id) +
         std::string(domain);
}

std::optional<AgentReplyTag> verified_reply_tag(const SecretBox& signer,
                                                const std::vector<std::string>& addresses) {
  for (const auto& address : addresses) {
    const std::string_view a = address;
    const auto at = a.rfind('@');
    const std::string_view local = at == std::string_view::npos ? a : a.substr(0, at);
    // Every "+" segment: the mailbox's own local part may hold one already.
    for (auto plus = local.find('+'); plus != std::string_view::npos;
         plus = local.find('+', plus + 1)) {
      auto end = local.find('+', plus + 1);
      auto tag =
          local.substr(plus + 1, end == std::string_view::npos ? local.npos : end - plus - 1);
      if (auto found = check_tag(signer, text::to_lower_ascii(tag))) return found;
    }
  }
  return std::nullopt;
}

}  // namespace gongdan::services
