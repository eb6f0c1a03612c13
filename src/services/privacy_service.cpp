#include "services/privacy_service.hpp"

#include <boost/json.hpp>

#include "services/audit.hpp"
#include "store/privacy_store.hpp"
#include "util/iso_time.hpp"
#include "util/tar_archive.hpp"

#include <sstream>

namespace gongdan::services {
namespace json = boost::json;
namespace {

json::value cell_json(const store::Cell& cell) {
  return std::visit(
      [](const auto& v) -> json::value {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::nullptr_t>)
          return nullptr;
        else if constexpr (std::is_same_v<V, std::string>)
          return json::string(v);
        else
          return v;
      },
      cell);
}

// Times are stored as UTC milliseconds; the export spells them out (ISO 8601, UTC).
bool is_time_column(std::string_view name) { return name.ends_with("_at") || name == "at"; }

json::object record_json(const store::Record& record) {
  json::object out;
  for (const auto& [name, cell] : record) {
    if (is_time_column(name) && std::holds_alternative<std::int64_t>(cell))
      out[name] = iso_time(std::get<std::int64_t>(cell));
    else
      out[name] = cell_json(cell);
  }
  return out;
}

std::int64_t integer_of(const store::Record& record, std::string_view column) {
  for (const auto& [name, cell] : record)
    if (name == column && std::holds_alternative<std::int64_t>(cell))
      return std::get<std::int64_t>(cell);
  return 0;
}

std::string text_of(const store::Record& record, std::string_view column) {
  for (const auto& [name, cell] : record)
    if (name == column && std::holds_alternative<std::string>(cell))
      return std::get<std::string>(cell);
  return {};
}

}  // namespace

Result<ContactArchive> PrivacyService::export_contact(const Principal& who,
                                                      std::int64_t contact_id) {
  GONGDAN_TRY(require(who, Permission::kExportData, "export a contact's data"));
  GONGDAN_ASSIGN(auto sections, store::read_value(db_, [&](store::Connection& c) {
                   return store::contact_records(c, contact_id);
                 }));
  if (sections.empty()) return fail(ErrorCode::kNotFound, "no such contact");
  std::ostringstream out;
  tar::Writer writer(out);
  const Millis now = clock_.now_ms();
  json::object document{
      {"format", "gongdan-contact-export"}, {"version", 1}, {"exported_at", iso_time(now)}};
  ContactArchive archive;
  for (const auto& [name, records] : sections) {
    json::array items;
    for (const auto& record : records) {
      auto item = record_json(record);
      if (name == "attachments") {
        // The file sits beside the document; a blob the disk lost is said, not hidden.
        const std::string file = "attachments/" + std::to_string(integer_of(record, "id"));
        auto bytes = files_.read(text_of(record, "sha256"));
        if (bytes) {
          GONGDAN_TRY(writer.add(file, *bytes, now / 1000));
          item["file"] = file;
          ++archive.attachments;
        } else {
          item["file"] = nullptr;
        }
      }
      items.push_back(std::move(item));
    }
    if (name == "contact" || name == "organization")
      document[name] = items.empty() ? json::value(nullptr) : items.front();
    else
      document[name] = std::move(items);
  }
  GONGDAN_TRY(writer.add("contact.json", json::serialize(document), now / 1000));
  GONGDAN_TRY(writer.finish());
  const auto tickets = sections["tickets"].size();
  GONGDAN_TRY(db_.write([&](store::Connection& c) {
    return record_audit(
        c, now, actor_id(who), "contact.export", "user:" + std::to_string(contact_id), who.ip,
        json::serialize(json::object{{"tickets", tickets}, {"attachments", archive.attachments}}));
  }));
  archive.filename = "contact-" + std::to_string(contact_id) + "-export.tar";
  archive.bytes = std::move(out).str();
  return archive;
}

}  // namespace gongdan::services
