// `gongdan bench-data`: fills a data directory with realistic mixed Chinese/English tickets for
// benchmarks. It writes through the same ticket-writing steps as the API (counters, search
// index, history), in large transactions, so what the benchmarks read is what production
// would have stored.
#include <iostream>
#include <random>

#include "cli/app.hpp"
#include "cli/bench_topics.hpp"
#include "cli/commands.hpp"
#include "cli/logging.hpp"
#include "domain/search_text.hpp"
#include "services/catalog/catalog_resources.hpp"
#include "services/ticket_write.hpp"
#include "store/catalog_store.hpp"
#include "store/resource_store.hpp"
#include "store/search_index.hpp"
#include "store/users_store.hpp"
#include "util/crypto.hpp"

namespace gongdan::cli {
namespace {

struct BenchArgs {
  std::int64_t tickets = 10000;
  int messages_per_ticket = 3;
  int departments = 20;
  int agents = 200;
  int customers = 50000;
  std::uint32_t seed = 42;
};

// What requesters write after their first message.
constexpr const char* kFollowUps[] = {
    "有什么进展吗？我们这边还是一样的情况。",
    "Any update? It still happens here.",
    "谢谢，问题已经解决了，可以关闭工单。",
    "Thanks for the quick reply, that solved it. You can close the ticket.",
    "附件是错误截图，请查收。",
    "The screenshot of the error is attached."};
constexpr const char* kReplies[] = {
    "您好，我们已经收到您的反馈，工程师会在两小时内联系您。",
    "Thanks for reaching out. We are looking into it and will update you shortly.",
    "请问问题出现的具体时间是什么时候？方便提供一下截图吗？",
    "Could you send a screenshot of the error and the time it happened?",
    "已经为您处理完成，如有其他问题请随时联系我们。",
    "This is fixed now. Please let us know if you see it again."};
constexpr const char* kTags[] = {"vip",    "hardware", "network", "billing",
                                 "refund", "urgent",   "printer", "vpn",
                                 "售后",   "发票",     "account", "shipping"};

template <class T, std::size_t N>
const T& pick(const T (&items)[N], std::mt19937& rng) {
  return items[std::uniform_int_distribution<std::size_t>(0, N - 1)(rng)];
}

// The departments, agents and customers the tickets are spread over.
struct BenchPeople {
  std::vector<std::int64_t> departments;
  std::vector<std::int64_t> agents;
  std::vector<std::int64_t> customers;
};

Result<void> add_departments(store::Connection& c, int count, Millis now, BenchPeople& people) {
  const auto& declared = services::department_resource();
  for (int i = 0; i < count; ++i) {
    Department d{0, (i % 2 ? "Support " : "售后服务 ") + std::to_string(i + 1), "", now};
    GONGDAN_ASSIGN(d.id, store::insert_item(c, declared.info, declared.values(d)));
    people.departments.push_back(d.id);
  }
  return {};
}

// Agents, each in one department, round the departments in turn.
Result<void> add_agents(store::Connection& c, int count, Millis now, BenchPeople& people) {
  auto password = crypto::hash_password("bench-password").value_or("");
  for (int i = 0; i < count; ++i) {
    User u;
    u.role = Role::kAgent;
    u.email = "agent" + std::to_string(i + 1) + "@bench.example";
    u.name = (i % 2 ? "Agent " : "客服") + std::to_string(i + 1);
    u.created_at = u.updated_at = now;
    GONGDAN_ASSIGN(u.id, store::insert_user(c, u, password));
    people.agents.push_back(u.id);
    GONGDAN_TRY(store::set_departments_of_agent(
        c, u.id, {people.departments[static_cast<std::size_t>(i) % people.departments.size()]}));
  }
  return {};
}

Result<void> add_customers(store::Connection& c, store::SearchIndex& index, int count, Millis now,
                           BenchPeople& people) {
  for (int i = 0; i < count; ++i) {
    User u;
    u.role = Role::kCustomer;
    u.email = "customer" + std::to_string(i + 1) + "@" + (i % 3 ? "example.com" : "example.cn");
    u.name = (i % 2 ? "Customer " : "客户") + std::to_string(i + 1);
    u.created_at = u.updated_at = now;
    GONGDAN_ASSIGN(u.id, store::insert_user(c, u, std::nullopt));
    GONGDAN_TRY(index.index_contact(c, u.id, search::contact_text(u.name, u.email)));
    people.customers.push_back(u.id);
  }
  return {};
}

// Makes the tickets, spread evenly over the last two years, from one seeded generator: the same
// seed and counts give the same tickets and messages.
struct TicketMaker {
  static constexpr Millis kTwoYears = 2LL * 365 * 24 * 3600 * 1000;

  const BenchArgs& args;
  const BenchPeople& people;
  const services::Catalog& catalog;
  store::Database& db;
  Millis now;
  std::mt19937 rng;
  std::discrete_distribution<int> category_weights{10, 15, 8, 2, 25, 40};  // new … closed
  std::discrete_distribution<int> priority_weights{20, 55, 20, 5};
  const services::Principal root = services::Principal::system();

