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

class PrivacyService {
 public:
  PrivacyService(store::Database& db, const Clock& clock, AttachmentFiles& files,
                 CredentialCache& credentials)
      : db_(db), clock_(clock), files_(files), credentials_(credentials) {}

  // kNotFound when `contact_id` is no contact; kPermissionDenied for anyone but an admin.
  Result<ContactArchive> export_contact(const Principal& who, std::int64_t contact_id);

 private:
  store::Database& db_;
  const Clock& clock_;
  AttachmentFiles& files_;
  CredentialCache& credentials_;
};

}  // namespace gongdan::services
