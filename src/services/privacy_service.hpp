// A contact's data protection rights: everything gongdan holds about them as one archive (GDPR
// articles 15 and 20), and erasure (article 17), which keeps their tickets and removes what
// names them. Admins only: there are no finer permissions (roles are fixed), and both reveal or
// destroy far more than any other screen. Both are audited; docs/privacy.md says what is kept.
#pragma once

#include <string>

#include "services/attachment_files.hpp"
#include "services/credential_cache.hpp"
#include "services/principal.hpp"
#include "services/store_fwd.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

// A tar archive: contact.json (every section) and attachments/<id> (each file it lists).
struct ContactArchive {
  std::string filename;  // contact-<id>-export.tar
  std::string bytes;
  std::int64_t attachments = 0;
};

// What an erasure did (counts only: it is also the audit entry's detail).
struct ErasureReport {
  std::int64_t contact_id = 0;
  std::int64_t tickets = 0;      // requested by them: kept, their name taken out
  std::int64_t messages = 0;     // written by them: bodies replaced by the marker
  std::int64_t attachments = 0;  // deleted
  std::int64_t files_removed = 0;
  bool already_erased = false;
};

class PrivacyService {
 public:
  PrivacyService(store::Database& db, const Clock& clock, AttachmentFiles& files,
                 CredentialCache& credentials)
      : db_(db), clock_(clock), files_(files), credentials_(credentials) {}

  // kNotFound when `contact_id` is no contact; kPermissionDenied for anyone but an admin.
  Result<ContactArchive> export_contact(const Principal& who, std::int64_t contact_id);
  // Erases the contact everywhere in one write (services/contact_erasure.cpp; docs/privacy.md
  // lists what goes and what stays); erasing again is harmless and finishes what a crash after
  // the write left (files still to remove). Same errors as export_contact.
  Result<ErasureReport> erase_contact(const Principal& who, std::int64_t contact_id);
  // Removes from disk the queued files no row names any more; returns how many went.
  Result<std::int64_t> remove_released_files();

 private:
  store::Database& db_;
  const Clock& clock_;
  AttachmentFiles& files_;
  CredentialCache& credentials_;
};

}  // namespace gongdan::services
