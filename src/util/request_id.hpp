// The id of the request a thread works for, so that every log line written while handling it,
// in the group-commit writer for its writes and in the jobs it enqueued, names the same id.
// The HTTP server sets it per request (and answers it as X-Request-Id); the database writer and
// the job runner carry it on.
#pragma once

#include <string>
#include <string_view>

namespace gongdan {

// "" outside any scope.
const std::string& current_request_id();

// 16 random hex characters.
std::string new_request_id();

// What a proxy may hand us as X-Request-Id: 1–64 characters of [A-Za-z0-9._:-], so that the id
// is safe in a log line, a header and a JSON string as it is.
bool is_valid_request_id(std::string_view id);

class RequestIdScope {
 public:
  explicit RequestIdScope(std::string id);
  ~RequestIdScope();
  RequestIdScope(const RequestIdScope&) = delete;
  RequestIdScope& operator=(const RequestIdScope&) = delete;

 private:
  std::string id_;
  const std::string* previous_;
};

}  // namespace gongdan
