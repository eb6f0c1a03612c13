// Reading the records of an export file written as JSON, in any of the three shapes the help
// desks' exports and APIs use: one page of an API answer (`{"tickets": [...], "next_page": …}`),
// a bare array, or one object per line (a JSON Lines export). Pure; no I/O.
#pragma once

#include <boost/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/import_record.hpp"
#include "util/result.hpp"

namespace gongdan::import {

struct JsonRecords {
  std::vector<boost::json::object> records;
  std::vector<std::string> wheres;  // each record's place in the file, for messages
  std::vector<ImportProblem> problems;
};

// The objects of `bytes`; `key` names the array of an API page. A line that is not JSON (JSON
// Lines) or an element that is not an object is a problem of its own; a file that is none of
// the shapes is one problem naming the file.
JsonRecords json_records(std::string_view bytes, std::string_view file, std::string_view key);

// Reads every record of a file with `read`, which answers "" or why it leaves the record out;
// the file's problems and the records' land in `out.problems`, each with its place.
void each_record(std::string_view bytes, std::string_view file, std::string_view key,
                 ImportData& out,
                 const std::function<std::string(const boost::json::object&)>& read);
// The tickets of a file, each read by `read` (its error says what is wrong with the record) and
// given its place in the file; a ticket that cannot be read is a problem and is left out.
void read_ticket_records(
    std::string_view bytes, std::string_view file, std::string_view key, ImportData& out,
    const std::function<Result<ImportTicket>(const boost::json::object&)>& read);
// All the messages of one ticket's file (its comments, its conversations), each read by `read`;
// nullopt, with one problem in `out`, when the file or any of them cannot be read: a ticket's
// history is taken whole or not at all.
std::optional<std::vector<ImportMessage>> read_message_records(
    std::string_view bytes, std::string_view file, std::string_view key, ImportData& out,
    const std::function<Result<ImportMessage>(const boost::json::object&)>& read);

// A member as text: strings as they are, integers exactly, booleans as true/false; empty for
// null, a missing member or anything else.
std::string text_of(const boost::json::object& o, std::string_view key);
// A member that is an instant; nullopt when missing or null. `bad` is set when it is present but
// not a time.
std::optional<Millis> time_of(const boost::json::object& o, std::string_view key, bool& bad);
bool bool_of(const boost::json::object& o, std::string_view key, bool otherwise);
// A member that is an object or an array, or null.
const boost::json::object* object_of(const boost::json::object& o, std::string_view key);
const boost::json::array* array_of(const boost::json::object& o, std::string_view key);
// Text of every element of an array member (strings and numbers).
std::vector<std::string> texts_of(const boost::json::object& o, std::string_view key);
// A value as text for a custom field: scalars as text_of, arrays joined by ", ".
std::string value_text(const boost::json::value& v);

}  // namespace gongdan::import
