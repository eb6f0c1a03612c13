#include "models/text_classifier.hpp"

#include <fasttext/fasttext.h>

#include <sstream>

#include "models/fasttext_io.hpp"

namespace gongdan::models {

Result<void> train_classifier(const std::string& training_file, const std::string& model_path,
                              const TrainOptions& options) {
  fasttext::Args args;
  args.input = training_file;
  args.model = fasttext::model_name::sup;
  args.loss = options.multi_label ? fasttext::loss_name::ova : fasttext::loss_name::softmax;
  args.dim = options.dimension;
  args.epoch = options.epochs;
  args.wordNgrams = options.word_ngrams;
  args.bucket = options.buckets;
  args.thread = options.threads;
  args.lr = options.learning_rate;
  args.minCount = 1;
  args.minn = 0;  // no character n-grams: words and word pairs are what a ticket's kind shows in
  args.maxn = 0;
  args.verbose = 0;
  return train_to_file(args, model_path);
}

TextClassifier::TextClassifier(std::unique_ptr<fasttext::FastText> model)
    : model_(std::move(model)) {}
TextClassifier::~TextClassifier() = default;

Result<std::unique_ptr<TextClassifier>> TextClassifier::load(const std::string& model_path) {
  auto model = load_from_file(model_path);
  if (!model) return fail(std::move(model).error());
  return std::unique_ptr<TextClassifier>(new TextClassifier(std::move(*model)));
}

std::vector<Prediction> TextClassifier::predict(std::string_view words, int k) const {
  std::istringstream in{std::string(words) + "\n"};
  std::vector<std::pair<fasttext::real, std::string>> found;
  model_->predictLine(in, found, k, 0.0);
  std::vector<Prediction> out;
  out.reserve(found.size());
  for (auto& [probability, label] : found) {
    if (label.starts_with(kLabelPrefix)) label.erase(0, kLabelPrefix.size());
    out.push_back({std::move(label), static_cast<double>(probability)});
  }
  return out;
}

}  // namespace gongdan::models
