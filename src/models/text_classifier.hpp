// A text classifier: fastText (Debian's libfasttext) trained on lines of labels and words, saved
// to a file, loaded and asked for the likeliest labels of a text. The triage service trains one
// per ticket field; this wrapper knows nothing of tickets.
//
// Threads: train_classifier blocks its caller and uses `threads` threads of its own. A loaded
// TextClassifier is immutable: predict() may be called from any number of threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace fasttext {
class DenseMatrix;
class Dictionary;
class FastText;
}  // namespace fasttext

namespace gongdan::models {

struct TrainOptions {
  int dimension = 24;
  int epochs = 8;
  int word_ngrams = 2;
  int buckets = 200000;  // hashed n-grams: the model's size is buckets × dimension floats
  int threads = 2;
  double learning_rate = 0.5;
  bool multi_label = false;  // one-vs-all: each label scored on its own (tags)
};

// The prefix fastText gives labels in a training line ("__label__sales words …").
inline constexpr std::string_view kLabelPrefix = "__label__";

// Trains on `training_file` (one example a line: labels with kLabelPrefix, then words separated
// by spaces) and writes the model to `model_path`. Fails (kInvalidArgument) when the file holds
// no words or no labels.
Result<void> train_classifier(const std::string& training_file, const std::string& model_path,
                              const TrainOptions& options);

struct Prediction {
  std::string label;  // without the prefix
  double confidence = 0;
};

// A text split into fastText's tokens, each with fastText's hash of it, once for every
// classifier that reads it: triage asks three models about each new ticket, and fastText's own
// predictLine would read and hash the text again for each (an input stream, a locale, a string
// a word).
class ClassifierText {
 public:
  // `words` as in a training line, without labels; read as fastText reads a line: up to its
  // first newline, words separated by white space.
  explicit ClassifierText(std::string_view words);

 private:
  friend class TextClassifier;
  std::vector<std::string> tokens_;    // the last is fastText's end of line, "</s>"
  std::vector<std::uint32_t> hashes_;  // Dictionary::hash of each token
};

class TextClassifier {
 public:
  // Fails (kInvalidArgument) on a file that is not a fastText model.
  static Result<std::unique_ptr<TextClassifier>> load(const std::string& model_path);
  ~TextClassifier();
  TextClassifier(const TextClassifier&) = delete;
  TextClassifier& operator=(const TextClassifier&) = delete;

  // The `k` likeliest labels of `words` (as in a training line, without labels), likeliest
  // first; none for a text with no word the model knows.
  std::vector<Prediction> predict(std::string_view words, int k) const;
  std::vector<Prediction> predict(const ClassifierText& text, int k) const;

 private:
  explicit TextClassifier(std::unique_ptr<fasttext::FastText> model);
  // The input rows fastText's Dictionary::getLine picks for `text`: its words' and its word
  // n-grams' (hashed buckets).
  std::vector<std::int32_t> rows_of(const ClassifierText& text) const;
  // The id of a word of the model's (not a label), or -1; `hash` is Dictionary::hash of it.
  std::int32_t word_id(std::string_view word, std::uint32_t hash) const;
  void index_words();
  std::unique_ptr<fasttext::FastText> model_;
  // The model's own, kept rather than asked for at every prediction.
  std::shared_ptr<const fasttext::Dictionary> dictionary_;
  std::shared_ptr<const fasttext::DenseMatrix> input_;
  std::shared_ptr<const fasttext::DenseMatrix> output_;
  std::string label_prefix_;  // the model's (fastText's -label), "__label__" for ours
  int word_ngrams_ = 1;
  std::int64_t buckets_ = 0;
  // The model's words have no character n-grams and its buckets were not pruned: rows_of reads
  // the text so; otherwise it asks the dictionary's getLine.
  bool plain_words_ = false;
  // The model's words by hash, for word_id. fastText's own table (Dictionary::find), filled to
  // 70% with linear probing, reads a word's dictionary entry (elsewhere in memory) at every slot
  // it probes to compare the words: about two probes for a word it knows and six for one it does
  // not, each a likely cache miss, for each of the three or four models triage asks a ticket.
  // This one is at most half full and keeps each word's hash in its slot, so a probe reads the
  // word's letters (side by side in spelled_) only when the hashes match. Built for plain_words_
  // models.
  struct WordSlot {
    std::uint32_t hash = 0;
    std::int32_t id = -1;      // -1: an empty slot
    std::uint32_t offset = 0;  // the word's letters in spelled_
    std::uint32_t size = 0;
  };
  std::vector<WordSlot> slots_;
  std::size_t mask_ = 0;
  std::string spelled_;
};

}  // namespace gongdan::models
