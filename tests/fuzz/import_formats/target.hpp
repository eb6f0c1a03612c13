// The import formats as the fuzzer drives them (channels/import): the same bytes go through the
// CSV reader and export, through every Zendesk, Freshdesk and Request Tracker file reader, and
// through the SQL dump reader and osTicket's, and through the readers of a live RT's REST2 pages.
// Shared by the libFuzzer entry point and the unit test that replays the seed corpus.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "channels/import/csv_reader.hpp"
#include "channels/import/csv_source.hpp"
#include "channels/import/freshdesk_source.hpp"
#include "channels/import/import_text.hpp"
#include "channels/import/osticket_source.hpp"
#include "channels/import/rt_pages.hpp"
#include "channels/import/rt_source.hpp"
#include "channels/import/sql_dump.hpp"
#include "channels/import/zendesk_source.hpp"
#include "util/text.hpp"

namespace gongdan::fuzz {

// "" when every record read keeps the promises the import service relies on, else what broke.
inline std::string broken_import_promise(const ImportData& data) {
  for (const auto& t : data.tickets) {
    if (t.ref.empty() || t.ref.size() > import::kMaxRefLength)
      return "a ticket without a usable id";
    if (t.requester_ref.empty()) return "a ticket without a requester";
    if (t.where.empty()) return "a ticket that does not say where it came from";
    if (!text::is_valid_utf8(t.subject)) return "a subject that is not UTF-8";
    for (const auto& m : t.messages)
      if (!text::is_valid_utf8(m.body) || !text::is_valid_utf8(m.html))
        return "a message that is not UTF-8";
  }
  for (const auto& p : data.problems)
    if (p.where.empty() || p.what.empty()) return "a problem that names no record or cause";
  return {};
}

inline std::string run_import_formats(const std::uint8_t* bytes, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(bytes), size);
  if (auto rows = import::read_csv(in))
    for (const auto& row : *rows)
      if (row.line == 0) return "a CSV row on line 0";
  (void)import::parse_time(in.substr(0, 64));
  ImportData csv = import::read_csv_export(in, "tickets.csv");
  if (auto broken = broken_import_promise(csv); !broken.empty()) return "csv: " + broken;
  ImportData zendesk;
  import::read_zendesk_organizations(in, "organizations.json", zendesk);
  import::read_zendesk_users(in, "users.json", zendesk);
  import::read_zendesk_ticket_fields(in, "ticket_fields.json", zendesk);
  import::read_zendesk_tickets(in, "tickets.json", zendesk);
  if (!zendesk.tickets.empty())
    (void)import::read_zendesk_comments(in, "comments.json", zendesk.tickets.front(), zendesk);
  if (auto broken = broken_import_promise(zendesk); !broken.empty()) return "zendesk: " + broken;
  ImportData freshdesk;
  import::read_freshdesk_companies(in, "companies.json", freshdesk);
  import::read_freshdesk_contacts(in, "contacts.json", freshdesk);
  import::read_freshdesk_agents(in, "agents.json", freshdesk);
  import::read_freshdesk_tickets(in, "tickets.json", freshdesk);
  if (!freshdesk.tickets.empty())
    (void)import::read_freshdesk_conversations(in, "conversations.json", freshdesk.tickets.front(),
                                               freshdesk);
  if (auto broken = broken_import_promise(freshdesk); !broken.empty())
    return "freshdesk: " + broken;
  if (auto decoded = import::decode_base64(in); decoded && decoded->size() > in.size())
    return "base64 that decodes to more bytes than it has";
  ImportData rt;
  import::read_rt_users(in, "users.json", rt);
  import::read_rt_tickets(in, "tickets.json", rt);
  if (!rt.tickets.empty()) {
    // The same bytes as the history and as the attachments, then split at the middle: one
    // half each, so that transactions and parts that name each other meet.
    (void)import::read_rt_history(in, "history.json", in, "attachments.json", rt.tickets.front(),
                                  rt);
    const auto half = in.size() / 2;
    (void)import::read_rt_history(in.substr(0, half), "history.json", in.substr(half),
                                  "attachments.json", rt.tickets.front(), rt);
  }
  if (auto broken = broken_import_promise(rt); !broken.empty()) return "rt: " + broken;
  // A live RT's answers (gongdan import rt --url): the version, a page, its items joined again.
  if (auto version = import::read_rt_version(in); version && version->empty())
    return "an RT version that is empty";
  if (auto page = import::read_rt_page(in)) {
    if (page->page < 0 || page->pages < 0) return "a negative page number";
    ImportData joined;
    import::read_rt_tickets(import::rt_items_json(page->items), "tickets", joined);
    if (auto broken = broken_import_promise(joined); !broken.empty()) return "rt page: " + broken;
  }
  const auto dump = import::read_sql_dump(in, "dump.sql", [](std::string_view) { return true; });
  for (const auto& [name, table] : dump.tables)
    for (const auto& row : table.rows)
      if (row.size() != table.columns.size() && !table.columns.empty())
        return "a dump row that does not fit its table " + name;
  ImportData osticket = import::read_osticket_dump(in, "osticket.sql");
  if (auto broken = broken_import_promise(osticket); !broken.empty()) return "osticket: " + broken;
  return {};
}

}  // namespace gongdan::fuzz
