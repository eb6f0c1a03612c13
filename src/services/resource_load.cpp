#include "services/resource_load.hpp"

#include "store/database.hpp"
#include "store/resource_store.hpp"

namespace gongdan::services {

Result<std::vector<Values>> read_items(store::Connection& c, const ResourceInfo& info) {
  return store::select_items(c, info);
}

Result<std::optional<Values>> read_item(store::Connection& c, const ResourceInfo& info,
                                        std::int64_t id) {
  return store::find_item(c, info, id);
}

Result<std::vector<Values>> read_items(store::Database& db, const ResourceInfo& info) {
  return store::read_value(db, [&](store::Connection& c) { return read_items(c, info); });
}

Result<std::optional<Values>> read_item(store::Database& db, const ResourceInfo& info,
                                        std::int64_t id) {
  return store::read_value(db, [&](store::Connection& c) { return read_item(c, info, id); });
}

}  // namespace gongdan::services
