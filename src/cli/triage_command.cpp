// `gongdan triage train`: trains every field's triage model and the similar tickets' sentence
// vectors now, as the scheduled job does, and prints what each learnt from and how it did on
// the held-out tickets. `gongdan triage similar`: the similar-ticket search (BM25, the sentence
// vectors' index, and exact search over the same vectors) asked for held-out tickets, its hit
// rate and latency, and the index's recall against exact search. bench/assist.sh reads both.
#include <algorithm>
#include <chrono>
#include <iostream>

#include "cli/app.hpp"
#include "cli/bench_topics.hpp"
#include "cli/commands.hpp"
#include "cli/logging.hpp"
#include "domain/triage.hpp"
#include "store/messages_store.hpp"
#include "store/tickets_store.hpp"
#include "store/triage_store.hpp"

namespace gongdan::cli {
namespace {

Result<std::unique_ptr<App>> open_quietly(const ConfigFlags& flags) {
  GONGDAN_ASSIGN(auto config, load_config(flags));
  configure_logging("warn");
  return open_app(config);
}

int train(const ConfigFlags& flags) {
  auto app = open_quietly(flags);
  if (!app) return command_failed(app.error().message);
  std::vector<services::TrainingPhase> phases;
  auto reports = (*app)->triage->train_all(&phases);
  if (!reports) return command_failed(reports.error().message);
  // Where the time went, to stderr: stdout is the table bench/assist.sh reads.
  for (const auto& p : phases)
    std::cerr << "phase\t" << p.name << "\t" << p.wall_seconds << " s wall\t" << p.cpu_seconds
              << " s CPU\n";
  std::cout << "field\texamples\theld_out\taccuracy\ttrain_ms\tpredict_us\n";
  for (const auto& r : *reports) {
    if (!r.trained) {
      std::cout << r.field << "\t" << r.examples << "\t" << r.held_out << "\t-\t-\t-\t("
                << r.skipped << ")\n";
      continue;
    }
    if (r.field == "similar") {  // no accuracy of its own: `gongdan triage similar` measures it
      std::cout << r.field << "\t" << r.examples << "\t" << r.held_out << "\t-\t" << r.duration_ms
                << "\t" << r.predict_microseconds << "\t(" << r.indexed
                << " solved tickets given a vector)\n";
      continue;
    }
    std::cout << r.field << "\t" << r.examples << "\t" << r.held_out << "\t" << r.accuracy << "\t"
              << r.duration_ms << "\t" << r.predict_microseconds << "\n";
  }
  return 0;
}

// A held-out ticket as the evaluation asks about it.
struct Asked {
  Ticket ticket;
  std::optional<std::size_t> topic;  // bench-data's, from the subject
  std::string body;                  // its first message
  std::string paraphrase;            // its topic in other words, in its language
};

// Held-out tickets among the first ones, up to `wanted`, with their first messages.
Result<std::vector<Asked>> held_out_tickets(App& app, int wanted) {
  std::vector<Asked> out;
  GONGDAN_TRY(app.db->read([&](store::Connection& c) -> Result<void> {
    for (std::int64_t from = 1; static_cast<int>(out.size()) < wanted; from += 1000) {
      std::vector<std::int64_t> ids;
      for (std::int64_t id = from; id < from + 1000; ++id)
        if (held_out(id)) ids.push_back(id);
      GONGDAN_ASSIGN(auto found, store::find_tickets(c, ids));
      if (found.empty()) break;
      for (auto id : ids) {
        auto it = found.find(id);
        if (it == found.end() || static_cast<int>(out.size()) >= wanted) continue;
        Asked a{std::move(it->second), std::nullopt, {}};
        a.topic = topic_of_subject(a.ticket.subject);
        if (a.topic)
          a.paraphrase =
              kParaphrases[*a.topic]
                          [a.ticket.subject.starts_with(kTopics[*a.topic].subject_zh) ? 0 : 1];
        GONGDAN_ASSIGN(auto first, store::list_messages(c, id, false, 0, 1));
        if (!first.empty()) a.body = first.front().body;
        out.push_back(std::move(a));
      }
    }
    return {};
  }));
  return out;
}

// How one method did with one kind of query text.
struct Score {
  int answered = 0, top1 = 0, top5 = 0, department = 0;
  std::vector<double> ms;

