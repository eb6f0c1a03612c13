#include "store/resource_store.hpp"

#include <algorithm>

#include "util/text.hpp"

namespace gongdan::store {
namespace json = boost::json;

namespace {

// One stored column and the fields it holds (several: a JSON object of them).
struct Column {
  std::string name;
  std::vector<const FieldSpec*> fields;
  bool packed() const { return fields.size() > 1; }
};

std::vector<Column> columns_of(const ResourceInfo& info) {
  std::vector<Column> out;
  for (const auto& f : info.fields) {
    if (f.kind == FieldKind::kId || !f.stored()) continue;
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const Column& c) { return c.name == f.stored_in(); });
    if (it == out.end())
      out.push_back({std::string(f.stored_in()), {&f}});
    else
      it->fields.push_back(&f);
  }
  return out;
}

bool is_number(FieldKind t) {
  return t == FieldKind::kInteger || t == FieldKind::kReference || t == FieldKind::kTime ||
         t == FieldKind::kBoolean;
}

void bind_value(Query& q, int index, const FieldSpec& f, const json::value& v) {
  auto& s = q.statement();
  if (v.is_null()) {
    if (f.kind == FieldKind::kJson)
      s.bind_text(index, "null");
    else
      s.bind_null(index);
  } else if (f.kind == FieldKind::kBoolean) {
    s.bind_int(index, v.is_bool() ? v.get_bool() : v.is_int64() && v.get_int64() != 0);
  } else if (is_number(f.kind)) {
    s.bind_int(index, v.is_int64() ? v.get_int64() : 0);
  } else if (f.kind == FieldKind::kTextList && f.separator && v.is_array()) {
    std::string joined;
    for (const auto& item : v.get_array())
      if (item.is_string())
        joined +=
            (joined.empty() ? "" : std::string(1, f.separator)) + std::string(item.get_string());
    s.bind_text(index, joined);
  } else if (f.kind == FieldKind::kJson || f.kind == FieldKind::kTextList) {
    s.bind_text(index, json::serialize(v));
  } else {
    s.bind_text(index, v.is_string() ? std::string_view(v.get_string()) : std::string_view());
  }
}

void bind_column(Query& q, int index, const Column& column, const Values& values) {
  if (!column.packed()) {
    const auto* v = values.if_contains(column.fields.front()->key);
    bind_value(q, index, *column.fields.front(), v ? *v : json::value(nullptr));
    return;
  }
  json::object packed;
  for (const auto* f : column.fields)
    if (const auto* v = values.if_contains(f->key)) packed[f->key] = *v;
  q.statement().bind_text(index, json::serialize(packed));
}

json::value parse_or_null(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return ec ? json::value(nullptr) : v;
}

json::value read_value(const Query& q, int column, const FieldSpec& f) {
  if (q.is_null(column)) return nullptr;
  if (f.kind == FieldKind::kBoolean) return q.integer(column) != 0;
  if (is_number(f.kind)) return q.integer(column);
  if (f.kind == FieldKind::kJson) return parse_or_null(q.text(column));
  if (f.kind == FieldKind::kTextList) {
    if (!f.separator) return parse_or_null(q.text(column));
    json::array out;
    const std::string joined = q.text(column);
    for (auto item : text::split(joined, f.separator))
      if (!item.empty()) out.emplace_back(item);
    return out;
  }
  return json::string(q.text(column));
}

void read_column(const Query& q, int index, const Column& column, Values& out) {
  if (!column.packed()) {
    out[column.fields.front()->key] = read_value(q, index, *column.fields.front());
    return;
  }
  auto packed = parse_or_null(q.text(index));
  for (const auto* f : column.fields) {
    const auto* v = packed.is_object() ? packed.get_object().if_contains(f->key) : nullptr;
    out[f->key] = v ? *v : json::value(nullptr);
  }
}

std::string norm_column(const FieldSpec& f) { return std::string(f.stored_in()) + "_norm"; }

// Binds the case-folded copies copies from `index` on; returns the next index.
int bind_norms(Query& q, int index, const ResourceInfo& info, const Values& values) {
  for (const auto& f : info.fields) {
    if (!f.fold_case) continue;
    const auto* v = values.if_contains(f.key);
    q.statement().bind_text(
        index++, text::to_lower_ascii(v && v->is_string() ? std::string_view(v->get_string())
                                                          : std::string_view()));
  }
  return index;
}

Result<void> unique_conflict(const ResourceInfo& info, Error error) {
  // Only a unique index's refusal names a field (NOT NULL, CHECK and foreign keys are bugs or
  // the caller's to explain).
  const bool unique = error.message.find("UNIQUE") != std::string::npos ||
                      error.message.find("unique") != std::string::npos;
  if (error.code != ErrorCode::kConflict || !unique) return fail(std::move(error));
  for (const auto& f : info.fields)
    if (f.unique)
      return fail(
          ErrorCode::kConflict,
          std::string(std::string_view("aeiou").find(info.noun.front()) == std::string_view::npos
                          ? "a "
                          : "an ") +
              std::string(info.noun) + " with this " + std::string(f.key) + " exists",
          std::string(f.key));
  return fail(std::move(error));
}

}  // namespace

