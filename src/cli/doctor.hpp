// `gongdan doctor`: checks an install the way an operator would before and after a change, and
// says what to fix. It only reads: it never creates or migrates a database, and writes nothing
// but one probe file in the attachment directory, removed at once.
// Each check adds findings; the exit status is the worst severity: 0 ok, 1 warning, 2 error.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/config.hpp"
#include "store/database.hpp"

namespace gongdan::cli::doctor {

enum class Severity { kOk, kWarning, kError };

struct Finding {
  Severity severity = Severity::kOk;
  std::string subject;  // "database", "mailbox help@example.com", …
  std::string message;  // what was found
  std::string fix;      // what to do (warnings and errors)
};

class Findings {
 public:
  void ok(std::string subject, std::string message);
  void warn(std::string subject, std::string message, std::string fix);
  void error(std::string subject, std::string message, std::string fix);
  const std::vector<Finding>& all() const { return all_; }
  int exit_code() const;

 private:
  std::vector<Finding> all_;
};

// The database, opened without creating or migrating it (null when that failed: reported), and
// its schema version against this binary's.
std::unique_ptr<store::Database> check_database(const Config& config, Findings& out);
// Free space where the data directory lives (and the database, on SQLite).
void check_disk(const Config& config, Findings& out);
// The data directory and its attachments: present, owned by this user, private, writable.
void check_files(const Config& config, Findings& out);
// The built-in server's TLS certificate and key (tls_cert, tls_key): they load, they match,
// and the certificate is valid for at least 14 more days.
void check_tls(const Config& config, Findings& out);
// The built web app (the desk and the portal).
void check_web(const Config& config, Findings& out);
// This machine's clock against the database server's (PostgreSQL).
void check_clock(const Config& config, store::Database& db, Findings& out);
// The encryption keys: present, the ones the data needs, and kept apart from the data.
void check_keys(const Config& config, store::Database& db, Findings& out);
// Every active mailbox: DNS, TCP, TLS and login, for IMAP and SMTP.
void check_mail(const Config& config, store::Database& db, Findings& out);

}  // namespace gongdan::cli::doctor
