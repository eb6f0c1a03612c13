// One POST to a chat-completions endpoint with libcurl: the whole exchange is cut off after the
// timeout, no redirects are followed, no proxy is used and answers over 1 MiB are refused. The
// endpoint is what an admin set (often a model server on the same machine or network), so no
// address rules apply beyond the scheme (http or https). Thread-safe: one handle per call.
#pragma once

#include <string>

namespace gongdan::models {

struct ChatPost {
  std::string url;      // .../chat/completions
  std::string api_key;  // sent as "Authorization: Bearer <api_key>"; empty: no header
  std::string body;     // JSON
  long timeout_ms = 30'000;
};

enum class ChatFailure { kNone, kTimeout, kUnreachable };

struct ChatHttp {
  ChatFailure failure = ChatFailure::kNone;
  long status = 0;    // the HTTP status, when an answer came
  std::string body;   // the answer's body
  std::string error;  // why there is no answer
};

ChatHttp post_chat(const ChatPost& post);

}  // namespace gongdan::models
