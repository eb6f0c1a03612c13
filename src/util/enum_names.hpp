// An enum's names as one table, each value listed once beside its name, read both ways: the
// value's name, and the value a name stands for.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace gongdan {

template <class E>
struct Named {
  E value;
  std::string_view name;
};

// `otherwise` names a value the table lacks (an integer cast from storage).
template <class E, std::size_t N>
constexpr std::string_view name_in(const Named<E> (&table)[N], E value,
                                   std::string_view otherwise) {
  for (const auto& entry : table)
    if (entry.value == value) return entry.name;
  return otherwise;
}

template <class E, std::size_t N>
constexpr std::optional<E> value_in(const Named<E> (&table)[N], std::string_view name) {
  for (const auto& entry : table)
    if (entry.name == name) return entry.value;
  return std::nullopt;
}

}  // namespace gongdan
