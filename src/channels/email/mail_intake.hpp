// Mail intake, the channel half: one raw message in, a ticket (or a quarantine entry) out.
// parse (GMime, bounded) → loop guard → quote folding and HTML sanitising → the service's deliver
// (threading, dedup, contact, ticket command). Both the inbound API (mailgate) and the IMAP
// poller end here.
//
// Contract: nothing is lost. A message that cannot be parsed, goes over the limits (bytes, or
// more than `max_parse_cpu_ms` of CPU time), has no usable sender, or is an automatic message
// about no known ticket is kept raw in the quarantine with the reason. ingest() fails only when
// even the quarantine could not be written (the caller answers "try again later" and the MTA or
// the IMAP server keeps the message).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "channels/email/filter/ticket_token.hpp"
#include "channels/email/parse/mime_parser.hpp"
#include "services/mail_intake_service.hpp"

namespace gongdan::email {

struct IntakeOptions {
  ParseLimits limits;
  std::int64_t max_parse_cpu_ms = 1000;
  std::string token_prefix = std::string(kDefaultTicketTokenPrefix);
};

struct IntakeOutcome {
  std::string status;  // "created", "added", "duplicate" or "quarantined"
  std::int64_t ticket_number = 0;
  std::int64_t message_id = 0;
  std::int64_t quarantine_id = 0;
  std::string reason;  // why it was quarantined
};

class MailIntake {
 public:
  MailIntake(services::MailIntakeService& service, IntakeOptions options = {})
      : service_(service), options_(std::move(options)) {}

  // `trusted`: the message came from a mailbox marked trusted, so its X-Gongdan-* headers may
  // set fields of a new ticket (priority, type, tags). Never for anything else.
  Result<IntakeOutcome> ingest(std::string_view raw, std::optional<std::int64_t> department_id,
                               bool trusted = false);
  // Runs a quarantined message through intake again; on success the entry is released.
  Result<IntakeOutcome> retry(const services::Principal& who, std::int64_t quarantine_id);

  services::MailIntakeService& service() { return service_; }

 private:
  // Parses and delivers; an error is the reason to quarantine.
  Result<services::MailOutcome> process(std::string_view raw,
                                        std::optional<std::int64_t> department_id, bool trusted);
  services::MailIntakeService& service_;
  IntakeOptions options_;
};

}  // namespace gongdan::email
