// Persistence of every declared resource (domain/resource.hpp): the SQL is derived from the
// declaration's fields, so a resource needs no store code of its own. Values go in and come out
// as the declaration's flat Values; fields that share a column are stored there as one JSON
// object, lists as JSON arrays (or joined by the field's separator), switches as 0/1.
#pragma once

#include <optional>
#include <vector>

#include "domain/resource.hpp"
#include "store/database.hpp"

namespace gongdan::store {

// Items are found by their id column (ResourceInfo::id_column) and come back with the id under
// ResourceInfo::id_key.
struct ItemQuery {
  std::optional<std::int64_t> id;      // this item only
  std::optional<std::int64_t> viewer;  // personal resources: shared items and this owner's
  std::int64_t after = 0;              // paged lists: ids above this
  int limit = 0;                       // 0: every item
};

Result<std::vector<Values>> select_items(Connection& c, const ResourceInfo& info,
                                         const ItemQuery& query = {});
Result<std::optional<Values>> find_item(Connection& c, const ResourceInfo& info, std::int64_t id);
// A unique field's value taken by another item is a kConflict naming the field.
Result<std::int64_t> insert_item(Connection& c, const ResourceInfo& info, const Values& values);
Result<bool> update_item(Connection& c, const ResourceInfo& info, std::int64_t id,
                         const Values& values);
Result<bool> delete_item(Connection& c, const ResourceInfo& info, std::int64_t id);
// A keyed resource's item (ResourceInfo::keyed): inserted, or updated when one is stored.
Result<void> put_item(Connection& c, const ResourceInfo& info, std::int64_t id,
                      const Values& values);
// Whether `table` has a row with this id (references between resources).
Result<bool> item_exists(Connection& c, std::string_view table, std::int64_t id);

}  // namespace gongdan::store
