#include "models/text_classifier.hpp"

#include <fasttext/fasttext.h>

#include <cmath>
#include <sstream>

#include "models/fasttext_io.hpp"

namespace gongdan::models {

Result<void> train_classifier(const std::string& training_file, const std::string& model_path,
                              const TrainOptions& options) {
  auto args = training_args(training_file, options.dimension, options.epochs, options.buckets,
                            options.threads);
  args.model = fasttext::model_name::sup;
  args.loss = options.multi_label ? fasttext::loss_name::ova : fasttext::loss_name::softmax;
  args.wordNgrams = options.word_ngrams;
  args.lr = options.learning_rate;
  args.minCount = 1;
  return train_to_file(args, model_path);
}

TextClassifier::TextClassifier(std::unique_ptr<fasttext::FastText> model)
    : model_(std::move(model)),
      dictionary_(model_->getDictionary()),
      input_(model_->getInputMatrix()),
      output_(model_->getOutputMatrix()) {}
TextClassifier::~TextClassifier() = default;

Result<std::unique_ptr<TextClassifier>> TextClassifier::load(const std::string& model_path) {
  auto model = load_from_file(model_path);
  if (!model) return fail(std::move(model).error());
  // A quantized model has no dense matrix to read rows of (fastText throws); training never
  // makes one.
  if ((*model)->isQuant())
    return fail(ErrorCode::kInvalidArgument, "a quantized fastText model: " + model_path);
  return std::unique_ptr<TextClassifier>(new TextClassifier(std::move(*model)));
}

namespace {

// Asks the CPU for the cache lines of `bytes` at `data` without waiting for them.
void prefetch(const void* data, std::size_t bytes) {
  const auto* p = static_cast<const char*>(data);
  for (std::size_t i = 0; i < bytes; i += 64) __builtin_prefetch(p + i);
  if (bytes) __builtin_prefetch(p + bytes - 1);
}

}  // namespace

// FastText::predictLine's steps, with the input matrix's rows the words pick fetched ahead.
// Those rows (a word's, a word pair's hashed bucket) lie anywhere in a matrix of 10-20 MB, so
// each is a cache miss, and fastText adds them one after the other: on a busy server that was
// two thirds of what triage added to a ticket's CPU time (perf, session 17). Asked for all at
// once, the misses overlap. The arithmetic, and so every prediction, is fastText's own.
std::vector<Prediction> TextClassifier::predict(std::string_view words, int k) const {
  std::istringstream in{std::string(words) + "\n"};  // the newline: training lines end in one
  std::vector<std::int32_t> ids, labels;
  dictionary_->getLine(in, ids, labels);
  const auto row_bytes = static_cast<std::size_t>(input_->cols()) * sizeof(fasttext::real);
  for (auto id : ids)
    prefetch(input_->data() + static_cast<std::int64_t>(id) * input_->cols(), row_bytes);
  if (const auto size = static_cast<std::size_t>(output_->rows() * output_->cols());
      size * sizeof(fasttext::real) <= 64 * 1024)
    prefetch(output_->data(), size * sizeof(fasttext::real));
  fasttext::Predictions found;
  model_->predict(k, ids, found, 0.0);
  std::vector<Prediction> out;
  out.reserve(found.size());
  for (const auto& [log_probability, id] : found) {
    std::string label = dictionary_->getLabel(id);
    if (label.starts_with(kLabelPrefix)) label.erase(0, kLabelPrefix.size());
    out.push_back({std::move(label), static_cast<double>(std::exp(log_probability))});
  }
  return out;
}

}  // namespace gongdan::models
