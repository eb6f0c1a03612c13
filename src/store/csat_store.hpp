// Persistence of satisfaction surveys sent (table csat_requests, domain/csat.hpp); the survey
// settings are a declared resource (services/csat_service.cpp).
#pragma once

#include <optional>
#include <vector>

#include "domain/csat.hpp"
#include "store/database.hpp"

namespace gongdan::store {

// Adds the request unless this ticket's solve has one already; its id, or nothing then.
Result<std::optional<std::int64_t>> insert_csat_request(Connection& c, const CsatRequest& row);
Result<std::optional<CsatRequest>> find_csat_request(Connection& c, std::int64_t id);
// Stores the rating once: false when the request was rated already or has expired.
Result<bool> rate_csat_request(Connection& c, std::int64_t id, std::string_view rating,
                               std::string_view comment, Millis now);
// A ticket's requests, newest first.
Result<std::vector<CsatRequest>> csat_requests_of_ticket(Connection& c, std::int64_t ticket_id);

}  // namespace gongdan::store