  void add(const Asked& asked, const std::vector<Ticket>& found) {
    if (found.empty()) return;
    ++answered;
    auto same_topic = [&](const Ticket& t) {
      return asked.topic && topic_of_subject(t.subject) == asked.topic;
    };
    top1 += same_topic(found.front());
    department += found.front().department_id == asked.ticket.department_id;
    top5 += std::any_of(found.begin(), found.begin() + std::min<std::size_t>(5, found.size()),
                        same_topic);
  }
  void print(std::string_view method, std::string_view query, std::size_t queries) {
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) {
      return ms.empty() ? 0 : ms[static_cast<std::size_t>(q * static_cast<double>(ms.size() - 1))];
    };
    const double n = static_cast<double>(std::max<std::size_t>(1, queries));
    std::cout << method << "\t" << query << "\t" << queries << "\t" << answered << "\t" << top1 / n
              << "\t" << top5 / n << "\t" << department / n << "\t" << at(0.5) << "\t" << at(0.99)
              << "\n";
  }
};

double since_ms(std::chrono::steady_clock::time_point started) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
      .count();
}

// What a held-out ticket is asked with: "subject" (and its tags, as the ticket page asks),
// "body" (its first message) or "paraphrase".
std::string_view text_of(const Asked& asked, std::string_view query) {
  if (query == "body") return asked.body;
  if (query == "paraphrase") return asked.paraphrase;
  return asked.ticket.subject;
}

// The desk's search by `method`, as the ticket page asks it (the solved tickets' newest agent
// replies read too); held-out tickets dropped from what it found.
Result<std::vector<Ticket>> by_method(App& app, services::SimilarMethod method, const Asked& asked,
                                      std::string_view query, Score& score) {
  static const Viewer admin{.user_id = 1, .role = Role::kAdmin};
  const bool subject = query == "subject";
  const auto started = std::chrono::steady_clock::now();
  auto found = app.similar->solved_like(admin, text_of(asked, query),
                                        subject ? asked.ticket.tags : std::vector<std::string>{},
                                        asked.ticket.id, 10, method);
  score.ms.push_back(since_ms(started));
  if (!found) return fail(found.error());
  std::vector<Ticket> out;
  for (auto& s : found->tickets)
    if (!held_out(s.ticket.id)) out.push_back(std::move(s.ticket));
  return out;
}

services::SimilarMethod method_of(std::string_view name) {
  if (name == "bm25") return services::SimilarMethod::kBm25;
  if (name == "exact") return services::SimilarMethod::kExact;
  return services::SimilarMethod::kVectors;
}

// The index's answers against exact search's, over the vectors alone (before the tickets are
// read): the share of exact search's ten nearest that the index found too, and how often their
// nearest is the same.
struct Recall {
  double found = 0, first = 0;
  int asked = 0;
  void add(const std::vector<std::int64_t>& index, const std::vector<std::int64_t>& exact) {
    if (exact.empty()) return;
    ++asked;
    std::size_t both = 0;
    for (auto id : exact) both += std::find(index.begin(), index.end(), id) != index.end();
    found += static_cast<double>(both) / static_cast<double>(exact.size());
    first += !index.empty() && index.front() == exact.front();
  }
};

Result<bool> vectors_trained(App& app) {
  bool trained = false;
  GONGDAN_TRY(app.db->read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto latest, store::latest_triage_model(c, "similar"));
    trained = latest.has_value();
    return {};
  }));
  return trained;
}

