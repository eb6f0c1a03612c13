#include "services/ticket_vectors.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "domain/triage.hpp"
#include "models/sentence_vectors.hpp"
#include "store/database.hpp"
#include "store/ticket_vectors_store.hpp"
#include "store/tickets_store.hpp"
#include "store/triage_store.hpp"
#include "util/process_metrics.hpp"

namespace gongdan::services {
namespace {

constexpr std::string_view kField = "similar";  // the vector models' rows in triage_models
constexpr std::size_t kMinimumLines = 20;
constexpr int kLoadPage = 20000;
constexpr std::size_t kStorePage = 2000;  // vectors a write while training stores them
// How often a node reads the vectors other nodes stored, and how far back: the nodes' clocks
// may differ by that much, and a row read twice only replaces itself.
constexpr auto kRefreshEvery = std::chrono::seconds(3);
constexpr Millis kRefreshOverlap = 60'000;
constexpr int kRefreshRows = 10000;

std::string indexed_words(const Ticket& t) {
  std::string text = t.subject;
  for (const auto& tag : t.tags) text += " " + tag;
  return triage_text(text, "");
}

// A small install has few lines to learn from: more passes over them (about 20,000 lines in
// all: a fraction of a second; a few dozen tickets need hundreds of passes before their words'
// vectors leave their random start), and one thread, so that the same tickets give the same
// model (fastText's threads race by design). From 10,000 lines on, two passes, and from 20,000
// on two threads and CBOW instead of skip-gram: each pass over 100,000 lines costs seconds that
// the four triage fields' training also needs, and on bench-data's 90,852 training lines CBOW
// found a paraphrase's topic as often as skip-gram (90.7% against 90.0%) for a third of the CPU
// (bench/RESULTS.md).
models::VectorOptions options_for(std::int64_t lines) {
  models::VectorOptions o;
  o.epochs = static_cast<int>(
      std::clamp<std::int64_t>(20'000 / std::max<std::int64_t>(1, lines), 2, 1000));
  o.threads = lines < 20'000 ? 1 : o.threads;
  o.cbow = lines >= 20'000;
  return o;
}

bool is_zero(const std::vector<float>& v) {
  return std::all_of(v.begin(), v.end(), [](float x) { return x == 0.0f; });
}

// Vectors of an older model: tickets solved while model `id` trained (this node's hook and the
// others' use the older one until the training ends) are made again with it; the rest (tickets
// reopened, merged or deleted since) go.
Result<void> redo_other_models(store::Database& db, const models::SentenceVectors& trained,
                               std::int64_t id, Millis now) {
  while (true) {
    std::vector<std::int64_t> stale;
    std::unordered_map<std::int64_t, Ticket> found;
    GONGDAN_TRY(db.read([&](store::Connection& c) -> Result<void> {
      GONGDAN_ASSIGN(stale, store::tickets_of_other_models(c, id, static_cast<int>(kStorePage)));
      GONGDAN_ASSIGN(found, store::find_tickets(c, stale));
      return {};
    }));
    if (stale.empty()) return {};
    std::vector<std::pair<std::int64_t, std::vector<float>>> again;
    for (auto ticket : stale) {
      auto it = found.find(ticket);
      const bool keep =
          it != found.end() && !is_unsolved(it->second.category) && !it->second.merged_into;
      again.emplace_back(ticket,
                         keep ? trained.vector(indexed_words(it->second)) : std::vector<float>());
    }
    GONGDAN_TRY(db.write([&](store::Connection& c) -> Result<void> {
      for (const auto& [ticket, v] : again)
        GONGDAN_TRY(v.empty() || is_zero(v) ? store::drop_ticket_vector(c, ticket)
                                            : store::put_ticket_vector(c, ticket, id, v, now));
      return {};
    }));
  }
}

}  // namespace

struct TicketVectors::Loaded {
  std::int64_t model_id = 0;
  std::shared_ptr<const models::SentenceVectors> model;
  double load_seconds = 0;
  std::shared_mutex mutex;
  VectorIndex index{1};                             // by mutex
  std::vector<std::int64_t> ids;                    // by mutex: with floats, for kExact only
  std::vector<float> floats;                        // by mutex
  bool has_floats = false;                          // set before it is shared
  Millis seen_to = 0;                               // by mutex: the newest stored_at read
  std::mutex refreshing;                            // one refresh at a time
  std::chrono::steady_clock::time_point refreshed;  // by refreshing
};

TicketVectors::TicketVectors(store::Database& db, const Clock& clock, Directory& directory,
                             ModelFiles& files)
    : db_(db), clock_(clock), directory_(directory), files_(files) {}

TicketVectors::~TicketVectors() = default;

Result<std::int64_t> TicketVectors::model_id(store::Connection* c) {
  auto load = [&](store::Connection& r) -> Result<std::shared_ptr<const ModelId>> {
    GONGDAN_ASSIGN(auto latest, store::latest_triage_model(r, kField));
    return std::make_shared<const ModelId>(ModelId{latest ? latest->id : 0});
  };
  std::shared_ptr<const ModelId> out;
  GONGDAN_ASSIGN(out, model_id_.get([&]() -> Result<std::shared_ptr<const ModelId>> {
    if (c) return load(*c);
    std::shared_ptr<const ModelId> read;
    GONGDAN_TRY(db_.read([&](store::Connection& r) -> Result<void> {
      GONGDAN_ASSIGN(read, load(r));
      return {};
    }));
    return read;
  }));
  return out->id;
}

Result<std::shared_ptr<const models::SentenceVectors>> TicketVectors::model(std::int64_t id,
                                                                            store::Connection* c) {
  {
    std::lock_guard lock(mutex_);
    if (model_ && model_of_ == id) return model_;
  }
  std::shared_ptr<const models::SentenceVectors> out;
  GONGDAN_TRY(files_.with_file(id, c, [&](const std::string& path) -> Result<void> {
    {  // loaded by another caller while this one waited for the file
      std::lock_guard lock(mutex_);
      if (model_ && model_of_ == id) {
        out = model_;
        return {};
      }
    }
    GONGDAN_ASSIGN(auto loaded, models::SentenceVectors::load(path));
    out = std::move(loaded);
    std::lock_guard lock(mutex_);
    model_ = out;
    model_of_ = id;
    return {};
  }));
  return out;
}

Result<std::shared_ptr<TicketVectors::Loaded>> TicketVectors::loaded(std::int64_t id, bool floats) {
  auto current = [&]() -> std::shared_ptr<Loaded> {
    std::lock_guard lock(mutex_);
    if (loaded_ && loaded_->model_id == id && (!floats || loaded_->has_floats)) return loaded_;
    return nullptr;
  };
  if (auto l = current()) return l;
  std::lock_guard loading(loading_);
  if (auto l = current()) return l;
  const auto started = std::chrono::steady_clock::now();
  auto l = std::make_shared<Loaded>();
  l->model_id = id;
  GONGDAN_ASSIGN(l->model, model(id, nullptr));
  const int d = l->model->dimension();
  std::vector<std::int64_t> ids;
  std::vector<float> vectors;
  // Paged, so that no read holds its snapshot open for the whole load.
  for (std::int64_t after = 0;;) {
    std::vector<store::TicketVectorRow> page;
    GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
      GONGDAN_ASSIGN(page, store::ticket_vectors(c, id, after, kLoadPage));
      return {};
    }));
    for (const auto& row : page) {
      l->seen_to = std::max(l->seen_to, row.stored_at);
      if (row.vector.size() != static_cast<std::size_t>(d)) continue;
      ids.push_back(row.ticket_id);
      vectors.insert(vectors.end(), row.vector.begin(), row.vector.end());
    }
    if (page.size() < static_cast<std::size_t>(kLoadPage)) break;
    after = page.back().ticket_id;
    if (warmer_.stopping()) return fail(ErrorCode::kUnavailable, "the server is stopping");
  }
  l->index = VectorIndex(d, ids, vectors);
  loads_.fetch_add(1);
  if (floats) {
    l->ids = std::move(ids);
    l->floats = std::move(vectors);
    l->has_floats = true;
  }
  l->refreshed = std::chrono::steady_clock::now();
  l->load_seconds = std::chrono::duration<double>(l->refreshed - started).count();
  std::lock_guard lock(mutex_);
  loaded_ = l;
  return l;
}

