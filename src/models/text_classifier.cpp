#include "models/text_classifier.hpp"

#include <fasttext/fasttext.h>

#include <algorithm>
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

namespace {

// fastText's Dictionary::readWord's white space.
bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f' || c == '\0';
}

// Dictionary::hash (FNV-1a over the bytes as signed chars), which needs no dictionary.
std::uint32_t word_hash(std::string_view word) {
  std::uint32_t h = 2166136261u;
  for (char c : word) {
    h = h ^ static_cast<std::uint32_t>(static_cast<std::int8_t>(c));
    h = h * 16777619u;
  }
  return h;
}

// Asks the CPU for the cache lines of `bytes` at `data` without waiting for them.
void prefetch(const void* data, std::size_t bytes) {
  const auto* p = static_cast<const char*>(data);
  for (std::size_t i = 0; i < bytes; i += 64) __builtin_prefetch(p + i);
  if (bytes) __builtin_prefetch(p + bytes - 1);
}

}  // namespace

TextClassifier::TextClassifier(std::unique_ptr<fasttext::FastText> model)
    : model_(std::move(model)),
      dictionary_(model_->getDictionary()),
      input_(model_->getInputMatrix()),
      output_(model_->getOutputMatrix()) {
  const auto args = model_->getArgs();
  label_prefix_ = args.label;
  word_ngrams_ = args.wordNgrams;
  buckets_ = args.bucket;
  // Only quantizing prunes a dictionary's buckets, and load() refuses quantized models.
  plain_words_ = args.maxn <= 0 && (buckets_ > 0 || word_ngrams_ <= 1);
  if (plain_words_) index_words();
}

void TextClassifier::index_words() {
  const auto count = static_cast<std::size_t>(dictionary_->nwords());
  std::size_t size = 16;
  while (size < 2 * count) size *= 2;
  slots_.assign(size, WordSlot{});
  mask_ = size - 1;
  for (std::int32_t id = 0; id < dictionary_->nwords(); ++id) {
    const std::string& word = dictionary_->getWord(id);
    const auto hash = word_hash(word);
    auto i = hash & mask_;
    while (slots_[i].id >= 0) i = (i + 1) & mask_;
    slots_[i] = {hash, id, static_cast<std::uint32_t>(spelled_.size()),
                 static_cast<std::uint32_t>(word.size())};
    spelled_ += word;
  }
}

std::int32_t TextClassifier::word_id(std::string_view word, std::uint32_t hash) const {
  for (auto i = hash & mask_;; i = (i + 1) & mask_) {
    const auto& slot = slots_[i];
    if (slot.id < 0) return -1;
    if (slot.hash == hash && std::string_view(spelled_).substr(slot.offset, slot.size) == word)
      return slot.id;
  }
}

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

ClassifierText::ClassifierText(std::string_view words) {
  // Dictionary::getLine on `words` and a newline: each word up to the first newline, then the
  // end of line ("</s>"), where getLine stops.
  std::size_t i = 0;
  while (true) {
    while (i < words.size() && is_space(words[i]) && words[i] != '\n') ++i;
    if (i == words.size() || words[i] == '\n') break;
    const std::size_t start = i;
    while (i < words.size() && !is_space(words[i])) ++i;
    tokens_.emplace_back(words.substr(start, i - start));
    if (tokens_.back() == fasttext::Dictionary::EOS) break;  // getLine stops at one written out too
  }
  if (tokens_.empty() || tokens_.back() != fasttext::Dictionary::EOS)
    tokens_.push_back(fasttext::Dictionary::EOS);
  hashes_.reserve(tokens_.size());
  for (const auto& token : tokens_) hashes_.push_back(word_hash(token));
}

std::vector<std::int32_t> TextClassifier::rows_of(const ClassifierText& text) const {
  std::vector<std::int32_t> rows;
  if (!plain_words_) {  // a model with character n-grams: fastText reads the text itself
    std::string line;
    for (const auto& token : text.tokens_) line += token + " ";
    std::istringstream in{line + "\n"};
    std::vector<std::int32_t> labels;
    dictionary_->getLine(in, rows, labels);
    return rows;
  }
  // getLine's steps for words without character n-grams: each known word's row, and every
  // word's hash (known or not; labels are neither) for the word n-grams' buckets.
  std::vector<std::int32_t> hashes;
  rows.reserve(text.tokens_.size() * static_cast<std::size_t>(std::max(word_ngrams_, 1)));
  hashes.reserve(text.tokens_.size());
  for (std::size_t i = 0; i < text.tokens_.size(); ++i) {
    const auto& token = text.tokens_[i];
    if (token.starts_with(label_prefix_)) continue;
    const auto id = word_id(token, text.hashes_[i]);
    if (id >= 0) rows.push_back(id);
    hashes.push_back(static_cast<std::int32_t>(text.hashes_[i]));
  }
  // Dictionary::addWordNgrams, its arithmetic included (signed hashes widened to 64 bits).
  const auto words = static_cast<std::int32_t>(dictionary_->nwords());
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    auto h = static_cast<std::uint64_t>(hashes[i]);
    for (std::size_t j = i + 1; j < hashes.size() && j < i + static_cast<std::size_t>(word_ngrams_);
         ++j) {
      h = h * 116049371 + static_cast<std::uint64_t>(hashes[j]);
      rows.push_back(words + static_cast<std::int32_t>(h % static_cast<std::uint64_t>(buckets_)));
    }
  }
  return rows;
}

std::vector<Prediction> TextClassifier::predict(std::string_view words, int k) const {
  return predict(ClassifierText(words), k);
}

// FastText::predictLine's steps, with the input matrix's rows the words pick fetched ahead.
// Those rows (a word's, a word pair's hashed bucket) lie anywhere in a matrix of 10-20 MB, so
// each is a cache miss, and fastText adds them one after the other: on a busy server that was
// two thirds of what triage added to a ticket's CPU time (perf, session 17). Asked for all at
// once, the misses overlap. The arithmetic, and so every prediction, is fastText's own.
std::vector<Prediction> TextClassifier::predict(const ClassifierText& text, int k) const {
  const auto ids = rows_of(text);
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
