#include "services/assist_prompt.hpp"

#include <fmt/format.h>

#include "util/text.hpp"

namespace gongdan::services {
namespace {

std::string language_name(std::string_view language) {
  if (language == "zh-CN" || language == "zh") return "Simplified Chinese";
  if (language == "zh-TW") return "Traditional Chinese";
  if (language == "en") return "English";
  if (language.empty()) return "the language the customer wrote in";
  return "the language with the code " + std::string(language);
}

std::string speaker(const Ticket& ticket, const Message& m) {
  if (m.internal) return "Agent (internal note)";
  return m.author_id == ticket.requester_id ? "Customer" : "Agent";
}

// The thread as text, oldest first: the first message always, then the latest that fit.
std::string thread_text(const Ticket& ticket, const std::vector<Message>& thread) {
  std::vector<std::string> pieces;
  for (const auto& m : thread)
    pieces.push_back(fmt::format("[{}]\n{}\n", speaker(ticket, m),
                                 text::cut_utf8(text::trim(m.body), kAssistPieceBytes)));
  if (pieces.empty()) return {};
  std::size_t used = pieces.front().size();
  std::size_t first_kept = pieces.size();
  while (first_kept > 1 && used + pieces[first_kept - 1].size() <= kAssistThreadBytes)
    used += pieces[--first_kept].size();
  std::string out = pieces.front();
  if (first_kept > 1) out += "[… earlier messages left out …]\n";
  for (std::size_t i = first_kept; i < pieces.size(); ++i) out += "\n" + pieces[i];
  return out;
}

std::string heading(const Ticket& ticket) {
  return fmt::format("Ticket #{}: {}\n\n", ticket.number, ticket.subject);
}

}  // namespace

AssistPrompt draft_prompt(const Ticket& ticket, const std::vector<Message>& thread,
                          const std::vector<KbEntry>& articles, std::string_view language) {
  std::string system = fmt::format(
      "You help a support agent answer a help-desk ticket. Write the reply to the customer's "
      "latest message, in {}. Use the knowledge-base articles given when they answer the "
      "question; never invent facts, prices, dates or promises. Write only the reply's text: no "
      "subject line, no notes to the agent. The agent reviews it before anything is sent.",
      language_name(language));
  std::string user = heading(ticket) + thread_text(ticket, thread);
  if (!articles.empty()) {
    user += "\nKnowledge-base articles that may help:\n";
    for (const auto& a : articles)
      user += fmt::format("\n### {}\n{}\n", a.translation.title,
                          text::cut_utf8(text::trim(a.translation.body_text), kAssistPieceBytes));
  }
  return {std::move(system), std::move(user)};
}

AssistPrompt summary_prompt(const Ticket& ticket, const std::vector<Message>& thread,
                            std::string_view language) {
  std::string system = fmt::format(
      "Summarize this help-desk ticket for a support agent who has not read it: the customer's "
      "problem, what was tried or answered, and what is still open. At most five short bullet "
      "points, in {}. Do not invent anything that is not in the thread.",
      language_name(language));
  return {std::move(system), heading(ticket) + thread_text(ticket, thread)};
}

}  // namespace gongdan::services
