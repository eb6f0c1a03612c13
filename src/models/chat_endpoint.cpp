#include "models/chat_endpoint.hpp"

#include <curl/curl.h>

#include <memory>
#include <mutex>

#include "util/answer_sink.hpp"

namespace gongdan::models {

ChatHttp post_chat(const ChatPost& post) {
  static std::once_flag global;
  std::call_once(global, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  ChatHttp out;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> h(curl_easy_init(), curl_easy_cleanup);
  if (!h) {
    out.failure = ChatFailure::kUnreachable;
    out.error = "cannot start an HTTP client";
    return out;
  }
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Accept: application/json");
  if (!post.api_key.empty())
    headers = curl_slist_append(headers, ("Authorization: Bearer " + post.api_key).c_str());
  std::string answer;
  AnswerSink body{&answer, std::size_t{1} << 20, true};
  char errbuf[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(h.get(), CURLOPT_URL, post.url.c_str());
  curl_easy_setopt(h.get(), CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h.get(), CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h.get(), CURLOPT_NOPROXY, "*");
  curl_easy_setopt(h.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h.get(), CURLOPT_TIMEOUT_MS, post.timeout_ms);
  curl_easy_setopt(h.get(), CURLOPT_POSTFIELDS, post.body.c_str());
  curl_easy_setopt(h.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post.body.size()));
  curl_easy_setopt(h.get(), CURLOPT_WRITEFUNCTION, keep_answer);
  curl_easy_setopt(h.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(h.get(), CURLOPT_ERRORBUFFER, errbuf);
  const CURLcode rc = curl_easy_perform(h.get());
  curl_slist_free_all(headers);
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    out.failure = ChatFailure::kTimeout;
    out.error = "no answer within " + std::to_string(post.timeout_ms / 1000) + " s";
    return out;
  }
  if (body.too_long || rc != CURLE_OK) {
    out.failure = ChatFailure::kUnreachable;
    out.error = body.too_long ? "the answer is over 1 MiB"
                              : (errbuf[0] ? std::string(errbuf) : curl_easy_strerror(rc));
    return out;
  }
  curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &out.status);
  out.body = std::move(answer);
  return out;
}

}  // namespace gongdan::models
