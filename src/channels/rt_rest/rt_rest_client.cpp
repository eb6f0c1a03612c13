#include "channels/rt_rest/rt_rest_client.hpp"

#include <curl/curl.h>

#include <memory>
#include <set>

#include "channels/import/import_text.hpp"
#include "channels/import/json_records.hpp"
#include "channels/import/rt_pages.hpp"
#include "channels/import/rt_source.hpp"
#include "util/http_exchange.hpp"
#include "util/text.hpp"

namespace gongdan::channels {
namespace {

namespace json = boost::json;

constexpr std::size_t kPageLimit = std::size_t{32} << 20;   // 100 records of a collection
constexpr std::size_t kRecordLimit = std::size_t{4} << 20;  // one user's or ticket's record
constexpr std::int64_t kPerPage = 100;                      // REST2's largest page
constexpr std::int64_t kMaxPages = 10'000'000 / kPerPage;   // a loop that cannot run away

// Errors after which nothing more can be read; any other is about one answer.
bool stops_the_import(const Error& e) {
  return e.code == ErrorCode::kUnavailable || e.code == ErrorCode::kUnauthenticated;
}

std::string escaped(std::string_view segment) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> h(curl_easy_init(), curl_easy_cleanup);
  if (!h) return {};
  char* out = curl_easy_escape(h.get(), segment.data(), static_cast<int>(segment.size()));
  std::string text = out ? out : "";
  curl_free(out);
  return text;
}

// A transaction as an attachment names it: "34", or {"type": "transaction", "id": "34"}.
std::string transaction_of(const json::object& part) {
  const auto* v = part.if_contains("TransactionId");
  if (v && v->is_object()) return import::text_of(v->get_object(), "id");
  return import::text_of(part, "TransactionId");
}

}  // namespace

RtRestClient::RtRestClient(RtRestOptions options) : options_(std::move(options)) {
  while (!options_.url.empty() && options_.url.back() == '/') options_.url.pop_back();
}

Result<RtRestClient::Answer> RtRestClient::get(const std::string& path, std::size_t max_bytes) {
  const std::string url = options_.url + path;
  HttpCall call{url, {"Accept: application/json", "Authorization: token " + options_.token}};
  call.timeout_ms = options_.timeout_ms;
  call.connect_timeout_ms = options_.connect_timeout_ms;
  call.max_bytes = max_bytes;
  GONGDAN_ASSIGN(auto exchanged, http_exchange(call));
  Answer answer;
  answer.status = exchanged.status;
  if (exchanged.too_long) {
    answer.too_long = true;
    return answer;
  }
  if (!exchanged.done)
    return fail(ErrorCode::kUnavailable, "cannot read " + url + ": " + exchanged.error);
  answer.body = std::move(exchanged.body);
  if (answer.status == 401)
    return fail(ErrorCode::kUnauthenticated,
                "RT refused the token (HTTP 401 for " + url + "): check --token");
  return answer;
}

Result<std::string> RtRestClient::get_ok(const std::string& path, std::size_t max_bytes) {
  GONGDAN_ASSIGN(auto answer, get(path, max_bytes));
  if (answer.too_long)
    return fail(ErrorCode::kInvalidArgument,
                "GET " + path + ": the answer is over " + std::to_string(max_bytes >> 20) + " MiB");
  if (answer.status != 200)
    return fail(ErrorCode::kInvalidArgument,
                "GET " + path + " answered HTTP " + std::to_string(answer.status));
  return std::move(answer.body);
}

Result<std::vector<json::object>> RtRestClient::all_pages(const std::string& path) {
  std::vector<json::object> items;
  const char join = path.find('?') == std::string::npos ? '?' : '&';
  for (std::int64_t page = 1; page <= kMaxPages; ++page) {
    const auto request =
        path + join + "per_page=" + std::to_string(kPerPage) + "&page=" + std::to_string(page);
    GONGDAN_ASSIGN(auto body, get_ok(request, kPageLimit));
    auto read = import::read_rt_page(body);
    if (!read)
      return fail(ErrorCode::kInvalidArgument, "GET " + request + ": " + read.error().message);
    const bool last = read->items.empty() || page >= read->pages;
    for (auto& item : read->items) items.push_back(std::move(item));
    if (last) return items;
  }
  return fail(ErrorCode::kInvalidArgument,
              "GET " + path + ": more than " + std::to_string(kMaxPages) + " pages");
}

Result<std::string> RtRestClient::version() {
  GONGDAN_ASSIGN(auto answer, get("/rt", kRecordLimit));
  const auto at = options_.url + "/rt";
  if (answer.too_long || answer.status != 200)
    return fail(ErrorCode::kNotFound,
                "no Request Tracker REST2 API at " + options_.url + " (GET " + at + " answered " +
                    (answer.too_long ? std::string("without end")
                                     : "HTTP " + std::to_string(answer.status)) +
                    "); the URL ends in /REST/2.0");
  auto version = import::read_rt_version(answer.body);
  if (!version)
    return fail(ErrorCode::kNotFound, "no Request Tracker REST2 API at " + options_.url + " (GET " +
                                          at + ": " + version.error().message + ")");
  return version;
}

