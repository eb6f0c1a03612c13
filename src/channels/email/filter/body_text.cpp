#include "channels/email/filter/body_text.hpp"

#include "markup/html_text.hpp"

namespace gongdan::email {

std::string body_text(const ParsedMessage& message) {
  if (!message.text_body.empty() || message.html_body.empty()) return message.text_body;
  return markup::html_to_text(message.html_body);
}

}  // namespace gongdan::email
