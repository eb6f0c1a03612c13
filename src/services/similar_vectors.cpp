#include "services/similar_vectors.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "domain/triage.hpp"
#include "models/sentence_vectors.hpp"
#include "store/database.hpp"
#include "store/triage_store.hpp"

namespace gongdan::services {

SimilarVectors::~SimilarVectors() = default;

Result<std::unique_ptr<SimilarVectors>> SimilarVectors::build(store::Database& db,
                                                              const std::string& folder) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  const std::string input = folder + "/similar-vectors.txt";
  const std::string model = folder + "/similar-vectors.bin";
  std::unique_ptr<SimilarVectors> out(new SimilarVectors());
  std::vector<std::string> indexed;  // each kept ticket's subject and tags, as words
  {
    std::ofstream lines(input, std::ios::trunc);
    std::int64_t after = 0;
    constexpr int kPage = 5000;
    while (true) {
      std::vector<store::TriageExample> page;
      GONGDAN_TRY(db.read([&](store::Connection& c) -> Result<void> {
        GONGDAN_ASSIGN(page, store::triage_examples(c, after, kPage));
        return {};
      }));
      for (const auto& e : page) {
        if (held_out(e.id)) continue;
        lines << triage_text(e.subject, e.body) << "\n";
        std::string tags;
        for (const auto& t : e.tags) tags += " " + t;
        out->ids_.push_back(e.id);
        indexed.push_back(triage_text(e.subject + tags, ""));
      }
      if (page.size() < static_cast<std::size_t>(kPage)) break;
      after = page.back().id;
    }
    if (!lines) return fail(ErrorCode::kInternal, "cannot write " + input);
  }
  const auto started = std::chrono::steady_clock::now();
  GONGDAN_TRY(models::train_sentence_vectors(input, model, models::VectorOptions{}));
  out->training_seconds_ =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::filesystem::remove(input, ec);
  GONGDAN_ASSIGN(out->model_, models::SentenceVectors::load(model));
  out->dimension_ = out->model_->dimension();
  out->vectors_.reserve(indexed.size() * static_cast<std::size_t>(out->dimension_));
  for (const auto& words : indexed) {
    const auto v = out->model_->vector(words);
    out->vectors_.insert(out->vectors_.end(), v.begin(), v.end());
  }
  return out;
}

std::vector<std::int64_t> SimilarVectors::nearest(std::string_view text, int limit) const {
  const auto q = model_->vector(triage_text("", text));
  const auto d = static_cast<std::size_t>(dimension_);
  std::vector<std::pair<float, std::size_t>> scored(ids_.size());
  for (std::size_t i = 0; i < ids_.size(); ++i) {
    const float* row = vectors_.data() + i * d;
    float dot = 0;
    for (std::size_t k = 0; k < d; ++k) dot += row[k] * q[k];
    scored[i] = {dot, i};
  }
  const auto n = std::min<std::size_t>(static_cast<std::size_t>(std::max(0, limit)), scored.size());
  // Nearest first; of equally near ones (a generated subject repeats), the newest, as BM25's
  // search favours recent answers.
  std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(n), scored.end(),
                    [](const auto& a, const auto& b) { return a > b; });
  std::vector<std::int64_t> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(ids_[scored[i].second]);
  return out;
}

}  // namespace gongdan::services
