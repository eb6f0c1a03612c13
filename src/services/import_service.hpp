// Writes what an import read from another help desk (domain/import_record.hpp): organizations,
// people, custom field definitions, then tickets with their messages and attachments, a batch
// per transaction. Every record is remembered by its id in the source (store: import_refs), so
// running an import again skips what is there, and each batch moves the source's checkpoint in
// the same transaction, so an import killed half way resumes where it stopped, exactly.
//
// What an import does not do, on purpose: it sends no mail, runs no triggers, starts no SLA
// timers and assigns nothing automatically, for open tickets as for closed ones: the history is
// the source's, and the team's rules start with the next change made here. Times (created,
// updated, solved, each message's) are the source's. Agents it has to create are inactive and
// have no password; people are matched to existing ones by email first.
#pragma once

#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "domain/import_record.hpp"
#include "services/attachment_files.hpp"
#include "services/directory.hpp"
#include "services/store_fwd.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

struct ImportCounts {
  std::int64_t tickets = 0;  // written by this run
  std::int64_t already = 0;  // imported by an earlier run
  std::int64_t messages = 0;
  std::int64_t attachments = 0;
  std::int64_t contacts = 0;       // customers created
  std::int64_t agents = 0;         // agents created (inactive)
  std::int64_t matched = 0;        // people found here by email
  std::int64_t organizations = 0;  // organizations created
  std::int64_t failed = 0;         // tickets left out, each with a problem
};

class ImportService {
 public:
  ImportService(store::Database& db, Directory& directory, AttachmentFiles& files,
                const Clock& clock);

  // `source` names the import ("zendesk", or the operator's name for it): the ids it keeps
  // are unique within it. Writes the organizations, people and custom fields of `data` that
  // no earlier run wrote.
  Result<void> import_directory(std::string_view source, const ImportData& data,
                                ImportCounts& counts);
  // Where the source's last committed batch ended (0 for a new source).
  Result<std::int64_t> position(std::string_view source);
  // Whether a run of `source` wrote the ticket it knows as `ref` (so a reader of a live source
  // need not fetch it again).
  Result<bool> has_ticket(std::string_view source, const std::string& ref);
  // Writes `tickets` in one transaction and sets the checkpoint to `position_after`. A ticket
  // imported before is skipped; a ticket that cannot be stored as it is (a subject, tag, field
  // or body out of bounds) is left out whole, with a problem in `problems`.
  Result<void> import_tickets(std::string_view source, std::span<const ImportTicket> tickets,
                              std::int64_t position_after, ImportCounts& counts,
                              std::vector<ImportProblem>& problems);

 private:
  Result<void> load(std::string_view source);

  store::Database& db_;
  Directory& directory_;
  AttachmentFiles& files_;
  const Clock& clock_;
  std::string loaded_source_;
  // The source's ids of people, organizations and tickets, to the rows they became.
  std::unordered_map<std::string, std::int64_t> users_, organizations_, tickets_;
  std::unordered_map<std::string, std::string> field_keys_;  // field ref → custom field key
  std::unordered_set<std::int64_t> agents_;                  // users who may be assignees
};

// The custom field key a source's field becomes: lower-case letters, digits and '_', starting
// with a letter (the source's name first when the field's own name does not).
std::string import_field_key(std::string_view source, std::string_view field_ref);

}  // namespace gongdan::services