Result<void> RtRestClient::read_users(ImportData& out) {
  // Disabled users too: people who left still wrote what the tickets hold.
  auto listed = all_pages("/users?find_disabled_rows=1&fields=Name");
  if (!listed) return fail(std::move(listed).error());
  std::vector<json::object> users;
  for (const auto& item : *listed) {
    const auto id = import::text_of(item, "id");
    if (id.empty() || id == "Nobody" || id == "RT_System") continue;
    const auto path = "/user/" + escaped(id);
    auto record = get_ok(path, kRecordLimit);
    if (!record) {
      if (stops_the_import(record.error())) return fail(std::move(record).error());
      out.problems.push_back({"user " + id, record.error().message});
      continue;
    }
    auto parsed = import::json_records(*record, "GET " + path, "items");
    for (const auto& problem : parsed.problems) out.problems.push_back(problem);
    for (auto& o : parsed.records) users.push_back(std::move(o));
  }
  import::read_rt_users(import::rt_items_json(users), "GET /users", out);
  return {};
}

Result<std::vector<std::string>> RtRestClient::ticket_ids() {
  GONGDAN_ASSIGN(auto items, all_pages("/tickets?query=id%3E0&orderby=id&order=ASC"));
  std::vector<std::string> ids;
  for (const auto& item : items) {
    auto id = import::text_of(item, "id");
    if (id.empty() || id.size() > import::kMaxRefLength ||
        id.find_first_not_of("0123456789") != std::string::npos)
      return fail(ErrorCode::kInvalidArgument, "GET /tickets: a ticket without a number id");
    ids.push_back(std::move(id));
  }
  return ids;
}

Result<void> RtRestClient::read_ticket(const std::string& id, ImportData& out,
                                       std::vector<ImportProblem>& notes) {
  const std::string where = "ticket " + id;
  auto left_out = [&](const Error& e) -> Result<void> {
    if (stops_the_import(e)) return fail(e);
    out.problems.push_back({where, e.message});
    return {};
  };
  const std::string base = "/ticket/" + id;
  auto record = get_ok(base, kRecordLimit);
  if (!record) return left_out(record.error());
  const auto before = out.tickets.size();
  import::read_rt_tickets(*record, "GET " + base, out);
  if (out.tickets.size() == before) return {};  // read_rt_tickets said why
  auto drop = [&](const Error& e) {
    out.tickets.pop_back();
    return left_out(e);
  };
  auto history = all_pages(base + "/history?fields=Type,Creator,Created");
  if (!history) return drop(history.error());
  std::set<std::string> messages;  // the transactions whose parts are read
  for (const auto& t : *history) {
    const auto type = import::text_of(t, "Type");
    if (type == "Create" || type == "Correspond" || type == "Comment")
      messages.insert(import::text_of(t, "id"));
  }
  auto parts = all_pages(base + "/attachments?fields=TransactionId,ContentType,Filename");
  if (!parts) return drop(parts.error());
  // Only `GET /attachment/{id}` sends the content as base64 (a collection's `Content` field
  // is the raw bytes, which JSON cannot carry): one request per part of a message.
  const auto limit = static_cast<std::size_t>(options_.attachment_limit);
  const std::size_t part_limit = limit / 3 * 4 + limit / 38 + (std::size_t{1} << 20);
  std::vector<json::object> full;
  for (const auto& part : *parts) {
    if (!messages.contains(transaction_of(part))) continue;
    if (text::to_lower_ascii(import::text_of(part, "ContentType")).starts_with("multipart/"))
      continue;
    const auto part_id = import::text_of(part, "id");
    const auto path = "/attachment/" + escaped(part_id);
    GONGDAN_ASSIGN(auto answer, get(path, part_limit));
    if (answer.too_long) {
      const auto name = import::text_of(part, "Filename");
      notes.push_back({where, "attachment " + part_id + (name.empty() ? "" : " (" + name + ")") +
                                  " is larger than the upload limit: left out"});
      continue;
    }
    if (answer.status != 200)
      return drop(Error{ErrorCode::kInvalidArgument,
                        "GET " + path + " answered HTTP " + std::to_string(answer.status)});
    auto parsed = import::json_records(answer.body, "GET " + path, "items");
    if (!parsed.problems.empty() || parsed.records.size() != 1)
      return drop(Error{ErrorCode::kInvalidArgument, parsed.problems.empty()
                                                         ? "GET " + path + ": not one attachment"
                                                         : parsed.problems.front().what});
    full.push_back(std::move(parsed.records.front()));
  }
  if (!import::read_rt_history(import::rt_items_json(*history), "GET " + base + "/history",
                               import::rt_items_json(full), "GET " + base + "/attachments",
                               out.tickets.back(), out))
    out.tickets.pop_back();  // read_rt_history said why
  return {};
}

}  // namespace gongdan::channels
