#include "models/chat_endpoint.hpp"

#include "util/http_exchange.hpp"

namespace gongdan::models {

ChatHttp post_chat(const ChatPost& post) {
  ChatHttp out;
  HttpCall call{post.url, {"Content-Type: application/json", "Accept: application/json"}};
  if (!post.api_key.empty()) call.headers.push_back("Authorization: Bearer " + post.api_key);
  call.body = post.body;
  call.timeout_ms = post.timeout_ms;
  auto answer = http_exchange(call);
  if (!answer) {
    out.failure = ChatFailure::kUnreachable;
    out.error = answer.error().message;
    return out;
  }
  if (answer->timed_out) {
    out.failure = ChatFailure::kTimeout;
    out.error = "no answer within " + std::to_string(post.timeout_ms / 1000) + " s";
    return out;
  }
  if (answer->too_long || !answer->done) {
    out.failure = ChatFailure::kUnreachable;
    out.error = answer->too_long ? "the answer is over 1 MiB" : answer->error;
    return out;
  }
  out.status = answer->status;
  out.body = std::move(answer->body);
  return out;
}

}  // namespace gongdan::models
