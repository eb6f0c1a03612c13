// Typed reads of declared resources for the engine inside services (the caches of rules,
// policies and the catalog): the stored items as their domain type.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "domain/resource.hpp"
#include "services/store_fwd.hpp"

namespace gongdan::services {

// Every stored item of the resource, and one by id, as the declaration's flat Values
// (store/resource_store): the one place the typed reads below reach the store.
Result<std::vector<Values>> read_items(store::Connection& c, const ResourceInfo& info);
Result<std::optional<Values>> read_item(store::Connection& c, const ResourceInfo& info,
                                        std::int64_t id);

// The same, each in a read of its own.
Result<std::vector<Values>> read_items(store::Database& db, const ResourceInfo& info);
Result<std::optional<Values>> read_item(store::Database& db, const ResourceInfo& info,
                                        std::int64_t id);

// `from`: a store::Connection inside a transaction, or the store::Database for a read of its own.
template <class T, class From>
Result<std::vector<T>> load_all(From& from, const Resource<T>& r) {
  GONGDAN_ASSIGN(auto rows, read_items(from, r.info));
  std::vector<T> out;
  out.reserve(rows.size());
  for (const auto& values : rows) {
    GONGDAN_ASSIGN(T item, r.make(values));
    out.push_back(std::move(item));
  }
  return out;
}

template <class T, class From>
Result<std::optional<T>> load_one(From& from, const Resource<T>& r, std::int64_t id) {
  GONGDAN_ASSIGN(auto values, read_item(from, r.info, id));
  if (!values) return std::optional<T>{};
  GONGDAN_ASSIGN(T item, r.make(*values));
  return std::optional<T>(std::move(item));
}

}  // namespace gongdan::services
