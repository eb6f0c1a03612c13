// Triage: predicting a new ticket's department, type, priority and tags from its text, with
// models trained on the install's own solved tickets. This file holds the pure parts: the text a
// model reads (CJK split into characters, since fastText splits on spaces), which tickets are
// held out of training, and what the held-out predictions say (accuracy, coverage at a
// threshold, the confusion table). Training and prediction live in models/ and services/.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/clock.hpp"

namespace gongdan {

enum class TriageField { kDepartment, kType, kPriority, kTags };
inline constexpr std::array<TriageField, 4> kTriageFields = {
    TriageField::kDepartment, TriageField::kType, TriageField::kPriority, TriageField::kTags};
std::string_view triage_field_name(TriageField f);
std::optional<TriageField> parse_triage_field(std::string_view name);

// What an admin chose for one field: off, suggest (agents see one-click suggestions) or apply
// (a prediction at or above `threshold` percent is applied; below it, a suggestion).
struct TriageSetting {
  std::int64_t id = 0;
  std::string field;  // department, type, priority, tags
  std::string mode = "off";
  std::int64_t threshold = 90;
  std::int64_t retrain_days = 7;
  Millis updated_at = 0;
};

// The words a model reads for a ticket: lower-case Latin words and digits-with-letters, each
// CJK character a word of its own (bigrams come from the model's word n-grams), separated by
// one space; at most `max_bytes` of the body are read.
std::string triage_text(std::string_view subject, std::string_view body,
                        std::size_t max_bytes = 4000);

// Whether a ticket is held out of training to measure the model: about one in ten, chosen by
// its id, so the split is the same at every retraining.
bool held_out(std::int64_t ticket_id);

// One held-out prediction: the label the ticket has, the label predicted and its confidence.
struct HeldOutPrediction {
  std::string actual;
  std::string predicted;
  double confidence = 0;
};

// What the held-out predictions say, for the admin page and for deciding a threshold there.
struct TriageEvaluation {
  std::int64_t examples = 0;  // trained on
  std::int64_t held_out = 0;
  std::int64_t correct = 0;
  // Counts per whole percent of confidence (0 … 100, rounded down): predictions and correct
  // ones, so coverage and accuracy can be read at any threshold.
  std::array<std::int64_t, 101> bucket_count{};
  std::array<std::int64_t, 101> bucket_correct{};
  // (actual, predicted) → count, over the most frequent labels (the rest are "other").
  std::map<std::pair<std::string, std::string>, std::int64_t> confusion;

  double accuracy() const;
  // The share of held-out tickets predicted at or above `threshold_percent`, and how many of
  // those were right.
  double coverage_at(std::int64_t threshold_percent) const;
  double accuracy_at(std::int64_t threshold_percent) const;
};

// `max_labels`: the confusion table keeps this many labels (most frequent first) and folds the
// rest into "other".
TriageEvaluation evaluate(const std::vector<HeldOutPrediction>& predictions, std::int64_t examples,
                          std::size_t max_labels = 12);

}  // namespace gongdan
