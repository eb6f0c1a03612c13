// gongdan keys status | rotate | generate: the encryption keys of an install
// (docs/encryption.md). `rotate` adds a key, moves every attachment file and sealed secret to
// it while the server serves, and retires the older keys once nothing needs them; run again
// after an interruption, it finishes the rotation under way instead of starting another.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <thread>

#include "cli/app.hpp"
#include "cli/commands.hpp"
#include "cli/key_setup.hpp"
#include "services/key_check.hpp"
#include "services/key_rotation.hpp"

namespace gongdan::cli {
namespace {

services::KeyRotation rotation_of(App& app) {
  std::vector<const ResourceInfo*> infos;
  for (const auto& r : app.resources->all()) infos.push_back(&r->info());
  return services::KeyRotation(*app.db, *app.clock, app.keys, *app.files,
                               services::sealed_places(infos));
}

std::string usage_line(const std::map<std::string, std::int64_t>& counts) {
  if (counts.empty()) return "none";
  std::string out;
  for (const auto& [key, n] : counts)
    out += (out.empty() ? "" : ", ") + std::to_string(n) + " " +
           (key.empty() ? std::string("in plaintext") : "with " + key);
  return out;
}

int keys_status(const ConfigFlags& flags) {
  auto app = open_for_command(flags, Schema::kExisting);
  if (!app) return command_failed(app.error().message);
  auto& a = **app;
  const auto ring = a.keys->ring();
  std::cout << "keys from " << a.keys->source().name()
            << (keys_in_data_directory(a.config) ? " (inside the data directory)" : "") << "\n";
  for (const auto& k : ring->keys())
    std::cout << "  " << k.id << "  fingerprint " << k.fingerprint()
              << (&k == &ring->current() ? "  current" : "  older, still read") << "\n";
  auto rotation = rotation_of(a);
  auto usage = rotation.usage();
  if (!usage) return command_failed(usage.error().message);
  std::cout << "attachment files: " << usage_line(usage->files) << "\n";
  std::cout << "sealed secrets: " << usage_line(usage->secrets) << "\n";
  return 0;
}

// Servers re-read a changed key file within a second; a write begun just before is done soon
// after. Waiting this long lets them all encrypt with the new key before the old is counted.
void let_servers_follow(int seconds) {
  if (seconds > 0) std::this_thread::sleep_for(std::chrono::seconds(seconds));
}

// The ids of the ring's keys other than the current one that something is still under.
std::vector<std::string> still_needed(const services::KeyUsage& usage, const std::string& current) {
  std::vector<std::string> ids;
  auto add = [&](const std::map<std::string, std::int64_t>& counts) {
    for (const auto& [key, n] : counts)
      if (key != current && n > 0 && std::find(ids.begin(), ids.end(), key) == ids.end())
        ids.push_back(key.empty() ? "plaintext" : key);
  };
  add(usage.files);
  add(usage.secrets);
  return ids;
}

int keys_rotate(const ConfigFlags& flags, int grace_seconds) {
  auto app = open_for_command(flags, Schema::kMigrate);
  if (!app) return command_failed(app.error().message);
  auto& a = **app;
  auto& keys = *a.keys;
  auto ring = keys.ring();
  if (ring->keys().size() == 1) {
    if (keys.source().from_environment())
      return command_failed(
          "the keys come from GONGDAN_KEYS, which only you can change. Run `gongdan keys "
          "generate --add`, set GONGDAN_KEYS to what it prints (the new key first, the old after "
          "it) for every server and restart them, then run `gongdan keys rotate` again to "
          "re-encrypt",
          2);
    auto added = keys.save(ring->with_new_key());
    if (!added) return command_failed(added.error().message);
    ring = keys.ring();
    auto recorded = services::check_keys(*a.db, *ring, keys.source().name(), a.clock->now_ms(),
                                         /*record=*/true);
    if (!recorded) return command_failed(recorded.error().message);
    std::cout << "added key " << ring->current().id << " (fingerprint "
              << ring->current().fingerprint() << ") to " << keys.source().name() << "\n";
  } else {
    std::cout << "finishing the rotation to key " << ring->current().id
              << " (older keys are still in " << keys.source().name() << ")\n";
  }
  const std::string current = ring->current().id;
  auto rotation = rotation_of(a);
  for (int round = 0;; ++round) {
    let_servers_follow(grace_seconds);
    auto moved = rotation.move_to_current();
    if (!moved) return command_failed(moved.error().message);
    std::cout << "encrypted " << moved->files_encrypted << " files and re-sealed "
              << moved->secrets_resealed << " secrets with " << current << "\n";
    let_servers_follow(grace_seconds);
    auto usage = rotation.usage();
    if (!usage) return command_failed(usage.error().message);
    if (still_needed(*usage, current).empty()) break;
    if (round == 4)
      return command_failed(
          "files or secrets are still written with an older key; are all servers "
          "reading " +
          keys.source().name() + "? Run `gongdan keys rotate` again");
  }
  std::vector<std::string> old;
  for (const auto& k : keys.ring()->keys())
    if (k.id != current) old.push_back(k.id);
  auto retired = rotation.retire(old);
  if (!retired) return command_failed(retired.error().message);
  for (const auto& id : old) {
    std::cout << "retired key " << id << ": nothing needs it any more";
    if (keys.source().from_environment()) std::cout << "; remove it from GONGDAN_KEYS";
    std::cout << " (backups made before now still need it)\n";
  }
  return 0;
}

int keys_generate(const ConfigFlags& flags, bool add) {
  if (!add) {
    std::cout << services::KeyRing::generate().text();
    return 0;
  }
  auto config = load_config(flags);
  if (!config) return command_failed(config.error().message, 2);
  auto keys = services::Keys::load(key_source(*config));
  if (!keys) return command_failed(keys.error().message);
  std::cout << (*keys)->ring()->with_new_key().text();
  return 0;
}

}  // namespace

void add_keys_command(CLI::App& root, int& exit_code) {
  auto* keys = root.add_subcommand("keys", "The encryption keys of attachments and secrets");
  keys->require_subcommand(1);
  auto flags = std::make_shared<ConfigFlags>();

  auto* status_command =
      keys->add_subcommand("status", "Show the keys and what is encrypted with each");
  add_data_options(*status_command, *flags);
  status_command->callback([flags, &exit_code] { exit_code = keys_status(*flags); });

  auto grace = std::make_shared<int>(2);
  auto* rotate_command = keys->add_subcommand(
      "rotate",
      "Add a key, re-encrypt every file and secret with it (plaintext ones too) while serving, "
      "and retire the older keys; run again to finish an interrupted rotation");
  add_data_options(*rotate_command, *flags);
  rotate_command
      ->add_option("--grace-seconds", *grace,
                   "How long running servers get to start using the new key (0 when none runs)")
      ->check(CLI::Range(0, 600));
  rotate_command->callback([flags, grace, &exit_code] { exit_code = keys_rotate(*flags, *grace); });

  auto add = std::make_shared<bool>(false);
  auto* generate_command =
      keys->add_subcommand("generate", "Print a new set of keys (for a key file or GONGDAN_KEYS)");
  add_data_options(*generate_command, *flags);
  generate_command->add_flag("--add", *add,
                             "Print the configured keys with a new current key in front of them");
  generate_command->callback([flags, add, &exit_code] { exit_code = keys_generate(*flags, *add); });
}

}  // namespace gongdan::cli
