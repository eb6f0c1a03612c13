#include "util/http_exchange.hpp"

#include <curl/curl.h>

#include <memory>
#include <mutex>

#include "util/answer_sink.hpp"

namespace gongdan {

void init_libcurl() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

CurlHandle::CurlHandle() {
  init_libcurl();
  handle_ = curl_easy_init();
}

CurlHandle::~CurlHandle() {
  if (handle_) curl_easy_cleanup(static_cast<CURL*>(handle_));
}

Result<HttpAnswer> http_exchange(const HttpCall& call) {
  init_libcurl();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> h(curl_easy_init(), curl_easy_cleanup);
  if (!h) return fail(ErrorCode::kInternal, "cannot start an HTTP client");
  curl_slist* headers = nullptr;
  for (const auto& header : call.headers) headers = curl_slist_append(headers, header.c_str());
  HttpAnswer answer;
  AnswerSink sink{&answer.body, call.max_bytes, !call.keep_truncated};
  char errbuf[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(h.get(), CURLOPT_URL, call.url.c_str());
  curl_easy_setopt(h.get(), CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h.get(), CURLOPT_FOLLOWLOCATION, 0L);
  if (!call.proxy_from_environment) curl_easy_setopt(h.get(), CURLOPT_NOPROXY, "*");
  curl_easy_setopt(h.get(), CURLOPT_NOSIGNAL, 1L);
  if (call.timeout_ms > 0) curl_easy_setopt(h.get(), CURLOPT_TIMEOUT_MS, call.timeout_ms);
  if (call.connect_timeout_ms > 0)
    curl_easy_setopt(h.get(), CURLOPT_CONNECTTIMEOUT_MS, call.connect_timeout_ms);
  if (call.body) {
    curl_easy_setopt(h.get(), CURLOPT_POSTFIELDS, call.body->data());
    curl_easy_setopt(h.get(), CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(call.body->size()));
  }
  if (!call.user.empty()) {
    curl_easy_setopt(h.get(), CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(h.get(), CURLOPT_USERNAME, call.user.c_str());
    curl_easy_setopt(h.get(), CURLOPT_PASSWORD, call.password.c_str());
  }
  curl_easy_setopt(h.get(), CURLOPT_WRITEFUNCTION, keep_answer);
  curl_easy_setopt(h.get(), CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(h.get(), CURLOPT_ERRORBUFFER, errbuf);
  const CURLcode rc = curl_easy_perform(h.get());
  curl_slist_free_all(headers);
  curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &answer.status);
  answer.done = rc == CURLE_OK;
  answer.timed_out = rc == CURLE_OPERATION_TIMEDOUT;
  answer.too_long = sink.too_long;
  if (answer.too_long && !call.keep_truncated) answer.body.clear();
  if (!answer.done) answer.error = errbuf[0] ? errbuf : curl_easy_strerror(rc);
  return answer;
}

}  // namespace gongdan
