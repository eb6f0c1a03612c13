// Typed reads of declared resources for the engine inside services (the caches of rules,
// policies and the catalog): the stored items as their domain type.
#pragma once

#include <optional>
#include <vector>

#include "domain/resource.hpp"
#include "store/resource_store.hpp"

namespace gongdan::services {

template <class T>
Result<std::vector<T>> load_all(store::Connection& c, const Resource<T>& r,
                                const store::ItemQuery& query = {}) {
  GONGDAN_ASSIGN(auto rows, store::select_items(c, r.info, query));
  std::vector<T> out;
  out.reserve(rows.size());
  for (const auto& values : rows) {
    GONGDAN_ASSIGN(T item, r.make(values));
    out.push_back(std::move(item));
  }
  return out;
}

template <class T>
Result<std::optional<T>> load_one(store::Connection& c, const Resource<T>& r, std::int64_t id) {
  GONGDAN_ASSIGN(auto values, store::find_item(c, r.info, id));
  if (!values) return std::optional<T>{};
  GONGDAN_ASSIGN(T item, r.make(*values));
  return std::optional<T>(std::move(item));
}

}  // namespace gongdan::services
