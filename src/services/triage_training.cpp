// Training the triage models: every solved ticket is an example; about a tenth (held_out, by
// id) is kept out of training and predicted afterwards, which is what the admin page shows
// before anyone switches a field on.
#include <fmt/format.h>
#include <boost/json.hpp>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "models/text_classifier.hpp"
#include "services/job_kinds.hpp"
#include "services/ticket_vectors.hpp"
#include "services/triage_service.hpp"
#include "store/database.hpp"
#include "store/triage_store.hpp"
#include "util/process_metrics.hpp"

namespace gongdan::services {

struct TriageExampleText {
  std::int64_t id = 0;
  std::string words;
  std::map<TriageField, std::vector<std::string>> labels;
};

namespace {

constexpr std::size_t kMinimumExamples = 20;
constexpr Millis kDay = 24LL * 3600 * 1000;

TriageExampleText example_of(const store::TriageExample& e) {
  TriageExampleText x;
  x.id = e.id;
  x.words = triage_text(e.subject, e.body);
  if (e.department_id) x.labels[TriageField::kDepartment] = {std::to_string(*e.department_id)};
  x.labels[TriageField::kType] = {e.type};
  x.labels[TriageField::kPriority] = {std::string(
      priority_name(static_cast<Priority>(std::clamp<std::int64_t>(e.priority, 0, 3))))};
  if (!e.tags.empty()) x.labels[TriageField::kTags] = e.tags;
  return x;
}

std::string evaluation_json(const TriageEvaluation& e) {
  boost::json::array buckets, confusion;
  for (std::size_t b = 0; b < e.bucket_count.size(); ++b)
    if (e.bucket_count[b]) buckets.push_back({b, e.bucket_count[b], e.bucket_correct[b]});
  for (const auto& [pair, n] : e.confusion)
    confusion.push_back({boost::json::string(pair.first), boost::json::string(pair.second), n});
  return boost::json::serialize(
      boost::json::object{{"buckets", buckets}, {"confusion", confusion}});
}

TriageEvaluation evaluation_of(const store::TriageModelRecord& r) {
  TriageEvaluation e;
  e.examples = r.examples;
  e.held_out = r.held_out;
  e.correct = r.correct;
  boost::system::error_code ec;
  const auto json = boost::json::parse(r.evaluation, ec);
  if (ec || !json.is_object()) return e;
  if (const auto* buckets = json.as_object().if_contains("buckets"); buckets && buckets->is_array())
    for (const auto& b : buckets->as_array()) {
      const auto* row = b.if_array();
      if (!row || row->size() != 3 || !(*row)[0].is_int64()) continue;
      const auto i = static_cast<std::size_t>((*row)[0].as_int64());
      if (i >= e.bucket_count.size()) continue;
      e.bucket_count[i] = (*row)[1].to_number<std::int64_t>();
      e.bucket_correct[i] = (*row)[2].to_number<std::int64_t>();
    }
  if (const auto* confusion = json.as_object().if_contains("confusion");
      confusion && confusion->is_array())
    for (const auto& c : confusion->as_array()) {
      const auto* row = c.if_array();
      if (!row || row->size() != 3 || !(*row)[0].is_string() || !(*row)[1].is_string()) continue;
      e.confusion[{std::string((*row)[0].as_string()), std::string((*row)[1].as_string())}] =
          (*row)[2].to_number<std::int64_t>();
    }
  return e;
}

}  // namespace

Result<TriageTrainingReport> TriageService::train_field(
    TriageField field, const std::vector<TriageExampleText>& examples) {
  TriageTrainingReport report;
  report.field = std::string(triage_field_name(field));
  std::vector<const TriageExampleText*> train, test;
  std::set<std::string> labels;
  for (const auto& x : examples) {
    auto it = x.labels.find(field);
    if (it == x.labels.end() || x.words.empty()) continue;
    (held_out(x.id) ? test : train).push_back(&x);
    labels.insert(it->second.begin(), it->second.end());
  }
  report.examples = static_cast<std::int64_t>(train.size());
  report.held_out = static_cast<std::int64_t>(test.size());
  if (train.size() < kMinimumExamples || test.empty() || labels.size() < 2) {
    report.skipped = "too few solved tickets with this field set";
    return report;
  }
  std::error_code ec;
  std::filesystem::create_directories(files_.folder(), ec);
  const std::string input = fmt::format("{}/train-{}.txt", files_.folder(), report.field);
  const std::string output = fmt::format("{}/train-{}.bin", files_.folder(), report.field);
  {
    // fastText reads its examples in file order; shuffled, so that no epoch ends on one kind.
    std::vector<const TriageExampleText*> order = train;
    std::shuffle(order.begin(), order.end(), std::mt19937(42));
    std::ofstream out(input, std::ios::trunc);
    for (const auto* x : order) {
      for (const auto& label : x->labels.at(field)) out << models::kLabelPrefix << label << ' ';
      out << x->words << '\n';
    }
    if (!out) return fail(ErrorCode::kInternal, "cannot write " + input);
  }
  models::TrainOptions options;
  options.multi_label = field == TriageField::kTags;
  // From 20,000 examples on, 5 passes of 16 dimensions: on bench-data's 90,852 tickets each
  // field's held-out accuracy was the same as with 8 passes of 24 (bench/RESULTS.md) for 40%
  // less CPU, and the model is 13 MB instead of 19. Fewer examples keep more of both: there
  // they cost nothing and a few dozen tickets need them.
  if (train.size() >= 20'000) {
    options.epochs = 5;
    options.dimension = 16;
  }
  const auto started = std::chrono::steady_clock::now();
  GONGDAN_TRY(models::train_classifier(input, output, options));
  report.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - started)
                           .count();
  std::filesystem::remove(input, ec);
  GONGDAN_ASSIGN(auto trained, models::TextClassifier::load(output));
  std::vector<HeldOutPrediction> predictions;
  const auto predicting = std::chrono::steady_clock::now();
  for (const auto* x : test) {
    auto p = trained->predict(x->words, 1);
    const auto& actual = x->labels.at(field);
    HeldOutPrediction h;
    if (!p.empty()) {
      h.predicted = p.front().label;
      h.confidence = p.front().confidence;
    }
    const bool right = std::find(actual.begin(), actual.end(), h.predicted) != actual.end();
    h.actual = right ? h.predicted : actual.front();
    predictions.push_back(std::move(h));
  }
  report.predict_microseconds =
      static_cast<double>(std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::steady_clock::now() - predicting)
                              .count()) /
      static_cast<double>(test.size());
  const auto evaluation = evaluate(predictions, report.examples);
  report.accuracy = evaluation.accuracy();
  std::string bytes;
  {
    std::ifstream in(output, std::ios::binary);
    std::ostringstream all;
    all << in.rdbuf();
    bytes = all.str();
  }
  store::TriageModelRecord record;
  record.field = report.field;
  record.trained_at = clock_.now_ms();
  record.duration_ms = report.duration_ms;
  record.examples = evaluation.examples;
  record.held_out = evaluation.held_out;
  record.correct = evaluation.correct;
  record.evaluation = evaluation_json(evaluation);
  std::int64_t id = 0;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(id, store::insert_triage_model(c, record, bytes));
    return {};
  }));
  // This node has the file already: keep it under the name the model loads from.
  std::filesystem::rename(output, files_.path(id), ec);
  report.trained = true;
  return report;
}

