// The import formats' pure readers (channels/import): times, CSV, and what each export's records
// become; and the fuzz target's seed corpus replayed through the same checks as the fuzzer.
#include <gtest/gtest.h>

#include <filesystem>

#include "channels/import/csv_reader.hpp"
#include "channels/import/csv_source.hpp"
#include "channels/import/freshdesk_source.hpp"
#include "channels/import/import_text.hpp"
#include "channels/import/rt_pages.hpp"
#include "channels/import/rt_source.hpp"
#include "channels/import/sql_dump.hpp"
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

TEST(ImportBase64, DecodesWhatRtSends) {
  EXPECT_EQ(decode_base64("aGVsbG8="), "hello");
  EXPECT_EQ(decode_base64("aGVs\nbG8"), "hello");
  EXPECT_EQ(decode_base64(""), "");
  EXPECT_EQ(decode_base64("5Lit5paH"), "中文");
  for (const char* bad : {"a", "a===", "aGVsbG8=x", "not base64!"})
    EXPECT_FALSE(decode_base64(bad)) << bad;
}

TEST(SqlDump, ReadsWhatMysqldumpWrites) {
  auto dump = read_sql_dump(
      "/*!40101 SET NAMES utf8mb4 */;\n-- a comment\n"
      "CREATE TABLE `t` (\n  `id` int NOT NULL,\n  `s` text DEFAULT 'x,(y)',\n  `b` blob,\n"
      "  PRIMARY KEY (`id`),\n  KEY `k` (`s`(10))\n) ENGINE=InnoDB;\n"
      "LOCK TABLES `t` WRITE;\n"
      "INSERT INTO `t` VALUES (1,'it\\'s\\na ''test''',0x4869),(2,NULL,_binary 'z\\0');\n"
      "INSERT INTO `t` (`b`,`id`) VALUES ('b3',3);\n"
      "INSERT INTO `other` VALUES ('skipped;');\n"
      "INSERT INTO `t` VALUES (4);\n"
      "INSERT INTO `t` VALUES (5,'cut",
      "d.sql", [](std::string_view name) { return name == "t"; });
  ASSERT_EQ(dump.tables.size(), 1u);
  const auto& t = dump.tables.at("t");
  EXPECT_EQ(t.columns, (std::vector<std::string>{"id", "s", "b"}));
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0][1], "it's\na 'test'");
  EXPECT_EQ(t.rows[0][2], "Hi");
  EXPECT_FALSE(t.rows[1][1]);
  EXPECT_EQ(t.rows[1][2], std::string("z\0", 2));
  EXPECT_EQ(t.rows[2][0], "3");
  EXPECT_EQ(t.rows[2][2], "b3");
  EXPECT_EQ(t.lines[2], 12u);
  ASSERT_EQ(dump.problems.size(), 2u);
  EXPECT_EQ(dump.problems[0].where, "d.sql line 14");
  EXPECT_NE(dump.problems[0].what.find("1 values for 3 columns"), std::string::npos);
  EXPECT_EQ(dump.problems[1].where, "d.sql line 15");
}

TEST(SqlDump, ReadsEveryBackslashEscapeAndRefusesOneThatEndsTheDump) {
  auto dump = read_sql_dump(
      "CREATE TABLE `t` (\n  `s` text\n);\n"
      "INSERT INTO `t` VALUES ('\\0\\b\\n\\r\\t\\Z\\\\\\\"\\%\\x');\n"
      "INSERT INTO `t` VALUES ('end\\",
      "e.sql", [](std::string_view) { return true; });
  ASSERT_EQ(dump.tables.at("t").rows.size(), 1u);
  EXPECT_EQ(dump.tables.at("t").rows[0][0], std::string("\0\b\n\r\t\x1a\\\"%x", 10));
  ASSERT_EQ(dump.problems.size(), 1u);
  EXPECT_EQ(dump.problems[0].where, "e.sql line 5");
}