Result<void> TicketVectors::refresh(Loaded& l) {
  // SQLite has one node, whose own vectors reach its index as their writes commit.
  if (db_.engine() == store::Engine::kSqlite) return {};
  std::unique_lock refreshing(l.refreshing, std::try_to_lock);
  if (!refreshing) return {};  // another search is at it
  const auto now = std::chrono::steady_clock::now();
  if (now - l.refreshed < kRefreshEvery) return {};
  l.refreshed = now;
  Millis since = 0;
  {
    std::shared_lock lock(l.mutex);
    since = l.seen_to - kRefreshOverlap;
  }
  std::vector<store::TicketVectorRow> rows;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(rows, store::ticket_vectors_since(c, l.model_id, since, kRefreshRows));
    return {};
  }));
  std::unique_lock lock(l.mutex);
  for (const auto& row : rows) {
    l.index.put(row.ticket_id, row.vector);
    l.seen_to = std::max(l.seen_to, row.stored_at);
  }
  return {};
}

Result<std::optional<std::vector<std::int64_t>>> TicketVectors::nearest(std::string_view text,
                                                                        int limit,
                                                                        VectorSearch search) {
  using Found = std::optional<std::vector<std::int64_t>>;
  GONGDAN_ASSIGN(auto id, model_id(nullptr));
  if (id == 0) return Found();
  std::shared_ptr<Loaded> l;
  {
    // While the warm-up (or another search) loads the newest model's index, the index loaded
    // before answers with its own model, or with none yet BM25 does: no search waits for a load.
    std::unique_lock loading(loading_, std::try_to_lock);
    if (!loading && search == VectorSearch::kIndex) {
      std::lock_guard lock(mutex_);
      l = loaded_;
      if (!l) return Found();
    }
  }
  if (!l) {
    GONGDAN_ASSIGN(l, loaded(id, search == VectorSearch::kExact));
  }
  GONGDAN_TRY(refresh(*l));
  const auto q = l->model->vector(triage_text(text, ""));
  if (is_zero(q)) return Found();  // no word the model knows: BM25 may still match one
  const auto n = static_cast<std::size_t>(std::max(0, limit));
  std::vector<VectorHit> hits;
  {
    std::shared_lock lock(l->mutex);
    hits = search == VectorSearch::kExact
               ? exact_nearest(l->index.dimension(), l->ids, l->floats, q, n)
               : l->index.nearest(q, n);
  }
  std::vector<std::int64_t> out;
  out.reserve(hits.size());
  for (const auto& h : hits) out.push_back(h.id);
  return Found(std::move(out));
}

