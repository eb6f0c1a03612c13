// Similar tickets by fastText sentence vectors: the alternative to the BM25 search the desk uses
// (services/similar_service) that issue 22 asked to measure against it. Not served: `gongdan
// triage similar --method vectors` builds one and asks it for held-out tickets; docs/triage.md
// and bench/RESULTS.md say how it measured and why the desk kept BM25.
//
// Built once from the solved (or closed) tickets outside the held-out tenth: a skip-gram model
// trained on their subjects and first messages, then each one's subject and tags as a vector of
// length 1. nearest() compares a text's vector with every one of them (brute force, cosine).
//
// Threads: build() blocks; a built SimilarVectors is immutable and may be asked from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "services/store_fwd.hpp"
#include "util/result.hpp"

namespace gongdan::models {
class SentenceVectors;
}

namespace gongdan::services {

class SimilarVectors {
 public:
  // Trains in `folder` (made if missing; the model file is left there).
  static Result<std::unique_ptr<SimilarVectors>> build(store::Database& db,
                                                       const std::string& folder);
  ~SimilarVectors();
  SimilarVectors(const SimilarVectors&) = delete;
  SimilarVectors& operator=(const SimilarVectors&) = delete;

  // The ids of up to `limit` tickets whose subject and tags are nearest `text` (any text: a
  // subject, a message), nearest first.
  std::vector<std::int64_t> nearest(std::string_view text, int limit) const;
  std::size_t size() const { return ids_.size(); }
  double training_seconds() const { return training_seconds_; }

 private:
  SimilarVectors() = default;
  std::unique_ptr<models::SentenceVectors> model_;
  std::vector<std::int64_t> ids_;
  std::vector<float> vectors_;  // ids_.size() rows of dimension_
  int dimension_ = 0;
  double training_seconds_ = 0;
};

}  // namespace gongdan::services