Result<std::vector<Values>> select_items(Connection& c, const ResourceInfo& info,
                                         const ItemQuery& query) {
  const auto columns = columns_of(info);
  const std::string id(info.id_column());
  std::string sql = "SELECT " + id;
  for (const auto& col : columns) sql += ", " + col.name;
  sql += " FROM " + std::string(info.table) + " WHERE 1 = 1";
  if (query.id) sql += " AND " + id + " = ?";
  if (query.viewer) sql += " AND (owner_id IS NULL OR owner_id = ?)";
  if (query.after > 0) sql += " AND " + id + " > ?";
  sql += " ORDER BY " + (query.limit > 0 ? id : std::string(info.order_by));
  if (query.limit > 0) sql += " LIMIT ?";
  GONGDAN_ASSIGN(auto q, store::query(c, sql));
  int index = 1;
  if (query.id) q.statement().bind_int(index++, *query.id);
  if (query.viewer) q.statement().bind_int(index++, *query.viewer);
  if (query.after > 0) q.statement().bind_int(index++, query.after);
  if (query.limit > 0) q.statement().bind_int(index++, query.limit);
  std::vector<Values> out;
  while (true) {
    GONGDAN_ASSIGN(bool row, q.next());
    if (!row) break;
    Values values;
    values[info.id_key()] = q.integer(0);
    for (std::size_t i = 0; i < columns.size(); ++i)
      read_column(q, static_cast<int>(i) + 1, columns[i], values);
    out.push_back(std::move(values));
  }
  return out;
}

Result<std::optional<Values>> find_item(Connection& c, const ResourceInfo& info, std::int64_t id) {
  ItemQuery query;
  query.id = id;
  GONGDAN_ASSIGN(auto items, select_items(c, info, query));
  if (items.empty()) return std::optional<Values>{};
  return std::optional<Values>(std::move(items.front()));
}

Result<std::int64_t> insert_item(Connection& c, const ResourceInfo& info, const Values& values) {
  const auto columns = columns_of(info);
  std::string names, marks;
  for (const auto& col : columns) {
    names += (names.empty() ? "" : ", ") + col.name;
    marks += marks.empty() ? "?" : ", ?";
  }
  for (const auto& f : info.fields)
    if (f.fold_case) {
      names += ", " + norm_column(f);
      marks += ", ?";
    }
  GONGDAN_ASSIGN(auto q, query(c, "INSERT INTO " + std::string(info.table) + " (" + names +
                                      ") VALUES (" + marks + ") RETURNING id"));
  for (std::size_t i = 0; i < columns.size(); ++i)
    bind_column(q, static_cast<int>(i) + 1, columns[i], values);
  bind_norms(q, static_cast<int>(columns.size()) + 1, info, values);
  auto row = q.next();
  if (!row) {
    auto conflict = unique_conflict(info, std::move(row).error());
    return fail(std::move(conflict).error());
  }
  if (!*row) return fail(ErrorCode::kInternal, "insert returned no id");
  return q.integer(0);
}

Result<bool> update_item(Connection& c, const ResourceInfo& info, std::int64_t id,
                         const Values& values) {
  auto columns = columns_of(info);
  // What the server alone sets (a mailbox's poll results) has statements of its own: writing
  // back the value read before could undo one that committed meanwhile.
  std::erase_if(columns, [](const Column& col) {
    return std::all_of(col.fields.begin(), col.fields.end(),
                       [](const FieldSpec* f) { return f->read_only; });
  });
  std::string sets;
  for (const auto& col : columns) sets += (sets.empty() ? "" : ", ") + col.name + " = ?";
  for (const auto& f : info.fields)
    if (f.fold_case) sets += ", " + norm_column(f) + " = ?";
  GONGDAN_ASSIGN(auto q, query(c, "UPDATE " + std::string(info.table) + " SET " + sets + " WHERE " +
                                      std::string(info.id_column()) + " = ?"));
  for (std::size_t i = 0; i < columns.size(); ++i)
    bind_column(q, static_cast<int>(i) + 1, columns[i], values);
  const int next = bind_norms(q, static_cast<int>(columns.size()) + 1, info, values);
  q.statement().bind_int(next, id);
  if (auto done = q.run(); !done) {
    auto conflict = unique_conflict(info, std::move(done).error());
    return fail(std::move(conflict).error());
  }
  return c.changes() > 0;
}

Result<bool> delete_item(Connection& c, const ResourceInfo& info, std::int64_t id) {
  GONGDAN_ASSIGN(auto q, query(c, "DELETE FROM " + std::string(info.table) + " WHERE " +
                                      std::string(info.id_column()) + " = ?"));
  GONGDAN_TRY(q.bind(id).run());
  return c.changes() > 0;
}

Result<void> put_item(Connection& c, const ResourceInfo& info, std::int64_t id,
                      const Values& values) {
  const auto columns = columns_of(info);
  const std::string key(info.id_column());
  std::string names = key, marks = "?", sets;
  std::vector<std::string> stored;
  for (const auto& col : columns) stored.push_back(col.name);
  for (const auto& f : info.fields)
    if (f.fold_case) stored.push_back(norm_column(f));
  for (const auto& name : stored) {
    names += ", " + name;
    marks += ", ?";
    sets += (sets.empty() ? "" : ", ") + name + " = excluded." + name;
  }
  // One statement, so two writers saving the same item at once (two nodes) both succeed.
  GONGDAN_ASSIGN(auto q, query(c, "INSERT INTO " + std::string(info.table) + " (" + names +
                                      ") VALUES (" + marks + ") ON CONFLICT (" + key + ") DO " +
                                      (sets.empty() ? "NOTHING" : "UPDATE SET " + sets)));
  q.statement().bind_int(1, id);
  for (std::size_t i = 0; i < columns.size(); ++i)
    bind_column(q, static_cast<int>(i) + 2, columns[i], values);
  bind_norms(q, static_cast<int>(columns.size()) + 2, info, values);
  if (auto done = q.run(); !done) return unique_conflict(info, std::move(done).error());
  return {};
}

Result<bool> item_exists(Connection& c, std::string_view table, std::int64_t id) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT 1 FROM " + std::string(table) + " WHERE id = ?"));
  return q.bind(id).next();
}

}  // namespace gongdan::store
