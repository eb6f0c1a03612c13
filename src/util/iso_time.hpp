// Instants as ISO 8601 text in UTC ("2026-12-06T09:30:00.000Z"), the form every answer uses.
#pragma once

#include <string>

#include "util/clock.hpp"

namespace gongdan {

std::string iso_time(Millis ms);

}  // namespace gongdan
