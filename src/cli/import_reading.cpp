#include "cli/import_reading.hpp"

#include <fstream>
#include <sstream>
#include <unordered_map>

#include "channels/import/csv_source.hpp"
#include "channels/import/freshdesk_source.hpp"
#include "channels/import/osticket_source.hpp"
#include "channels/import/rt_source.hpp"
#include "channels/import/zendesk_source.hpp"

namespace gongdan::cli {
namespace {

namespace fs = std::filesystem;

Result<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kNotFound, "cannot read " + path.string());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return fail(ErrorCode::kInternal, "cannot read " + path.string());
  return bytes.str();
}

// A file of the export: read when present, an error when `required` and missing.
template <class Read>
Result<void> each_file(const fs::path& folder, const std::string& name, bool required, Read read) {
  const auto path = folder / name;
  if (!fs::exists(path)) {
    if (required) return fail(ErrorCode::kNotFound, "no " + name + " in " + folder.string());
    return {};
  }
  GONGDAN_ASSIGN(auto bytes, read_file(path));
  read(bytes, name);
  return {};
}

// The per-ticket files of a folder (comments/<id>.json), when it has them.
template <class Read>
Result<void> per_ticket(const fs::path& folder, const std::string& sub, ImportData& data,
                        Read read) {
  if (!fs::is_directory(folder / sub)) return {};
  std::vector<bool> keep(data.tickets.size(), true);
  for (std::size_t i = 0; i < data.tickets.size(); ++i) {
    auto& t = data.tickets[i];
    const auto name = sub + "/" + t.ref + ".json";
    if (t.ref.find('/') != std::string::npos || t.ref.find("..") != std::string::npos) continue;
    if (!fs::exists(folder / name)) continue;
    GONGDAN_ASSIGN(auto bytes, read_file(folder / name));
    keep[i] = read(bytes, name, t);
  }
  std::size_t i = 0;
  std::erase_if(data.tickets, [&](const ImportTicket&) { return !keep[i++]; });
  return {};
}

}  // namespace

fs::path export_folder(ImportFormat format, const fs::path& path) {
  const bool file = format == ImportFormat::kCsv || format == ImportFormat::kOsticket;
  return file ? path.parent_path() : path;
}

Result<ImportData> read_export(ImportFormat format, const fs::path& path) {
  ImportData data;
  using namespace gongdan::import;
  if (format == ImportFormat::kCsv) {
    GONGDAN_ASSIGN(auto bytes, read_file(path));
    return read_csv_export(bytes, path.filename().string());
  }
  if (format == ImportFormat::kOsticket) {
    GONGDAN_ASSIGN(auto bytes, read_file(path));
    return read_osticket_dump(bytes, path.filename().string());
  }
  if (!fs::is_directory(path))
    return fail(ErrorCode::kNotFound, path.string() + " is not the folder of an export");
  auto reader = [&](auto fn) {
    return
        [&data, fn](const std::string& bytes, const std::string& name) { fn(bytes, name, data); };
  };
  if (format == ImportFormat::kZendesk) {
    GONGDAN_TRY(each_file(path, "organizations.json", false, reader(read_zendesk_organizations)));
    GONGDAN_TRY(each_file(path, "users.json", false, reader(read_zendesk_users)));
    GONGDAN_TRY(each_file(path, "ticket_fields.json", false, reader(read_zendesk_ticket_fields)));
    GONGDAN_TRY(each_file(path, "tickets.json", true, reader(read_zendesk_tickets)));
    GONGDAN_TRY(per_ticket(path, "comments", data,
                           [&](const std::string& bytes, const std::string& name, ImportTicket& t) {
                             return read_zendesk_comments(bytes, name, t, data);
                           }));
    return data;
  }
  if (format == ImportFormat::kRt) {
    GONGDAN_TRY(each_file(path, "users.json", false, reader(read_rt_users)));
    GONGDAN_TRY(each_file(path, "tickets.json", true, reader(read_rt_tickets)));
    GONGDAN_TRY(per_ticket(path, "history", data,
                           [&](const std::string& bytes, const std::string& name, ImportTicket& t) {
                             const auto parts = "attachments/" + t.ref + ".json";
                             std::string attachments;
                             if (fs::exists(path / parts))
                               if (auto read = read_file(path / parts)) attachments = *read;
                             return read_rt_history(bytes, name, attachments, parts, t, data);
                           }));
    return data;
  }
  GONGDAN_TRY(each_file(path, "companies.json", false, reader(read_freshdesk_companies)));
  GONGDAN_TRY(each_file(path, "contacts.json", false, reader(read_freshdesk_contacts)));
  GONGDAN_TRY(each_file(path, "agents.json", false, reader(read_freshdesk_agents)));
  GONGDAN_TRY(each_file(path, "tickets.json", true, reader(read_freshdesk_tickets)));
  GONGDAN_TRY(per_ticket(path, "conversations", data,
                         [&](const std::string& bytes, const std::string& name, ImportTicket& t) {
                           return read_freshdesk_conversations(bytes, name, t, data);
                         }));
  return data;
}

void read_attachments(ImportTicket& ticket, const fs::path& folder, std::int64_t limit,
                      std::vector<ImportProblem>& notes) {
  for (auto& m : ticket.messages) {
    std::erase_if(m.attachments, [&](ImportAttachment& a) {
      const fs::path relative(a.location);
      auto note = [&](std::string what) {
        notes.push_back({ticket.where, "attachment " + a.location + " " + what + ": left out"});
        return true;
      };
      if (a.embedded) {
        if (static_cast<std::int64_t>(a.bytes.size()) > limit)
          return note("is larger than the upload limit");
        return false;
      }
      if (a.location.empty() || relative.is_absolute() ||
          a.location.find("..") != std::string::npos)
        return note("is not a path inside the export");
      const auto path = folder / relative;
      std::error_code ec;
      const auto size = fs::file_size(path, ec);
      if (ec || !fs::is_regular_file(path)) return note("is not in the export's folder");
      if (static_cast<std::int64_t>(size) > limit) return note("is larger than the upload limit");
      auto bytes = read_file(path);
      if (!bytes) return note("cannot be read");
      a.bytes = std::move(*bytes);
      if (a.filename.empty()) a.filename = relative.filename().string();
      return false;
    });
  }
}

}  // namespace gongdan::cli