TEST(RtSource, MessagesFromTransactionsAndTheirParts) {
  ImportData data;
  read_rt_tickets(
      R"({"items":[{"id":7,"Subject":"s","Status":"resolved","Priority":"High",)"
      R"("Owner":{"type":"user","id":"Nobody"},"Requestor":[{"type":"user","id":"a@example.com"}],)"
      R"("Created":"2020-01-01T00:00:00Z","Resolved":"1970-01-01T00:00:00Z"}]})",
      "tickets.json", data);
  ASSERT_EQ(data.tickets.size(), 1u);
  auto& t = data.tickets[0];
  EXPECT_EQ(t.priority, Priority::kHigh);
  EXPECT_TRUE(t.assignee_ref.empty());
  EXPECT_EQ(t.solved_at, t.created_at);  // no Resolved date: the last update
  ASSERT_EQ(data.people.size(), 1u);
  EXPECT_EQ(data.people[0].email, "a@example.com");
  ASSERT_TRUE(read_rt_history(
      R"([{"id":1,"Type":"Create","Creator":{"id":"a@example.com"},"Created":"2020-01-01T00:00:00Z"},)"
      R"({"id":2,"Type":"Set","Creator":{"id":"x"},"Created":"2020-01-01T00:00:00Z"},)"
      R"({"id":3,"Type":"Comment","Creator":"agent","Created":"2020-01-02T00:00:00Z"}])",
      "h.json",
      R"([{"TransactionId":{"id":"1"},"ContentType":"text/plain","Content":"aGk="},)"
      R"({"TransactionId":{"id":"1"},"ContentType":"image/png","Filename":"p.png","Content":"iVBO"},)"
      R"({"TransactionId":{"id":"3"},"ContentType":"text/html","Content":"PGI+bm90ZTwvYj4="}])",
      "a.json", t, data));
  ASSERT_EQ(t.messages.size(), 2u);
  EXPECT_EQ(t.messages[0].body, "hi");
  ASSERT_EQ(t.messages[0].attachments.size(), 1u);
  EXPECT_TRUE(t.messages[0].attachments[0].embedded);
  EXPECT_EQ(t.messages[0].attachments[0].bytes, "\x89PN");
  EXPECT_TRUE(t.messages[1].internal);
  EXPECT_EQ(t.messages[1].html, "<b>note</b>");
}

TEST(RtPages, WhatALiveRtAnswers) {
  auto version = read_rt_version(R"({"Plugins": [], "Version": "5.0.3+dfsg-3~deb12u7"})");
  ASSERT_TRUE(version);
  EXPECT_EQ(*version, "5.0.3+dfsg-3~deb12u7");
  EXPECT_FALSE(read_rt_version("<html>login</html>"));
  EXPECT_FALSE(read_rt_version(R"({"Version": 5})"));
  // RT writes "pages" as 0.0 for an empty collection.
  auto empty = read_rt_page(R"({"items": [], "page": 1, "pages": 0.0, "total": 0})");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->pages, 0);
  EXPECT_TRUE(empty->items.empty());
  auto page = read_rt_page(
      R"({"items": [{"id": "7", "type": "ticket"}, {"id": "9"}], "page": 2, "pages": 3})");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->page, 2);
  EXPECT_EQ(page->pages, 3);
  EXPECT_EQ(rt_items_json(page->items), R"([{"id":"7","type":"ticket"},{"id":"9"}])");
  auto html = read_rt_page("<html>502 Bad Gateway</html>");
  ASSERT_FALSE(html);
  EXPECT_NE(html.error().message.find("not JSON"), std::string::npos);
  EXPECT_FALSE(read_rt_page(R"({"message": "Not Found"})"));
  EXPECT_FALSE(read_rt_page(R"({"items": [1, 2]})"));
  EXPECT_FALSE(read_rt_page("{\"items\": [], \"x\": \"\xff\"}"));
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
