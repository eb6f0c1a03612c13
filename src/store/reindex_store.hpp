// What the full-text index is built from, read table by table to build the index again (after
// gongdan migrate-data, whose target cannot read the source's index).
#pragma once

#include <functional>
#include <string>

#include "store/database.hpp"

namespace gongdan::store {

Result<void> each_ticket_id(Connection& c, const std::function<Result<void>(std::int64_t)>& fn);
Result<void> each_message_body(
    Connection& c, const std::function<Result<void>(std::int64_t, const std::string&)>& fn);
Result<void> each_contact(
    Connection& c,
    const std::function<Result<void>(std::int64_t, const std::string&, const std::string&)>& fn);

}  // namespace gongdan::store
