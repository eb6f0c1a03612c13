// A row type's columns, each named once beside the member it fills. The SELECT list, the reader
// and the plain statements on the row (find by id, insert) come from that one table, so a column
// cannot be listed in one place and forgotten, or read at the wrong index, in another.
//
//   const ColumnTable kAttachments("attachments", column("id", &Attachment::id), …);
//   read_rows(q, kAttachments);  // the table is the row reader
//
// A member the database does not store as itself names how it is read and written beside it:
//   column("state", &KbTranslation::state, by_name(parse_kb_state, kb_state_name, KbState::kDraft))
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
  } else if constexpr (std::is_integral_v<T> || std::is_enum_v<T>) {
    out = static_cast<T>(q.integer(c));  // an enum by its number
  } else if constexpr (std::is_same_v<T, double>) {
    out = q.real(c);
  } else {
    static_assert(std::is_same_v<T, std::string>, "no column reader for this member type");
    out = q.text(c);
  }
}

// A member stored as itself: read by its type (read_column), bound as it is (an enum as its
// number).
struct AsStored {
  template <class T>
  void read(const Query& q, int c, T& out) const {
    read_column(q, c, out);
  }
  template <class T>
  void bind(Query& q, int i, const T& value) const {
    if constexpr (std::is_enum_v<T>)
      q.bind_from(i, static_cast<std::int64_t>(value));
    else
      q.bind_from(i, value);
  }
};

// An enum stored as its name: `parse` reads it (a name it does not know, or no longer knows,
// reads as `otherwise`), `name` writes it.
template <class E, class Parse, class Name>
struct ByName {
  Parse parse;
  Name name;
  E otherwise;
  void read(const Query& q, int c, E& out) const { out = parse(q.text(c)).value_or(otherwise); }
  void bind(Query& q, int i, E value) const { q.bind_from(i, name(value)); }
};

template <class E, class Parse, class Name>
constexpr ByName<E, Parse, Name> by_name(Parse parse, Name name, E otherwise) {
  return {parse, name, otherwise};
}

// One column: its name, the member it fills and how (a codec with read(q, c, out) and, for
// insert, bind(q, i, value)).
template <class Row, class T, class Codec = AsStored>
struct TableColumn {
  std::string_view name;
  T Row::*member;
  Codec codec;
};

template <class Row, class T>
constexpr TableColumn<Row, T> column(std::string_view name, T Row::*member) {
  return {name, member, {}};
}
template <class Row, class T, class Codec>
constexpr TableColumn<Row, T, Codec> column(std::string_view name, T Row::*member, Codec codec) {
  return {name, member, codec};
}

template <class Row, class... C>
class ColumnTable {
 public:
  static constexpr int kSize = sizeof...(C);

  // `from` is the table, and after a space the alias the columns are named with in joins
  // ("api_tokens t": t.id, t.user_id, …).
  explicit ColumnTable(std::string_view from, C... columns) : from_(from), columns_{columns...} {
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
    read_into(row, q, first, std::index_sequence_for<C...>{});
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
    bind_values(q, row, std::index_sequence_for<C...>{});
    if (has_id_) return inserted_id(q, what);
    GONGDAN_TRY(q.run());
    return std::int64_t{0};
  }

 private:
  template <std::size_t... I>
  void read_into(Row& row, const Query& q, int first, std::index_sequence<I...>) const {
    (std::get<I>(columns_).codec.read(q, first + static_cast<int>(I),
                                      row.*std::get<I>(columns_).member),
     ...);
  }
  template <std::size_t... I>
  void bind_values(Query& q, const Row& row, std::index_sequence<I...>) const {
    const int skip = has_id_ ? 1 : 0;
    ((static_cast<int>(I) < skip
          ? void()
          : std::get<I>(columns_).codec.bind(q, static_cast<int>(I) + 1 - skip,
                                             row.*std::get<I>(columns_).member)),
     ...);
  }

  std::string from_;
  std::tuple<C...> columns_;
  std::string list_;
  std::string insert_;
  std::string by_id_;
  bool has_id_ = false;
};

template <class Row, class... T, class... Codec>
ColumnTable(std::string_view, TableColumn<Row, T, Codec>...)
    -> ColumnTable<Row, TableColumn<Row, T, Codec>...>;

}  // namespace gongdan::store
