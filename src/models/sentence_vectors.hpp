// Sentence vectors: a fastText (Debian's libfasttext) skip-gram model trained, without labels,
// on lines of words, and the vector of a text (the mean of its words' normalised vectors, as
// fastText's own print-sentence-vectors writes it). Issue 22's similar tickets are found by
// these (services/ticket_vectors); this wrapper knows nothing of tickets.
//
// Threads: train_sentence_vectors blocks its caller and uses `threads` threads of its own. A
// loaded SentenceVectors is immutable: vector() may be called from any number of threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace fasttext {
class FastText;
}

namespace gongdan::models {

struct VectorOptions {
  int dimension = 48;
  int epochs = 5;
  int window = 5;
  // Hashed character n-grams: none are used (min_n = max_n = 0), so no rows are kept for them
  // (200,000 rows made every model 38 MB of zeros to store and to load on each node).
  int buckets = 0;
  int threads = 2;
  // CBOW (a word predicted from its neighbours' mean) instead of skip-gram (each neighbour
  // from the word): several times cheaper a pass, a little weaker on rare words.
  bool cbow = false;
};

// Trains on `training_file` (one text a line, words separated by spaces) and writes the model
// to `model_path`. Fails (kInvalidArgument) when the file holds no words.
Result<void> train_sentence_vectors(const std::string& training_file, const std::string& model_path,
                                    const VectorOptions& options);

class SentenceVectors {
 public:
  // Fails (kInvalidArgument) on a file that is not a fastText model.
  static Result<std::unique_ptr<SentenceVectors>> load(const std::string& model_path);
  ~SentenceVectors();
  SentenceVectors(const SentenceVectors&) = delete;
  SentenceVectors& operator=(const SentenceVectors&) = delete;

  int dimension() const;
  // The vector of `words` (as a training line), scaled to length 1; all zeros when the model
  // knows none of them.
  std::vector<float> vector(std::string_view words) const;

 private:
  explicit SentenceVectors(std::unique_ptr<fasttext::FastText> model);
  std::unique_ptr<fasttext::FastText> model_;
};

}  // namespace gongdan::models
