// What an import reads from another help desk's export, in one shape whatever the source:
// organizations, people, and tickets with their messages. The parsers of each format
// (channels/import/) fill it; the import service writes it. Every record keeps the source's own
// id (`ref`), so a second run finds what the first wrote and the desk can show where a ticket
// came from. Times are UTC milliseconds, taken from the source.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/ticket.hpp"
#include "util/clock.hpp"

namespace gongdan {

struct ImportOrganization {
  std::string ref;
  std::string name;
  std::vector<std::string> domains;
  std::string notes;
};

struct ImportPerson {
  std::string ref;
  std::string email;  // may be empty (a phone-only contact): a placeholder address is made
  std::string name;
  bool agent = false;
  std::string organization_ref;
};

struct ImportAttachment {
  std::string filename;
  std::string content_type;
  std::string location;   // a path relative to the export's folder
  std::string bytes;      // read by whoever knows the folder, before the write
  bool embedded = false;  // the export held the bytes itself (RT's base64 Content): no file
};

struct ImportMessage {
  std::string author_ref;
  bool internal = false;
  std::string body;  // plain text
  std::string html;  // as the source had it; sanitised before it is stored
  Millis created_at = 0;
  std::vector<ImportAttachment> attachments;
};

struct ImportTicket {
  std::string ref;
  std::string subject;
  StatusCategory category = StatusCategory::kOpen;
  Priority priority = Priority::kNormal;
  TicketType type = TicketType::kQuestion;
  std::string channel = "api";
  std::string requester_ref;
  std::string assignee_ref;
  std::string organization_ref;
  std::vector<std::string> tags;
  // Custom field values by the source's field name or id; labels in ImportData::field_labels.
  std::vector<std::pair<std::string, std::string>> fields;
  Millis created_at = 0;
  Millis updated_at = 0;
  std::optional<Millis> solved_at;
  std::vector<ImportMessage> messages;
  std::string where;  // the file and record it came from, for error messages
};

// A record the parser could not read: nothing of it is imported.
struct ImportProblem {
  std::string where;  // "tickets.json record 12 (id 4711)"
  std::string what;
};

// Where an imported ticket came from, as the desk shows it: "zendesk #4711".
struct ImportOrigin {
  std::string source;
  std::string id;
};

struct ImportData {
  std::vector<ImportOrganization> organizations;
  std::vector<ImportPerson> people;
  std::vector<ImportTicket> tickets;
  std::vector<std::pair<std::string, std::string>> field_labels;  // field ref → label
  std::vector<ImportProblem> problems;
};

}  // namespace gongdan