void TicketVectors::forget(const std::vector<std::int64_t>& ids) {
  std::shared_ptr<Loaded> l;
  {
    std::lock_guard lock(mutex_);
    l = loaded_;
  }
  if (!l || ids.empty()) return;
  std::unique_lock lock(l->mutex);
  for (auto id : ids) l->index.forget(id);
}

std::optional<TicketVectors::IndexStatus> TicketVectors::index_status() const {
  std::shared_ptr<Loaded> l;
  {
    std::lock_guard lock(mutex_);
    l = loaded_;
  }
  if (!l) return std::nullopt;
  std::shared_lock lock(l->mutex);
  return IndexStatus{l->model_id, l->index.size(), l->index.clusters(), l->load_seconds,
                     loads_.load()};
}

void TicketVectors::warm() { warmer_.poke(); }

void TicketVectors::warm_now() {
  auto id = model_id(nullptr);
  if (!id) {
    spdlog::warn("similar tickets: cannot read the newest vector model: {}", id.error().message);
    return;
  }
  if (*id == 0) return;
  {
    std::lock_guard lock(mutex_);
    if (loaded_ && loaded_->model_id == *id) return;
  }
  if (auto l = loaded(*id, false); !l && !warmer_.stopping())
    spdlog::warn("similar tickets: cannot load the vector index: {}", l.error().message);
  else if (l)
    spdlog::info("similar tickets: the vectors of model {} loaded in {:.1f} s", *id,
                 (*l)->load_seconds);
}

