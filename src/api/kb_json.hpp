// A knowledge-base search hit as the API answers it (schema KbHit): the KB search's items and
// the articles suggested beside a ticket.
#pragma once

#include "api/json.hpp"
#include "services/kb_service.hpp"

namespace gongdan::api {

json::object kb_hit_json(const services::KbEntry& hit);

}  // namespace gongdan::api
