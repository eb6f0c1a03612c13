// Scheduled report mails: an admin declares a schedule (the resource `report-schedules`: daily
// or weekly, the local hour and time zone, the metrics, a grouping, CSV or XLSX attachments or
// none, the staff members who get it). Each run is a job (report_schedule) that queues one mail
// job (report_mail) per recipient and the next run; the mail job asks prepare() for the mail
// and sends it through the SMTP driver like every outgoing mail, retried with the mail's backoff.
//
// Who receives what: each recipient gets the numbers they would see on the report pages
// themselves (services/reports_service.hpp): an agent their own, a supervisor their
// departments', an admin everything; in their own language. Only active staff members can be
// recipients; one who is no longer (deactivated, made a customer) gets nothing.
#pragma once

#include <optional>
#include <string>

#include "domain/report_schedule.hpp"
#include "services/job_queue.hpp"
#include "services/mailboxes_service.hpp"
#include "services/outbox_service.hpp"
#include "services/reports_service.hpp"
#include "services/resource_service.hpp"
#include "services/store_fwd.hpp"

namespace gongdan::services {

const Resource<ReportSchedule>& report_schedule_resource();

class ReportMailService {
 public:
  ReportMailService(store::Database& db, const Clock& clock, ReportsService& reports,
                    MailboxesService& mailboxes, JobQueue& jobs, std::string public_url)
      : db_(db),
        clock_(clock),
        reports_(reports),
        mailboxes_(mailboxes),
        jobs_(jobs),
        public_url_(std::move(public_url)) {}

  void add_to(Resources& resources);

  // The report_schedule job: queues this run's mails and the next run (nothing when the
  // schedule is gone, switched off, or was changed since: its change queued a run of its own).
  Result<void> run(std::string_view payload);
  // The report_mail job: the mail to one recipient, or nothing when it is no longer theirs to
  // get (the schedule gone or off, the address off its list, not an active staff member).
  // kUnavailable when there is no mailbox to send from (the job tries again later).
  Result<std::optional<OutgoingDelivery>> prepare(std::string_view payload);

 private:
  Result<OutgoingMail> compose(const ReportSchedule& s, const User& to, Millis due);

  store::Database& db_;
  const Clock& clock_;
  ReportsService& reports_;
  MailboxesService& mailboxes_;
  JobQueue& jobs_;
  std::string public_url_;
};

}  // namespace gongdan::services