// For held-out tickets, each method asked with each kind of text: the ticket's subject and
// tags (what the desk asks with; bench-data's subjects are one phrase per topic and language,
// so this is easy), its first message (other words than the subjects searched, though also one
// text per topic and language), and its topic in words no generated ticket has (kParaphrases:
// the discriminating test). Top-1 hit: the first solved ticket found outside the held-out tenth is
// about the same topic, in either language (or in the same department); top-5: any of the
// first five is about it.
int similar(const ConfigFlags& flags, int queries, const std::string& method,
            const std::string& query) {
  auto app = open_quietly(flags);
  auto check = [](const auto& result) {
    if (!result) std::cerr << "gongdan: " << result.error().message << "\n";
    return static_cast<bool>(result);
  };
  if (!check(app)) return 1;
  App& a = **app;
  auto asked = held_out_tickets(a, queries);
  if (!check(asked)) return 1;
  std::vector<std::string_view> methods;
  for (std::string_view m : {"bm25", "vectors", "exact"})
    if (method == m || method == "all" || (method == "both" && m != "exact")) methods.push_back(m);
  const bool vectors = method != "bm25";
  if (vectors) {
    auto trained = vectors_trained(a);
    if (!check(trained)) return 1;
    if (!*trained) {  // trained as `gongdan triage train` would
      const auto started = std::chrono::steady_clock::now();
      auto reports = a.triage->train_all();
      if (!check(reports)) return 1;
      std::cerr << "sentence vectors: trained in " << since_ms(started) / 1000 << " s\n";
    }
    // Loaded before anything is timed (with the float copy exact search needs); how long that
    // took is a node's first search after each training.
    auto warm = a.ticket_vectors->nearest("printer", 1,
                                          method == "all" || method == "exact"
                                              ? services::VectorSearch::kExact
                                              : services::VectorSearch::kIndex);
    if (!check(warm)) return 1;
    if (auto s = a.ticket_vectors->index_status())
      std::cerr << "sentence vectors: " << s->size << " tickets in " << s->clusters
                << " clusters, loaded in " << s->load_seconds << " s\n";
  }
  std::cout << "method\tquery\tqueries\tanswered\ttop1_topic\ttop5_topic\ttop1_department\tp50_"
               "ms\tp99_ms\n";
  for (std::string_view m : methods) {
    for (std::string_view q : {"subject", "body", "paraphrase"}) {
      if (query != "all" && query != q) continue;
      Score score;
      for (const auto& one : *asked) {
        if (!one.topic && q == "paraphrase") continue;
        auto found = by_method(a, method_of(m), one, q, score);
        if (!check(found)) return 1;
        score.add(one, *found);
      }
      score.print(m, q, asked->size());
    }
  }
  if (method != "all") return 0;
  for (std::string_view q : {"subject", "body", "paraphrase"}) {
    if (query != "all" && query != q) continue;
    Recall recall;
    for (const auto& one : *asked) {
      if (!one.topic && q == "paraphrase") continue;
      std::string text(text_of(one, q));
      if (q == "subject")
        for (const auto& tag : one.ticket.tags) text += " " + tag;
      auto index = a.ticket_vectors->nearest(text, 10);
      auto exact = a.ticket_vectors->nearest(text, 10, services::VectorSearch::kExact);
      if (!check(index) || !check(exact)) return 1;
      if (*index && *exact) recall.add(**index, **exact);
    }
    const double n = std::max(1, recall.asked);
    std::cerr << "index against exact search (" << q << "): recall@10 " << recall.found / n
              << ", same nearest " << recall.first / n << " (" << recall.asked << " queries)\n";
  }
  return 0;
}

}  // namespace

void add_triage_command(CLI::App& root, int& exit_code) {
  auto flags = std::make_shared<ConfigFlags>();
  auto* triage = root.add_subcommand("triage", "The triage models");
  triage->require_subcommand(1);
  auto* command = triage->add_subcommand(
      "train", "Train every field's model on the solved tickets now and print how each did");
  add_data_options(*command, *flags);
  command->callback([flags, &exit_code] { exit_code = train(*flags); });
  auto* similar_command = triage->add_subcommand(
      "similar", "Ask the similar-ticket search for held-out tickets and print its hit rate");
  add_data_options(*similar_command, *flags);
  auto queries = std::make_shared<int>(1000);
  auto method = std::make_shared<std::string>("both");
  auto query = std::make_shared<std::string>("all");
  similar_command->add_option("--queries", *queries, "How many held-out tickets (default 1000)");
  similar_command
      ->add_option("--method", *method,
                   "bm25 (the desk's search before a vector model is trained), vectors (the "
                   "sentence vectors' index, what the desk serves after), both (default), or "
                   "all (with exact search over the same vectors, and the index's recall "
                   "against it), on the same held-out tickets; a vector model is trained "
                   "first when there is none")
      ->check(CLI::IsMember({"bm25", "vectors", "both", "all"}));
  similar_command
      ->add_option("--query", *query,
                   "Ask with each ticket's subject and tags, its first message, its topic in "
                   "other words (paraphrase), or all three (default)")
      ->check(CLI::IsMember({"subject", "body", "paraphrase", "all"}));
  similar_command->callback([flags, queries, method, query, &exit_code] {
    exit_code = similar(*flags, *queries, *method, *query);
  });
}

}  // namespace gongdan::cli