Result<std::vector<TriageTrainingReport>> TriageService::train_all(
    std::vector<TrainingPhase>* phases) {
  std::lock_guard lock(training_);
  auto wall = std::chrono::steady_clock::now();
  double cpu = process_cpu_seconds();
  auto phase = [&](std::string name) {
    const auto now = std::chrono::steady_clock::now();
    const double cpu_now = process_cpu_seconds();
    if (phases)
      phases->push_back(
          {std::move(name), std::chrono::duration<double>(now - wall).count(), cpu_now - cpu});
    wall = now;
    cpu = cpu_now;
  };
  std::vector<TriageExampleText> examples;
  std::vector<VectorText> vector_texts;
  std::int64_t after = 0;
  constexpr int kPage = 5000;
  while (true) {
    std::vector<store::TriageExample> page;
    GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
      GONGDAN_ASSIGN(page, store::triage_examples(c, after, kPage));
      return {};
    }));
    for (const auto& e : page) {
      examples.push_back(example_of(e));
      if (!vectors_) continue;
      std::string indexed = e.subject;
      for (const auto& t : e.tags) indexed += " " + t;
      vector_texts.push_back(
          {e.id, examples.back().words, triage_text(indexed, ""), !held_out(e.id)});
    }
    if (page.size() < static_cast<std::size_t>(kPage)) break;
    after = page.back().id;
  }
  phase("reading");
  std::vector<TriageTrainingReport> reports;
  for (auto field : kTriageFields) {
    GONGDAN_ASSIGN(auto report, train_field(field, examples));
    reports.push_back(std::move(report));
    phase(std::string(triage_field_name(field)));
  }
  examples.clear();
  if (vectors_) {
    GONGDAN_ASSIGN(auto v, vectors_->train(vector_texts));
    if (phases && v.trained) {  // its training, then storing the vectors
      const double stored_wall = v.store_seconds, stored_cpu = v.store_cpu_seconds;
      phase("similar");
      phases->back().wall_seconds -= stored_wall;
      phases->back().cpu_seconds -= stored_cpu;
      phases->push_back({"similar vectors", stored_wall, stored_cpu});
    }
    TriageTrainingReport report;
    report.field = "similar";
    report.trained = v.trained;
    report.skipped = v.skipped;
    report.examples = v.examples;
    report.held_out = static_cast<std::int64_t>(vector_texts.size()) - v.examples;
    report.indexed = v.indexed;
    report.duration_ms = v.duration_ms;
    report.predict_microseconds = v.vector_microseconds;
    reports.push_back(std::move(report));
  }
  // Every node reads the newest models at its next prediction (and search).
  directory_.settings_changed();
  return reports;
}

