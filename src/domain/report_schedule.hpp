// A scheduled report mail (a declared resource, services/report_mail_service.cpp): every day or
// every week at a local hour of its time zone, chosen people get the totals of some metrics for
// the period just ended (yesterday, or the 7 days before the sending day), in their own
// language, with the reports attached as CSV or XLSX. Pure: times are passed in.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/clock.hpp"
#include "util/result.hpp"

namespace gongdan {

inline constexpr const char* kReportFrequencies[] = {"daily", "weekly"};
inline constexpr const char* kReportAttachments[] = {"csv", "xlsx", "none"};

struct ReportSchedule {
  std::int64_t id = 0;
  std::string name;
  std::string frequency = "daily";  // "daily" or "weekly"
  std::int64_t weekday = 1;         // weekly: the sending day, 1 Monday … 7 Sunday
  std::int64_t hour = 8;            // the local hour it is sent at, 0 … 23
  std::string time_zone = "Asia/Shanghai";
  std::vector<std::string> metrics = {"tickets_created", "tickets_solved", "first_response_time",
                                      "csat"};
  std::string group_by;  // the attachments' rows: empty for the totals alone
  std::string attachment = "csv";
  std::vector<std::string> recipients;  // staff members' email addresses
  bool active = true;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// The first instant after `after` the schedule is due at (its hour in its zone, on its weekday
// when weekly; a local hour that a DST change skips is taken at its earliest instant after).
// kInvalidArgument naming "time_zone" for a zone that is not an IANA name.
Result<Millis> next_report_due(const ReportSchedule& s, Millis after);

// The local dates a mail due at `due` reports on, both inclusive ("YYYY-MM-DD"): the day before
// (daily) or the 7 days before (weekly) the local day it is sent on.
struct ReportDates {
  std::string from;
  std::string to;
};
Result<ReportDates> report_dates(const ReportSchedule& s, Millis due);

}  // namespace gongdan
