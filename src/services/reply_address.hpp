// Proof that a mail comes from an agent: a personal reply address per ticket and agent,
//   support+t<number>-a<agent id>-<20 hex of an HMAC>@desk.example
// made from the ticket's sending mailbox by plus-addressing. Only that agent is ever shown it
// (GET /api/v1/tickets/{n}/mail-settings); the customer never sees it, so a customer who forges
// the agent's From cannot forge this too. The MAC key is derived from mail.key in the data
// directory (SecretBox::mac): rotating that file revokes every address.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/secret_box.hpp"

namespace gongdan::services {

struct AgentReplyTag {
  std::int64_t ticket_number = 0;
  std::int64_t agent_id = 0;
  std::string text;  // "+t12-a3-<mac>" as found (lower case), to scrub it from text
};

std::string agent_reply_address(const SecretBox& signer, std::string_view mailbox_address,
                                std::int64_t ticket_number, std::int64_t agent_id);

// The first of `addresses` (To, Cc) that carries a tag whose MAC checks; nullopt otherwise. A
// tag that does not check is ignored: the mail is then only what its From claims.
std::optional<AgentReplyTag> verified_reply_tag(const SecretBox& signer,
                                                const std::vector<std::string>& addresses);

}  // namespace gongdan::services
