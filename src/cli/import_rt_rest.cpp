#include "cli/import_rt_rest.hpp"

#include <iostream>

#include "channels/rt_rest/rt_rest_client.hpp"
#include "cli/app.hpp"
#include "cli/commands.hpp"
#include "cli/import_reading.hpp"

namespace gongdan::cli {
namespace {

int stop(const Error& e) { return command_failed(e.message, 2); }

}  // namespace

int run_rt_rest_import(const Config& config, std::string_view format_name, const ImportArgs& args,
                       const std::string& token) {
  const std::string source = args.name.empty() ? std::string(format_name) : args.name;
  channels::RtRestClient rt({args.url, token, 120'000, 10'000, config.attachment_limit});
  // Before anything is opened or written: that RT answers there and takes the token.
  auto version = rt.version();
  if (!version) return stop(version.error());
  ImportData data;
  if (auto users = rt.read_users(data); !users) return stop(users.error());
  auto ids = rt.ticket_ids();
  if (!ids) return stop(ids.error());

  auto app = open_app(config);
  if (!app) return stop(app.error());
  services::ImportService importer(*(*app)->db, *(*app)->directory, *(*app)->files, *(*app)->clock);
  services::ImportCounts counts;
  std::vector<ImportProblem> problems = std::move(data.problems), notes;
  data.problems.clear();
  if (auto people = importer.import_directory(source, data, counts); !people)
    return stop(people.error());
  auto position = importer.position(source);
  if (!position) return stop(position.error());
  const auto total = static_cast<std::int64_t>(ids->size());
  if (*position > 0 && *position < total && !args.from_start)
    std::cerr << "resuming " << source << " at ticket " << grouped(*position + 1) << " of "
              << grouped(total) << "\n";
  // RT is live: between two runs tickets are deleted or merged and the list shifts, so every
  // run walks it from the start. A ticket an earlier run wrote is skipped without a request.
  Progress progress(args.progress, total, 0);
  auto people = data.people.size();
  for (std::int64_t at = 0; at < total;) {
    const auto end = std::min(total, at + args.batch);
    data.tickets.clear();
    data.field_labels.clear();
    for (auto i = at; i < end; ++i) {
      const auto& id = (*ids)[static_cast<std::size_t>(i)];
      auto known = importer.has_ticket(source, id);
      if (!known) return stop(known.error());
      if (*known) {
        ++counts.already;
        continue;
      }
      if (auto read = rt.read_ticket(id, data, notes); !read) {
        progress.done();
        return stop(read.error());
      }
    }
    for (auto& t : data.tickets) read_attachments(t, {}, config.attachment_limit, notes);
    problems.insert(problems.end(), data.problems.begin(), data.problems.end());
    data.problems.clear();
    // A requester RT knows only by address, or a custom field first seen in this batch.
    bool fields = false;
    for (const auto& t : data.tickets) fields = fields || !t.fields.empty();
    if (data.people.size() != people || fields) {
      if (auto added = importer.import_directory(source, data, counts); !added)
        return stop(added.error());
      people = data.people.size();
    }
    if (auto written = importer.import_tickets(source, data.tickets, end, counts, problems);
        !written) {
      progress.done();
      std::cerr << "gongdan: the batch of tickets " << at + 1 << " to " << end
                << " was not imported: " << written.error().message << "\n";
      return 2;
    }
    at = end;
    progress.show(at);
  }
  progress.done();
  return report_import(source, progress, counts, notes, problems);
}

}  // namespace gongdan::cli
