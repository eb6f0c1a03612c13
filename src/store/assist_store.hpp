// The log of requests to the drafts-and-summaries endpoint (its settings are a declared
// resource, through resource_store): one row per request, newest first for the admins' page.
#pragma once

#include <cstdint>
#include <vector>

#include "domain/assist.hpp"
#include "store/database.hpp"

namespace gongdan::store {

Result<std::int64_t> insert_assist_request(Connection& c, const AssistRequest& r);
// Up to `limit` requests older than `before_id` (0: the newest), newest first.
Result<std::vector<AssistRequest>> list_assist_requests(Connection& c, std::int64_t before_id,
                                                        int limit);

// The tokens used since `since`, summed over the answered requests.
struct AssistUse {
  std::int64_t requests = 0;
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
};
Result<AssistUse> assist_use_since(Connection& c, Millis since);

// Deletes the requests made before `before`; how many went.
Result<std::int64_t> delete_assist_requests_before(Connection& c, Millis before);
// Whether the log holds any request.
Result<bool> any_assist_requests(Connection& c);

// Migration 36: the endpoint's settings and the request log; 40: the concurrency cap and the
// log's retention (schema_assist.cpp).
std::string_view assist_schema_sql();
std::string_view assist_limits_schema_sql();

}  // namespace gongdan::store
