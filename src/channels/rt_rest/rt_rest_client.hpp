// Reads a running Request Tracker over its REST2 API (`gongdan import rt --url`): its users,
// the ids of its tickets, then one ticket at a time its record, history and attachments, each
// page with libcurl (bounded answers, timeouts, no redirects, no proxy). The records go through
// the same readers as an export's files (channels/import/rt_source), so what a folder and a
// live RT give is the same.
//
// Failures come in two kinds: RT cannot be used (unreachable, the token refused, not RT at the
// address) is an error of the call, and the import stops; one answer that is not what REST2
// sends (not JSON, an HTTP error for one ticket) is a problem naming the request, and only the
// record it was for is left out.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "domain/import_record.hpp"
#include "util/result.hpp"

namespace gongdan::channels {

struct RtRestOptions {
  std::string url;    // RT's REST2 base, "https://rt.example.com/REST/2.0"
  std::string token;  // an auth token (RT 5: Preferences → Auth Tokens)
  long timeout_ms = 120'000;
  long connect_timeout_ms = 10'000;
  std::int64_t attachment_limit = 25 << 20;  // larger files are left out, with a note
};

class RtRestClient {
 public:
  explicit RtRestClient(RtRestOptions options);

  // `GET /rt`: that RT answers at the address and takes the token. Its version.
  Result<std::string> version();
  // Every user (`GET /users`, then `GET /user/{id}` for each: only that answer says whether
  // a user is privileged) into `out.people` and `out.organizations`.
  Result<void> read_users(ImportData& out);
  // The ids of every ticket the token may see, oldest first (`GET /tickets?query=id>0`).
  Result<std::vector<std::string>> ticket_ids();
  // One ticket with its messages and attachments, appended to `out.tickets`. A ticket that
  // cannot be read is left out with a problem in `out.problems`; an attachment over the limit
  // is left out with a note in `notes`. Errors only when RT cannot be used any more.
  Result<void> read_ticket(const std::string& id, ImportData& out,
                           std::vector<ImportProblem>& notes);

 private:
  struct Answer {
    long status = 0;
    std::string body;
    bool too_long = false;
  };
  // One GET of `path` (below the base URL); an error when RT cannot be reached or refuses the
  // token (kUnavailable, kUnauthenticated), otherwise the answer whatever its status.
  Result<Answer> get(const std::string& path, std::size_t max_bytes);
  // The body of a 200 answer; kInvalidArgument naming the request for any other answer.
  Result<std::string> get_ok(const std::string& path, std::size_t max_bytes);
  // The items of every page of a collection; kInvalidArgument naming the page when one is not
  // what REST2 sends.
  Result<std::vector<boost::json::object>> all_pages(const std::string& path);

  RtRestOptions options_;
};

}  // namespace gongdan::channels
