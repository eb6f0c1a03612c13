// What the drafts-and-summaries endpoint is told about a ticket (issue 22): a system
// instruction and one user message holding the ticket's thread (and, for a draft, the
// knowledge-base articles that match it), cut to fit a budget. Pure: the caller reads the
// ticket, its messages (only those the agent may see) and the articles.
#pragma once

#include <string>
#include <vector>

#include "domain/ticket.hpp"
#include "services/kb_service.hpp"

namespace gongdan::services {

// What the endpoint is told: the instruction (the system message) and the ticket (the user's).
struct AssistPrompt {
  std::string system;
  std::string user;
};

// A thread longer than this many bytes keeps its first message and as many of the latest as fit.
inline constexpr std::size_t kAssistThreadBytes = 24'000;
// Each message and each article is cut to this many bytes.
inline constexpr std::size_t kAssistPieceBytes = 4'000;

// A reply to the requester's latest message, in `language` ("zh-CN", "en", …; empty: the
// language the customer wrote in), from the public messages and the articles.
AssistPrompt draft_prompt(const Ticket& ticket, const std::vector<Message>& thread,
                          const std::vector<KbEntry>& articles, std::string_view language);
// A few bullet points for an agent, in `language` (the agent's own).
AssistPrompt summary_prompt(const Ticket& ticket, const std::vector<Message>& thread,
                            std::string_view language);

}  // namespace gongdan::services
