// Triage: models trained on the install's own solved tickets predict a new ticket's department,
// type, priority and tags. What an admin chose per field (triage_settings: off, suggest, apply
// at a threshold) decides what happens: a new ticket from any channel queues a triage job,
// which applies the confident predictions as a change "via triage" (the history says so);
// agents see the others as one-click suggestions on the ticket. Training is a job too, queued
// by an admin or by the previous training (every retrain_days), measured on a held-out tenth.
//
// Models are stored in the database (every node loads the newest) and copied into
// <data>/triage/ on each node, where fastText reads them (services/model_files). The training
// also trains the similar tickets' sentence vectors (services/ticket_vectors), when given them.
//
// Threads: every method may be called from any thread; models are shared, immutable once
// loaded.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "domain/resource.hpp"
#include "domain/triage.hpp"
#include "services/directory.hpp"
#include "services/job_queue.hpp"
#include "services/model_files.hpp"
#include "services/principal.hpp"
#include "services/shared_cache.hpp"
#include "services/store_fwd.hpp"
#include "services/ticket_hooks.hpp"
#include "services/tickets_service.hpp"
#include "util/background_task.hpp"

namespace gongdan::models {
class TextClassifier;
}

namespace gongdan::services {

class Resources;
class TicketVectors;
struct TriageExampleText;  // a solved ticket's words and labels (triage_training.cpp)

// One field's prediction for a ticket.
struct TriageSuggestion {
  std::string field;
  std::string value;  // as the ticket API writes it: a department's id, "incident", "high", a tag
  std::string label;  // what the agent reads: the department's name, or the value
  double confidence = 0;
  bool current = false;  // the ticket has it already
};

// One field's model as the admin page shows it.
struct TriageFieldStatus {
  TriageSetting setting;
  bool trained = false;
  std::int64_t model_id = 0;
  Millis trained_at = 0;
  std::int64_t duration_ms = 0;
  std::int64_t size = 0;
  TriageEvaluation evaluation;
  std::map<std::string, std::string> label_names;  // department ids → names
};

// What a training run did for one field, or ("similar") for the similar tickets' vectors.
struct TriageTrainingReport {
  std::string field;
  bool trained = false;
  std::string skipped;  // why not, when not
  std::int64_t examples = 0;
  std::int64_t held_out = 0;
  double accuracy = 0;
  std::int64_t duration_ms = 0;     // training alone
  double predict_microseconds = 0;  // per held-out ticket, on average (similar: per vector)
  std::int64_t indexed = 0;         // similar: the solved tickets given a vector
};

// The similar tickets' newest vector model and this node's in-memory index of its vectors.
struct SimilarIndexStatus {
  std::int64_t model_id = 0;  // the newest vector model; 0: none trained
  bool loaded = false;        // this node has an index (of index_model_id)
  std::int64_t index_model_id = 0;
  std::int64_t size = 0;
  std::int64_t clusters = 0;
  double load_seconds = 0;
  std::int64_t loads = 0;  // index loads this node has made since it started
};

// Where a training's time went: each step's wall-clock time and the process's CPU time in it
// (all threads), so that a figure taken on a busy machine still says what the work costs.
struct TrainingPhase {
  std::string name;  // reading, a field's name, similar (training), similar vectors (storing)
  double wall_seconds = 0;
  double cpu_seconds = 0;
};

const Resource<TriageSetting>& triage_setting_resource();

class TriageService : public TicketHook, public CreateTriage {
 public:
  TriageService(store::Database& db, const Clock& clock, Directory& directory,
                TicketsService& tickets, JobQueue& jobs, ModelFiles& files);
  ~TriageService() override;

  void add_to(Resources& resources);
  // Training trains the similar tickets' sentence vectors too.
  void set_vectors(TicketVectors* vectors) { vectors_ = vectors; }

  // A new ticket not triaged before its write: queues its triage job when a field applies
  // predictions.
  Result<void> on_change(store::Connection& c, TicketChange& change, const Catalog& catalog,
                         Millis now) override;
  // A new ticket of TicketsService::create, before its write: sets the confident predictions.
  std::optional<std::vector<TriageSet>> triage_new(const Catalog& catalog, Ticket& ticket,
                                                   std::string_view body) override;

  // Loads the models of the fields in use in the background (the server asks at start-up and
  // at every settings change), so that no ticket's creation waits for one; forgets older ones.
  void warm() { warmer_.poke(); }

  // The triage job: applies the confident predictions to the ticket in the payload.
  Result<void> apply(std::string_view payload);
  // The training job: trains every field, then queues the next training.
  Result<void> train_job(std::string_view payload);
  // Trains every field now (the job, and `gongdan triage train`); `phases` gets the time of each
  // step.
  Result<std::vector<TriageTrainingReport>> train_all(std::vector<TrainingPhase>* phases = nullptr);

  // Admins: queue a training now.
  Result<void> request_training(const Principal& who);
  Result<std::vector<TriageFieldStatus>> status(const Principal& who);
  Result<SimilarIndexStatus> similar_status(const Principal& who);
  // Agents who may see the ticket: every field's prediction (not off, with a model).
  Result<std::vector<TriageSuggestion>> suggestions(const Principal& who, std::int64_t number);

 private:
  struct State;
  struct Predicted {
    TriageField field;
    std::string value;
    double confidence = 0;
  };
  Result<std::shared_ptr<const State>> state(store::Connection& c);
  Result<std::shared_ptr<const State>> state();
  Result<std::shared_ptr<const models::TextClassifier>> model(std::int64_t id);
  Result<std::vector<Predicted>> predict(const State& state, std::string_view subject,
                                         std::string_view body);
  Result<TriageTrainingReport> train_field(TriageField field,
                                           const std::vector<TriageExampleText>& examples);
  Result<void> queue_training(store::Connection& c, Millis at, std::string key);
  void warm_now();

  store::Database& db_;
  const Clock& clock_;
  Directory& directory_;
  TicketsService& tickets_;
  JobQueue& jobs_;
  ModelFiles& files_;
  TicketVectors* vectors_ = nullptr;
  SharedCache<State> state_{directory_.settings_version()};
  std::mutex mutex_;
  std::map<std::int64_t, std::shared_ptr<const models::TextClassifier>> models_;  // by mutex_
  std::mutex training_;  // one training at a time on this node
  BackgroundTask warmer_{"triage-warm", [this] { warm_now(); }};  // last: stops first
};

// Defined here, not in triage_service.cpp: training (triage_training.cpp) reads it too.
// The settings of each field and the newest model of each, as of the settings version.
struct TriageService::State {
  std::map<TriageField, TriageSetting> settings;
  std::map<TriageField, std::int64_t> model_ids;
  bool applies_any() const {
    for (const auto& [field, s] : settings)
      if (s.mode == "apply" && model_ids.count(field)) return true;
    return false;
  }
};

}  // namespace gongdan::services
