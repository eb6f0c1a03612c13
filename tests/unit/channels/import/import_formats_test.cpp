// The import formats' pure readers (channels/import): times, CSV, and what each export's records
// become; and the fuzz target's seed corpus replayed through the same checks as the fuzzer.
#include <gtest/gtest.h>

#include <filesystem>

#include "channels/import/csv_reader.hpp"
#include "channels/import/csv_source.hpp"
#include "channels/import/freshdesk_source.hpp"
#include "channels/import/import_text.hpp"
#include "channels/import/zendesk_source.hpp"
#include "fuzz/import_formats/target.hpp"
#include "unit/fixture_file.hpp"

namespace gongdan::import {
namespace {

namespace fs = std::filesystem;

TEST(ImportTime, ReadsTheFormsExportsWrite) {
  EXPECT_EQ(parse_time("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_time("2022-03-01T10:00:00Z"), 1646128800000);
  EXPECT_EQ(parse_time("2022-03-01T18:00:00+08:00"), 1646128800000);
  EXPECT_EQ(parse_time("2022-03-01T05:00:00-0500"), 1646128800000);
  EXPECT_EQ(parse_time("2022-03-01 10:00:00"), 1646128800000);
  EXPECT_EQ(parse_time("2022-03-01T10:00:00.250Z"), 1646128800250);
  EXPECT_EQ(parse_time("2022-03-01"), 1646092800000);
  for (const char* bad : {"", "yesterday", "2022-13-01", "2022-03-01T25:00:00Z", "2022-03-01T",
                          "2022-03-01T10:00:00Zjunk", "20220301"})
    EXPECT_FALSE(parse_time(bad)) << bad;
}

TEST(CsvReader, QuotesLineBreaksAndLines) {
  auto rows = read_csv(
      "\xEF\xBB\xBF"
      "a,b\r\n\"x, \"\"y\"\"\",\"two\nlines\"\n\nlast,\n");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].fields, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ((*rows)[1].fields, (std::vector<std::string>{"x, \"y\"", "two\nlines"}));
  EXPECT_EQ((*rows)[1].line, 2u);
  EXPECT_EQ((*rows)[2].fields, (std::vector<std::string>{"last", ""}));
  EXPECT_EQ((*rows)[2].line, 5u);
  auto open = read_csv("a\n\"never closed\n");
  ASSERT_FALSE(open);
  EXPECT_NE(open.error().message.find("line 2"), std::string::npos);
  EXPECT_FALSE(read_csv("\"closed\"junk\n"));
}

TEST(CsvExport, GroupsRowsIntoTicketsAndNamesBadOnes) {
  auto data = read_csv_export(
      "ticket,subject,status,requester_email,created_at,body,author_email,author_role,"
      "internal,field:Order\n"
      "1,Printer,hold,a@example.com,2023-01-01T00:00:00Z,first,,,,PO-1\n"
      "1,,,a@example.com,2023-01-01T00:00:00Z,reply,b@example.com,agent,yes,\n"
      "2,Bad,open,not-an-email,2023-01-01T00:00:00Z,x,,,,\n",
      "t.csv");
  ASSERT_EQ(data.tickets.size(), 1u);
  const auto& t = data.tickets[0];
  EXPECT_EQ(t.category, StatusCategory::kOnHold);
  ASSERT_EQ(t.messages.size(), 2u);
  EXPECT_TRUE(t.messages[1].internal);
  EXPECT_EQ(t.messages[1].author_ref, "b@example.com");
  EXPECT_EQ(t.fields, (std::vector<std::pair<std::string, std::string>>{{"Order", "PO-1"}}));
  ASSERT_EQ(data.people.size(), 2u);
  EXPECT_TRUE(data.people[1].agent);
  ASSERT_EQ(data.problems.size(), 1u);
  EXPECT_EQ(data.problems[0].where, "t.csv line 4 (ticket 2)");
  auto missing = read_csv_export("ticket,subject\n1,x\n", "t.csv");
  ASSERT_EQ(missing.problems.size(), 1u);
  EXPECT_NE(missing.problems[0].what.find("requester_email"), std::string::npos);
}

TEST(ZendeskExport, ApiPagesAndJsonLines) {
  ImportData data;
  read_zendesk_tickets(
      R"({"tickets":[{"id":7,"status":"hold","requester_id":3,"created_at":"2022-01-01T00:00:00Z",)"
      R"("description":"hi","custom_fields":[{"id":9,"value":["a","b"]}]}],"end_of_stream":true})",
      "tickets.json", data);
  ASSERT_EQ(data.tickets.size(), 1u);
  EXPECT_EQ(data.tickets[0].category, StatusCategory::kOnHold);
  ASSERT_EQ(data.tickets[0].messages.size(), 1u);  // the description, from the requester
  EXPECT_EQ(data.tickets[0].messages[0].author_ref, "3");
  EXPECT_EQ(data.tickets[0].fields[0].second, "a, b");
  ImportData lines;
  read_zendesk_users(
      "{\"id\":1,\"role\":\"admin\",\"email\":\"x@example.com\"}\n"
      "{\"id\":2,\"email\":\"nope\"}\n",
      "users.json", lines);
  ASSERT_EQ(lines.people.size(), 1u);
  EXPECT_TRUE(lines.people[0].agent);
  ASSERT_EQ(lines.problems.size(), 1u);
  EXPECT_EQ(lines.problems[0].where, "users.json line 2");
}

TEST(FreshdeskExport, NumberedStatusesAndConversations) {
  ImportData data;
  read_freshdesk_tickets(
      R"([{"id":1,"status":4,"priority":4,"source":3,"requester_id":5,)"
      R"("created_at":"2021-01-01T00:00:00Z","description_text":"d",)"
      R"("conversations":[{"user_id":6,"private":true,"body_text":"n",)"
      R"("created_at":"2021-01-02T00:00:00Z"}]},{"id":2,"status":1,"requester_id":5,)"
      R"("created_at":"2021-01-01T00:00:00Z"}])",
      "tickets.json", data);
  ASSERT_EQ(data.tickets.size(), 1u);
  const auto& t = data.tickets[0];
  EXPECT_EQ(t.category, StatusCategory::kSolved);
  EXPECT_EQ(t.priority, Priority::kUrgent);
  EXPECT_EQ(t.channel, "phone");
  ASSERT_EQ(t.messages.size(), 2u);
  EXPECT_TRUE(t.messages[1].internal);
  ASSERT_EQ(data.problems.size(), 1u);
  EXPECT_NE(data.problems[0].what.find("unknown status"), std::string::npos);
}

TEST(ImportFormatsFuzzCorpus, EverySeedKeepsThePromises) {
  const fs::path corpus = fs::path(GONGDAN_FIXTURES) / ".." / "fuzz" / "import_formats" / "corpus";
  std::size_t seeds = 0;
  for (const auto& entry : fs::directory_iterator(corpus)) {
    SCOPED_TRACE(entry.path().string());
    const auto bytes = test_support::read_file(entry.path());
    EXPECT_EQ(
        fuzz::run_import_formats(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()),
        "");
    ++seeds;
  }
  EXPECT_GE(seeds, 10u);
}

}  // namespace
}  // namespace gongdan::import