Result<void> TriageService::train_job(std::string_view) {
  GONGDAN_TRY(train_all());
  // The next training: the shortest interval among the fields in use; none when all are off.
  GONGDAN_ASSIGN(auto s, state());
  std::int64_t days = 0;
  for (const auto& [field, setting] : s->settings)
    if (setting.mode != "off" && (days == 0 || setting.retrain_days < days))
      days = setting.retrain_days;
  if (days == 0) return {};
  const Millis at = clock_.now_ms() + days * kDay;
  return db_.write([&](store::Connection& c) {
    return queue_training(c, at, fmt::format("triage-train-at-{}", at / kDay));
  });
}

Result<std::vector<TriageFieldStatus>> TriageService::status(const Principal& who) {
  GONGDAN_TRY(require(who, Permission::kManageSettings, "see triage"));
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  std::vector<TriageFieldStatus> out;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto s, state(c));
    for (const auto& [field, setting] : s->settings) {
      TriageFieldStatus f;
      f.setting = setting;
      GONGDAN_ASSIGN(auto latest, store::latest_triage_model(c, setting.field));
      if (latest) {
        f.trained = true;
        f.model_id = latest->id;
        f.trained_at = latest->trained_at;
        f.duration_ms = latest->duration_ms;
        f.size = latest->size;
        f.evaluation = evaluation_of(*latest);
        if (field == TriageField::kDepartment)
          for (const auto& [pair, n] : f.evaluation.confusion)
            for (const auto* label : {&pair.first, &pair.second}) {
              std::int64_t id = 0;
              const char* end = label->data() + label->size();
              if (std::from_chars(label->data(), end, id).ptr == end)
                if (const auto* d = catalog->department(id)) f.label_names[*label] = d->name;
            }
      }
      out.push_back(std::move(f));
    }
    return {};
  }));
  return out;
}

Result<SimilarIndexStatus> TriageService::similar_status(const Principal& who) {
  GONGDAN_TRY(require(who, Permission::kManageSettings, "see triage"));
  SimilarIndexStatus out;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto latest, store::latest_triage_model(c, "similar"));
    if (latest) out.model_id = latest->id;
    return {};
  }));
  if (!vectors_) return out;
  if (auto index = vectors_->index_status()) {
    out.loaded = true;
    out.index_model_id = index->model_id;
    out.size = static_cast<std::int64_t>(index->size);
    out.clusters = static_cast<std::int64_t>(index->clusters);
    out.load_seconds = index->load_seconds;
    out.loads = index->loads;
  }
  return out;
}

}  // namespace gongdan::services
