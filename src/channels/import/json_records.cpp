#include "channels/import/json_records.hpp"

#include "channels/import/import_text.hpp"
#include "util/text.hpp"

namespace gongdan::import {
namespace {

namespace json = boost::json;

// Parses with the limits an export needs: deep enough for any help desk's records, never
// unbounded.
json::value parse(std::string_view text, boost::system::error_code& ec) {
  json::parse_options options;
  options.max_depth = 64;
  return json::parse(text, ec, {}, options);
}

void add(JsonRecords& out, json::value v, std::string where) {
  if (!v.is_object()) {
    out.problems.push_back({std::move(where), "not a JSON object"});
    return;
  }
  out.records.push_back(std::move(v.as_object()));
  out.wheres.push_back(std::move(where));
}

void add_array(JsonRecords& out, json::array& items, std::string_view file) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string id;
    if (items[i].is_object()) id = text_of(items[i].as_object(), "id");
    add(out, std::move(items[i]), record_at(file, i, id));
  }
}

void read_lines(JsonRecords& out, std::string_view bytes, std::string_view file) {
  std::size_t line = 0, at = 0;
  while (at <= bytes.size()) {
    auto end = bytes.find('\n', at);
    if (end == std::string_view::npos) end = bytes.size();
    ++line;
    const auto text = text::trim(bytes.substr(at, end - at));
    at = end + 1;
    if (text.empty()) continue;
    const std::string where = std::string(file) + " line " + std::to_string(line);
    boost::system::error_code ec;
    auto v = parse(text, ec);
    if (ec) {
      out.problems.push_back({where, "not JSON: " + ec.message()});
      continue;
    }
    add(out, std::move(v), where);
  }
}

}  // namespace

JsonRecords json_records(std::string_view bytes, std::string_view file, std::string_view key) {
  JsonRecords out;
  if (!text::is_valid_utf8(bytes)) {
    out.problems.push_back({std::string(file), "not UTF-8 text"});
    return out;
  }
  const auto start = bytes.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return out;
  boost::system::error_code ec;
  auto whole = parse(bytes, ec);
  if (!ec) {
    if (whole.is_array()) {
      add_array(out, whole.as_array(), file);
    } else if (whole.is_object() && whole.as_object().contains(key)) {
      auto& items = whole.as_object()[key];
      if (!items.is_array())
        out.problems.push_back({std::string(file), "\"" + std::string(key) + "\" is not a list"});
      else
        add_array(out, items.as_array(), file);
    } else {
      add(out, std::move(whole), record_at(file, 0, ""));
    }
    return out;
  }
  if (bytes[start] != '{') {
    out.problems.push_back({std::string(file), "not JSON: " + ec.message()});
    return out;
  }
  read_lines(out, bytes, file);
  return out;
}

void each_record(std::string_view bytes, std::string_view file, std::string_view key,
                 ImportData& out, const std::function<std::string(const json::object&)>& read) {
  auto records = json_records(bytes, file, key);
  out.problems.insert(out.problems.end(), records.problems.begin(), records.problems.end());
  for (std::size_t i = 0; i < records.records.size(); ++i)
    if (auto why = read(records.records[i]); !why.empty())
      out.problems.push_back({records.wheres[i], std::move(why)});
}

void read_ticket_records(std::string_view bytes, std::string_view file, std::string_view key,
                         ImportData& out,
                         const std::function<Result<ImportTicket>(const json::object&)>& read) {
  auto records = json_records(bytes, file, key);
  out.problems.insert(out.problems.end(), records.problems.begin(), records.problems.end());
  for (std::size_t i = 0; i < records.records.size(); ++i) {
    auto t = read(records.records[i]);
    if (!t) {
      out.problems.push_back({records.wheres[i], t.error().message});
      continue;
    }
    t->where = records.wheres[i];
    out.tickets.push_back(std::move(*t));
  }
}

std::optional<std::vector<ImportMessage>> read_message_records(
    std::string_view bytes, std::string_view file, std::string_view key, ImportData& out,
    const std::function<Result<ImportMessage>(const json::object&)>& read) {
  auto records = json_records(bytes, file, key);
  if (!records.problems.empty()) {
    out.problems.push_back(records.problems.front());
    return std::nullopt;
  }
  std::vector<ImportMessage> messages;
  for (std::size_t i = 0; i < records.records.size(); ++i) {
    auto m = read(records.records[i]);
    if (!m) {
      out.problems.push_back({records.wheres[i], m.error().message});
      return std::nullopt;
    }
    messages.push_back(std::move(*m));
  }
  return messages;
}

std::string text_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && !v->is_array() ? value_text(*v) : std::string();
}

std::optional<Millis> time_of(const json::object& o, std::string_view key, bool& bad) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_string()) {
    bad = true;
    return std::nullopt;
  }
  auto t = parse_time(v->get_string());
  if (!t) bad = true;
  return t;
}

bool bool_of(const json::object& o, std::string_view key, bool otherwise) {
  const auto* v = o.if_contains(key);
  return v && v->is_bool() ? v->get_bool() : otherwise;
}

const json::object* object_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_object() ? &v->get_object() : nullptr;
}

const json::array* array_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_array() ? &v->get_array() : nullptr;
}

std::vector<std::string> texts_of(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const auto* items = array_of(o, key))
    for (const auto& item : *items) {
      auto text = value_text(item);
      if (!text.empty()) out.push_back(std::move(text));
    }
  return out;
}

std::string value_text(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_bool()) return v.get_bool() ? "true" : "false";
  if (v.is_double()) return json::serialize(v);
  if (v.is_array()) {
    std::string out;
    for (const auto& item : v.get_array()) {
      auto text = value_text(item);
      if (text.empty()) continue;
      out += (out.empty() ? "" : ", ") + text;
    }
    return out;
  }
  return {};
}

}  // namespace gongdan::import
