// migrate, user, token and version: the operator's commands. They open the same data directory
// as serve (and may run beside it: SQLite's locking serialises their writes with the server's).
#include <filesystem>
#include <iostream>
#include <string>

#include "cli/app.hpp"
#include "cli/commands.hpp"
#include "cli/logging.hpp"
#include "store/migrations.hpp"
#include "store/users_store.hpp"

namespace gongdan::cli {
namespace {

int report(const Error& error) {
  std::cerr << "gongdan: " << error.message;
  if (!error.field.empty()) std::cerr << " (" << error.field << ")";
  std::cerr << "\n";
  return error.code == ErrorCode::kInvalidArgument ? 2 : 1;
}

struct UserCreateArgs {
  std::string role = "agent";
  std::string email;
  std::string name;
  std::string locale = "en";
  std::string time_zone = "UTC";
  bool password_stdin = false;
};

int user_create(const ConfigFlags& flags, const UserCreateArgs& args) {
  auto role = parse_role(args.role);
  if (!role) return report({ErrorCode::kInvalidArgument, "unknown role " + args.role, "role"});
  std::optional<std::string> password;
  if (args.password_stdin) {
    std::string line;
    std::getline(std::cin, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    password = line;
  }
  auto app = open_for_command(flags);
  if (!app) return report(app.error());
  services::NewUser user{args.email, args.name, *role, args.locale, args.time_zone, password};
  auto kind = *role == Role::kCustomer ? UserKind::kCustomers : UserKind::kAgents;
  auto created = (*app)->users->create(services::Principal::system(), kind, std::move(user));
  if (!created) return report(created.error());
  std::cout << "created user " << created->id << " " << created->email << "\n";
  return 0;
}

// Only reads: never creates or migrates the database (an older binary run by mistake on a
// newer install must change nothing).
int user_list(const ConfigFlags& flags) {
  auto app = open_for_command(flags, Schema::kExisting);
  if (!app) return report(app.error());
  std::int64_t after = 0;
  while (true) {
    auto page = (*app)->users->list(services::Principal::system(), UserKind::kAll, after, 200);
    if (!page) return report(page.error());
    for (const auto& u : page->items)
      std::cout << u.id << '\t' << role_name(u.role) << '\t' << u.email << '\t' << u.name << '\t'
                << (u.active ? "active" : "inactive") << '\n';
    if (!page->next_after) break;
    after = *page->next_after;
  }
  return 0;
}

int token_create(const ConfigFlags& flags, const std::string& email, const std::string& name,
                 const std::vector<std::string>& scopes) {
  auto app = open_for_command(flags);
  if (!app) return report(app.error());
  std::optional<store::UserWithSecret> user;
  auto found = (*app)->db->read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(user, store::find_user_by_email(c, email));
    return {};
  });
  if (!found) return report(found.error());
  if (!user) return report({ErrorCode::kNotFound, "no user with email " + email, "user"});
  auto token =
      (*app)->auth->create_token(services::Principal::system(), user->user.id, name, scopes);
  if (!token) return report(token.error());
  std::cout << token->token << "\n";
  return 0;
}

// migrate --dry-run: the schema version now and each migration that would run, in order.
int migrate_dry_run(const ConfigFlags& flags) {
  auto config = load_config(flags);
  if (!config) return report(config.error());
  configure_command_logging(config->log_level);
  std::vector<store::Migration> pending;
  int version = 0;
  const auto path = sqlite_path(*config);
  if (!path.empty() && !std::filesystem::exists(path)) {
    std::cout << "no database at " << path << " yet: migrate would create it\n";
    pending = store::all_migrations();
  } else {
    auto db = open_database(*config, Schema::kExisting);
    if (!db) return report(db.error());
    auto current = store::schema_version(**db);
    if (!current) return report(current.error());
    version = *current;
    auto listed = store::pending_migrations(**db);
    (*db)->close();
    if (!listed) return report(listed.error());
    pending = std::move(*listed);
  }
  std::cout << "schema at version " << version << ", this gongdan's is "
            << store::latest_schema_version() << "\n";
  if (pending.empty()) {
    std::cout << "nothing to apply\n";
    return 0;
  }
  std::cout << "would apply " << pending.size() << " migration(s):\n";
  for (const auto& m : pending) std::cout << "  " << m.version << " " << m.name << "\n";
  return 0;
}

void add_migrate_command(CLI::App& root, int& exit_code) {
  auto flags = std::make_shared<ConfigFlags>();
  auto dry_run = std::make_shared<bool>(false);
  auto* migrate = root.add_subcommand("migrate", "Apply pending schema migrations");
  add_data_options(*migrate, *flags);
  migrate->add_flag("--dry-run", *dry_run,
                    "List the migrations that would run, and change nothing");
  migrate->callback([flags, dry_run, &exit_code] {
    if (*dry_run) {
      exit_code = migrate_dry_run(*flags);
      return;
    }
    auto app = open_for_command(*flags);
    if (!app) {
      exit_code = report(app.error());
      return;
    }
    std::cout << "schema at version " << (*app)->schema_version << "\n";
    exit_code = 0;
  });
}

void add_user_commands(CLI::App& root, int& exit_code) {
  auto* user = root.add_subcommand("user", "Manage agents and customers");
  user->require_subcommand(1);
  auto flags = std::make_shared<ConfigFlags>();
  auto args = std::make_shared<UserCreateArgs>();
  auto* create = user->add_subcommand("create", "Create a user");
  add_data_options(*create, *flags);
  create->add_option("--role", args->role, "admin, supervisor, agent, light_agent or customer")
      ->required();
  create->add_option("--email", args->email, "Email address (unique)")->required();
  create->add_option("--name", args->name, "Display name");
  create->add_option("--locale", args->locale, "zh-CN or en");
  create->add_option("--time-zone", args->time_zone, "IANA time zone, e.g. Asia/Shanghai");
  create->add_flag("--password-stdin", args->password_stdin,
                   "Read the password from the first line of standard input");
  create->callback([flags, args, &exit_code] { exit_code = user_create(*flags, *args); });
  auto list_flags = std::make_shared<ConfigFlags>();
  auto* list = user->add_subcommand("list", "List users: id, role, email, name, state");
  add_data_options(*list, *list_flags);
  list->callback([list_flags, &exit_code] { exit_code = user_list(*list_flags); });
}

void add_token_commands(CLI::App& root, int& exit_code) {
  auto* token = root.add_subcommand("token", "Manage API tokens");
  token->require_subcommand(1);
  auto flags = std::make_shared<ConfigFlags>();
  auto email = std::make_shared<std::string>();
  auto name = std::make_shared<std::string>();
  auto scopes = std::make_shared<std::vector<std::string>>();
  auto* create = token->add_subcommand("create", "Create a token and print it once");
  add_data_options(*create, *flags);
  create->add_option("--user", *email, "Email of the token's owner")->required();
  create->add_option("--name", *name, "A label for the token");
  create->add_option("--scope", *scopes,
                     "read, write or mail (repeatable; default read and write)");
  create->callback([=, &exit_code] { exit_code = token_create(*flags, *email, *name, *scopes); });
}

// A reports command: runs `task` on the data directory and says how much it did ("replayed 12
// tickets": `done`, the count, `unit`).
int report_task(const ConfigFlags& flags, Result<std::int64_t> (*task)(App&), std::string_view done,
                std::string_view unit) {
  auto app = open_for_command(flags);
  if (!app) return report(app.error());
  auto count = task(**app);
  if (!count) return report(count.error());
  std::cout << done << " " << *count << " " << unit << "\n";
  return 0;
}

void add_reports_commands(CLI::App& root, int& exit_code) {
  auto* reports = root.add_subcommand("reports", "Report rollups");
  reports->require_subcommand(1);
  auto flags = std::make_shared<ConfigFlags>();
  auto* rebuild =
      reports->add_subcommand("rebuild", "Recompute every report rollup from the tickets' history");
  add_data_options(*rebuild, *flags);
  rebuild->callback([flags, &exit_code] {
    exit_code = report_task(
        *flags, [](App& app) { return app.reports->rebuild(); }, "replayed", "tickets");
  });
  auto* fold = reports->add_subcommand(
      "fold",
      "Fold the report rollups' finished days into days and months now (the server "
      "does it once a day)");
  add_data_options(*fold, *flags);
  fold->callback([flags, &exit_code] {
    exit_code = report_task(
        *flags, [](App& app) { return app.report_folding->fold_all(); }, "folded", "days");
  });
}

}  // namespace

void add_admin_commands(CLI::App& root, int& exit_code) {
  add_migrate_command(root, exit_code);
  add_user_commands(root, exit_code);
  add_token_commands(root, exit_code);
  add_reports_commands(root, exit_code);
  root.add_subcommand("version", "Print the version")->callback([&exit_code] {
    std::cout << "gongdan " << GONGDAN_VERSION << "\n";
    exit_code = 0;
  });
}

}  // namespace gongdan::cli