  // Tickets number `first` to `first + count - 1`, with their messages.
  Result<void> add(store::Connection& c, std::int64_t first, std::int64_t count) {
    for (std::int64_t i = 0; i < count; ++i) {
      const Millis created =
          now - kTwoYears + static_cast<Millis>((first + i) * (kTwoYears / args.tickets));
      const bool zh = rng() % 2 == 0;
      const std::size_t topic_index = rng() % std::size(kTopics);
      const Topic& topic = kTopics[topic_index];
      GONGDAN_ASSIGN(Ticket t, ticket(created, zh, topic, topic_index));
      services::TicketWrite w{c, catalog, root, created, "import", db};
      GONGDAN_ASSIGN(auto stored, w.insert(t));
      GONGDAN_TRY(messages(w, stored, zh ? topic.body_zh : topic.body_en, created));
    }
    return {};
  }

  Result<Ticket> ticket(Millis created, bool zh, const Topic& topic, std::size_t topic_index) {
    Ticket t;
    t.subject = zh ? topic.subject_zh : topic.subject_en;
    t.subject += " #" + std::to_string(rng() % 100000);
    const auto category = static_cast<StatusCategory>(category_weights(rng));
    services::set_status(t, *catalog.default_status(category), created);
    t.priority = rng() % 4 != 0 ? topic.priority : static_cast<Priority>(priority_weights(rng));
    t.type = rng() % 8 != 0 ? topic.type : static_cast<TicketType>(rng() % 4);
    const auto& departments = people.departments;
    t.department_id = rng() % 12 != 0 ? departments[topic_index % departments.size()]
                                      : departments[rng() % departments.size()];
    if (category != StatusCategory::kNew && rng() % 10 != 0)
      t.assignee_id = people.agents[rng() % people.agents.size()];
    t.requester_id = people.customers[rng() % people.customers.size()];
    t.channel = (rng() % 3 == 0) ? "email" : (rng() % 2 ? "portal" : "api");
    std::vector<std::string> tags;
    if (rng() % 5 != 0) tags.emplace_back(topic.tag);
    if (rng() % 5 == 0) tags.emplace_back(pick(kTags, rng));
    GONGDAN_ASSIGN(t.tags, normalize_tags(tags));
    return t;
  }

  // The requester and the assignee in turn, ten minutes apart; some agent replies are notes.
  Result<void> messages(services::TicketWrite& w, Ticket& ticket, const char* first,
                        Millis created) {
    for (int m = 0; m < args.messages_per_ticket; ++m) {
      Message msg;
      const bool from_agent = m % 2 == 1;
      msg.author_id = from_agent && ticket.assignee_id ? ticket.assignee_id
                                                       : std::optional(ticket.requester_id);
      msg.body = from_agent ? pick(kReplies, rng) : m == 0 ? first : pick(kFollowUps, rng);
      msg.internal = from_agent && rng() % 5 == 0;
      msg.channel = ticket.channel;
      w.now = created + (m + 1) * 600'000;
      GONGDAN_TRY(w.add_message(ticket, std::move(msg), from_agent));
    }
    return {};
  }
};

// Fills the data directory; returns how many tickets it made.
Result<std::int64_t> fill(const Config& config, const BenchArgs& args) {
  GONGDAN_ASSIGN(auto app, open_app(config));
  const Millis now = SystemClock::instance().now_ms();
  BenchPeople people;
  GONGDAN_TRY(app->db->exclusive([&](store::Connection& c) -> Result<void> {
    GONGDAN_TRY(add_departments(c, args.departments, now, people));
    GONGDAN_TRY(add_agents(c, args.agents, now, people));
    return add_customers(c, app->db->search_index(), args.customers, now, people);
  }));
  app->directory->invalidate_catalog();
  GONGDAN_ASSIGN(auto catalog, app->directory->catalog());
  TicketMaker maker{args, people, *catalog, *app->db, now, std::mt19937(args.seed)};
  constexpr std::int64_t kBatch = 5000;
  std::int64_t made = 0;
  while (made < args.tickets) {
    const auto batch = std::min(kBatch, args.tickets - made);
    GONGDAN_TRY(app->db->exclusive(
        [&](store::Connection& c) -> Result<void> { return maker.add(c, made, batch); }));
    made += batch;
    if (made % 100000 == 0 || made == args.tickets) std::cerr << "  " << made << " tickets\n";
  }
  return made;
}

int bench_data(const ConfigFlags& flags, const BenchArgs& args) {
  auto config = load_config(flags);
  if (!config) return command_failed(config.error().message, 2);
  configure_logging("warn");
  auto made = fill(*config, args);
  if (!made) return command_failed(made.error().message);
  std::cout << "generated " << *made << " tickets and " << *made * args.messages_per_ticket
            << " messages\n";
  return 0;
}

}  // namespace

void add_bench_data_command(CLI::App& root, int& exit_code) {
  auto flags = std::make_shared<ConfigFlags>();
  auto args = std::make_shared<BenchArgs>();
  auto* command = root.add_subcommand(
      "bench-data", "Fill a data directory with realistic tickets for benchmarks");
  add_data_options(*command, *flags);
  command->add_option("--tickets", args->tickets, "How many tickets (default 10000)");
  command->add_option("--messages-per-ticket", args->messages_per_ticket, "Default 3");
  command->add_option("--departments", args->departments, "Default 20");
  command->add_option("--agents", args->agents, "Default 200");
  command->add_option("--customers", args->customers, "Default 50000");
  command->add_option("--seed", args->seed, "Random seed (default 42)");
  command->callback([flags, args, &exit_code] { exit_code = bench_data(*flags, *args); });
}

}  // namespace gongdan::cli
