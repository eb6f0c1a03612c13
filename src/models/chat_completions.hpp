// The chat-completions wire format (OpenAI's, which llama.cpp, vLLM and Ollama servers speak
// too): the body of a request, and the reading of an answer. Pure and thread-safe; the answer
// is untrusted input (tests/unit/models/chat_completions_test.cpp feeds it hostile bodies).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gongdan::models {

struct ChatMessage {
  std::string role;  // system, user or assistant
  std::string content;
};

// {"model", "messages", "max_tokens", "stream": false} as JSON text.
std::string chat_request_body(std::string_view model, const std::vector<ChatMessage>& messages,
                              std::int64_t max_tokens);

struct ChatAnswer {
  std::string content;
  std::int64_t prompt_tokens = 0;  // from `usage`; 0 when the endpoint did not say
  std::int64_t completion_tokens = 0;
};

// choices[0].message.content and usage.{prompt,completion}_tokens; none when `body` is not a
// JSON object of that shape or the content is empty or only white space.
std::optional<ChatAnswer> read_chat_answer(std::string_view body);

}  // namespace gongdan::models
