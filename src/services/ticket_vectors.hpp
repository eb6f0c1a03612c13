// Similar tickets by meaning (issue 22): a fastText sentence vector of every solved ticket's
// subject and tags, and a search for the ones nearest a text. The evaluation (`gongdan triage
// similar`) found these better than BM25 (a paraphrase found its topic 94% of the time against
// 76%), so the desk's similar tickets come from here once a model is trained, and from BM25
// before (services/similar_service).
//
// - The model is trained with triage's (the same job and `gongdan triage train`) on the solved
//   tickets' subjects and first messages, the held-out tenth left out, and stored with triage's
//   models (field "similar"); each node writes its file through ModelFiles, one at a time.
// - That training stores a vector for every solved ticket (ticket_vectors); after it, a ticket
//   gets its vector in the write that solves it, and loses it when it is merged away, deleted,
//   anonymised or its requester erased (those writes drop the row).
// - Each node keeps the newest model's vectors in memory as a VectorIndex (int8, clustered),
//   loaded at its first search, given this node's new vectors as they commit and (PostgreSQL)
//   reading the other nodes' every few seconds. A search answers ids only: the caller reads the
//   tickets and keeps those that still have a vector (forget() drops the others from memory).
//
// Threads: every method may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "domain/vector_index.hpp"
#include "services/directory.hpp"
#include "services/model_files.hpp"
#include "services/shared_cache.hpp"
#include "services/store_fwd.hpp"
#include "services/ticket_hooks.hpp"
#include "util/background_task.hpp"

namespace gongdan::models {
class SentenceVectors;
}

namespace gongdan::services {

// A solved ticket as the vectors learn from it.
struct VectorText {
  std::int64_t id = 0;
  std::string words;    // its subject and first message (triage_text): a training line
  std::string indexed;  // its subject and tags (triage_text): what its vector is made of
  bool train = true;    // false for the held-out tenth
};

struct VectorTrainingReport {
  bool trained = false;
  std::string skipped;
  std::int64_t examples = 0;  // training lines
  std::int64_t indexed = 0;   // vectors stored
  std::int64_t duration_ms = 0;
  double vector_microseconds = 0;  // per ticket, on average
  // Making and storing every solved ticket's vector after the training: wall and CPU time.
  double store_seconds = 0;
  double store_cpu_seconds = 0;
};

// What a search found, and how.
enum class VectorSearch { kIndex, kExact };

class TicketVectors : public TicketHook {
 public:
  TicketVectors(store::Database& db, const Clock& clock, Directory& directory, ModelFiles& files);
  ~TicketVectors() override;

  // Trains a model on the texts marked `train`, stores it and a vector of every text.
  Result<VectorTrainingReport> train(const std::vector<VectorText>& texts);

  Result<void> on_change(store::Connection& c, TicketChange& change, const Catalog& catalog,
                         Millis now) override;

  // Up to `limit` ticket ids whose vectors are nearest `text`'s, nearest first; nothing when
  // no model is trained. kExact compares every vector in floats (the evaluation's yardstick;
  // the first one asked keeps a float copy in memory).
  Result<std::optional<std::vector<std::int64_t>>> nearest(
      std::string_view text, int limit, VectorSearch search = VectorSearch::kIndex);
  // Ids a caller found without a stored vector: left out of this node's searches from now on.
  void forget(const std::vector<std::int64_t>& ids);

  // Loads the newest model's index in the background, when this node has not loaded it yet:
  // the server asks at start-up and at every settings change (how a node learns of a new
  // model), so that no search waits for the load (8 s at 650,000 vectors).
  void warm();

  // The index this node searches: its size, clusters, how long it took to load and how many
  // loads this node has made (none yet: nothing).
  struct IndexStatus {
    std::int64_t model_id = 0;
    std::size_t size = 0, clusters = 0;
    double load_seconds = 0;
    std::int64_t loads = 0;
  };
  std::optional<IndexStatus> index_status() const;

 private:
  struct ModelId {
    std::int64_t id = 0;  // 0: none trained
  };
  struct Loaded;
  Result<std::int64_t> model_id(store::Connection* c);
  Result<std::shared_ptr<const models::SentenceVectors>> model(std::int64_t id,
                                                               store::Connection* c);
  Result<std::shared_ptr<Loaded>> loaded(std::int64_t id, bool floats);
  Result<void> refresh(Loaded& loaded);
  void warm_now();

  store::Database& db_;
  const Clock& clock_;
  Directory& directory_;
  ModelFiles& files_;
  SharedCache<ModelId> model_id_{directory_.settings_version()};
  mutable std::mutex mutex_;
  std::shared_ptr<const models::SentenceVectors> model_;  // by mutex_: the newest loaded
  std::int64_t model_of_ = 0;                             // by mutex_: its id
  std::shared_ptr<Loaded> loaded_;                        // by mutex_
  std::mutex loading_;                                    // one index load at a time
  std::atomic<std::int64_t> loads_{0};
  BackgroundTask warmer_{"vectors-warm", [this] { warm_now(); }};  // last: stops first
};

}  // namespace gongdan::services