Result<void> TicketVectors::on_change(store::Connection& c, TicketChange& change, const Catalog&,
                                      Millis now) {
  const Ticket& t = change.ticket;
  const std::int64_t ticket_id = t.id;
  if (t.merged_into) {  // merged away: its target answers for it
    GONGDAN_TRY(store::drop_ticket_vector(c, ticket_id));
    c.after_commit([this, ticket_id] { forget({ticket_id}); });
    return {};
  }
  // Only the write that solved it: set_status stamps solved_at with the write's time.
  if (is_unsolved(t.category) || t.solved_at != now) return {};
  GONGDAN_ASSIGN(auto id, model_id(&c));
  if (id == 0) return {};
  GONGDAN_ASSIGN(auto m, model(id, &c));
  auto v = m->vector(indexed_words(t));
  if (is_zero(v)) return {};
  GONGDAN_TRY(store::put_ticket_vector(c, ticket_id, id, v, now));
  c.after_commit([this, id, ticket_id, v = std::move(v), now] {
    std::shared_ptr<Loaded> l;
    {
      std::lock_guard lock(mutex_);
      l = loaded_;
    }
    if (!l || l->model_id != id) return;
    std::unique_lock lock(l->mutex);
    l->index.put(ticket_id, v);
    l->seen_to = std::max(l->seen_to, now);
  });
  return {};
}

Result<VectorTrainingReport> TicketVectors::train(const std::vector<VectorText>& texts) {
  VectorTrainingReport report;
  std::error_code ec;
  std::filesystem::create_directories(files_.folder(), ec);
  const std::string input = files_.folder() + "/train-similar.txt";
  const std::string output = files_.folder() + "/train-similar.bin";
  {
    std::ofstream lines(input, std::ios::trunc);
    for (const auto& x : texts)
      if (x.train && !x.words.empty()) {
        lines << x.words << '\n';
        ++report.examples;
      }
    if (!lines) return fail(ErrorCode::kInternal, "cannot write " + input);
  }
  if (static_cast<std::size_t>(report.examples) < kMinimumLines) {
    std::filesystem::remove(input, ec);
    report.skipped = "too few solved tickets";
    return report;
  }
  const auto started = std::chrono::steady_clock::now();
  GONGDAN_TRY(models::train_sentence_vectors(input, output, options_for(report.examples)));
  report.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - started)
                           .count();
  std::filesystem::remove(input, ec);
  GONGDAN_ASSIGN(auto trained, models::SentenceVectors::load(output));
  std::string bytes;
  {
    std::ifstream in(output, std::ios::binary);
    std::ostringstream all;
    all << in.rdbuf();
    bytes = all.str();
  }
  const Millis now = clock_.now_ms();
  store::TriageModelRecord record;
  record.field = std::string(kField);
  record.trained_at = now;
  record.duration_ms = report.duration_ms;
  record.examples = report.examples;
  record.held_out = static_cast<std::int64_t>(texts.size()) - report.examples;
  record.evaluation = "{}";
  std::int64_t id = 0;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(id, store::insert_triage_model(c, record, bytes));
    return {};
  }));
  // This node has the file already: keep it under the name the model loads from.
  std::filesystem::rename(output, files_.path(id), ec);
  // Every solved ticket's vector, a page a write, computed before the write so that the
  // writer only stores them.
  const auto storing = std::chrono::steady_clock::now();
  const double storing_cpu = process_cpu_seconds();
  double vector_seconds = 0;
  for (std::size_t from = 0; from < texts.size(); from += kStorePage) {
    const auto to = std::min(texts.size(), from + kStorePage);
    std::vector<std::pair<std::int64_t, std::vector<float>>> page;
    const auto computing = std::chrono::steady_clock::now();
    for (auto i = from; i < to; ++i) {
      auto v = trained->vector(texts[i].indexed);
      if (!is_zero(v)) page.emplace_back(texts[i].id, std::move(v));
    }
    vector_seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - computing).count();
    GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
      for (const auto& [ticket, v] : page)
        GONGDAN_TRY(store::put_ticket_vector(c, ticket, id, v, now));
      return {};
    }));
    report.indexed += static_cast<std::int64_t>(page.size());
  }
  report.vector_microseconds =
      texts.empty() ? 0 : vector_seconds * 1e6 / static_cast<double>(texts.size());
  GONGDAN_TRY(redo_other_models(db_, *trained, id, now));
  report.store_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - storing).count();
  report.store_cpu_seconds = process_cpu_seconds() - storing_cpu;
  report.trained = true;
  return report;
}

}  // namespace gongdan::services
