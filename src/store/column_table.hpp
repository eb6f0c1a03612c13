// A row type's columns, each named once beside the member it fills. The SELECT list, the reader
// and the plain statements on the row (find by id, insert) come from that one table, so a column
// cannot be listed in one place and forgotten, or read at the wrong index, in another.
//
//   const ColumnTable kAttachments("attachments", column("id", &Attachment::id), …);
//   read_rows(q, kAttachments);  // the table is the row reader
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "store/database.hpp"

namespace gongdan::store {

template <class Row, class T>
struct TableColumn {
  std::string_view name;
  T Row::*member;
};

template <class Row, class T>
constexpr TableColumn<Row, T> column(std::string_view name, T Row::*member) {
  return {name, member};
}

template <class T>
inline constexpr bool kIsOptional = false;
template <class T>
inline constexpr bool kIsOptional<std::optional<T>> = true;

// Column `c` of the current row into `out`, converted by the type of `out`.
template <class T>
void read_column(const Query& q, int c, T& out) {
  if constexpr (kIsOptional<T>) {
    if (q.is_null(c))
      out.reset();
    else
      read_column(q, c, out.emplace());
  } else if constexpr (std::is_same_v<T, bool>) {
    out = q.integer(c) != 0;
  } else if constexpr (std::is_integral_v<T>) {
    out = static_cast<T>(q.integer(c));
  } else if constexpr (std::is_same_v<T, double>) {
    out = q.real(c);
  } else {
    static_assert(std::is_same_v<T, std::string>, "no column reader for this member type");
    out = q.text(c);
  }
}

template <class Row, class... T>
class ColumnTable {
 public:
  static constexpr int kSize = sizeof...(T);

  // `from` is the table, and after a space the alias the columns are named with in joins
  // ("api_tokens t": t.id, t.user_id, …).
  explicit ColumnTable(std::string_view from, TableColumn<Row, T>... columns)
      : from_(from), members_{columns.member...} {
    const auto space = from.find(' ');
    const auto table = from.substr(0, space);
    const std::string alias =
        space == std::string_view::npos ? "" : std::string(from.substr(space + 1)) + ".";
    has_id_ = std::get<0>(std::tie(columns.name...)) == "id";
    std::string names, values;
    for (std::string_view name : {columns.name...}) {
      const bool first = list_.empty();
      list_.append(first ? "" : ", ").append(alias).append(name);
      if (first && has_id_) continue;  // the database assigns it
      names.append(names.empty() ? "" : ", ").append(name);
      values += values.empty() ? "?" : ", ?";
    }
    insert_ = "INSERT INTO " + std::string(table) + " (" + names + ") VALUES (" + values + ")" +
              (has_id_ ? " RETURNING id" : "");
    by_id_ = select("WHERE " + alias + "id = ?");
  }

  // "id, user_id, …", as the alias names them.
  const std::string& list() const { return list_; }
  // "SELECT <list> FROM <from> <rest>".
  std::string select(std::string_view rest) const {
    return "SELECT " + list_ + " FROM " + from_ + " " + std::string(rest);
  }

  // The row whose columns start at column `first` of the current row.
  Row read(const Query& q, int first = 0) const {
    Row row;
    read_into(row, q, first, std::index_sequence_for<T...>{});
    return row;
  }
  Row operator()(const Query& q) const { return read(q); }

  // The row with this id, or nothing.
  Result<std::optional<Row>> find(Connection& c, std::int64_t id) const {
    GONGDAN_ASSIGN(auto q, query(c, by_id_));
    return read_first(q.bind(id), *this);
  }

  // Inserts the row and returns its new id: every column but a first one named "id", which the
  // database assigns (a table without one returns 0). `what` names the row in the error.
  Result<std::int64_t> insert(Connection& c, const Row& row, std::string_view what) const {
    GONGDAN_ASSIGN(auto q, query(c, insert_));
    bind_values(q, row, std::index_sequence_for<T...>{});
    if (has_id_) return inserted_id(q, what);
    GONGDAN_TRY(q.run());
    return std::int64_t{0};
  }

 private:
  template <std::size_t... I>
  void read_into(Row& row, const Query& q, int first, std::index_sequence<I...>) const {
    (read_column(q, first + static_cast<int>(I), row.*std::get<I>(members_)), ...);
  }
  template <std::size_t... I>
  void bind_values(Query& q, const Row& row, std::index_sequence<I...>) const {
    const int skip = has_id_ ? 1 : 0;
    ((static_cast<int>(I) < skip
          ? void()
          : void(q.bind_from(static_cast<int>(I) + 1 - skip, row.*std::get<I>(members_)))),
     ...);
  }

  std::string from_;
  std::tuple<T Row::*...> members_;
  std::string list_;
  std::string insert_;
  std::string by_id_;
  bool has_id_ = false;
};

}  // namespace gongdan::store
