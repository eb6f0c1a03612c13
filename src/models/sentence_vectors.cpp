#include "models/sentence_vectors.hpp"

#include <fasttext/fasttext.h>

#include <cmath>
#include <sstream>

#include "models/fasttext_io.hpp"

namespace gongdan::models {

Result<void> train_sentence_vectors(const std::string& training_file, const std::string& model_path,
                                    const VectorOptions& options) {
  auto args = training_args(training_file, options.dimension, options.epochs, options.buckets,
                            options.threads);
  args.model = options.cbow ? fasttext::model_name::cbow : fasttext::model_name::sg;
  args.loss = fasttext::loss_name::ns;
  args.ws = options.window;
  args.minCount = 2;
  return train_to_file(args, model_path);
}

SentenceVectors::SentenceVectors(std::unique_ptr<fasttext::FastText> model)
    : model_(std::move(model)) {}
SentenceVectors::~SentenceVectors() = default;

Result<std::unique_ptr<SentenceVectors>> SentenceVectors::load(const std::string& model_path) {
  auto model = load_from_file(model_path);
  if (!model) return fail(std::move(model).error());
  return std::unique_ptr<SentenceVectors>(new SentenceVectors(std::move(*model)));
}

int SentenceVectors::dimension() const { return model_->getDimension(); }

std::vector<float> SentenceVectors::vector(std::string_view words) const {
  std::istringstream in{std::string(words) + "\n"};
  fasttext::Vector v(model_->getDimension());
  v.zero();
  model_->getSentenceVector(in, v);
  std::vector<float> out(v.data(), v.data() + v.size());
  double norm = 0;
  for (float x : out) norm += static_cast<double>(x) * x;
  if (norm > 0)
    for (float& x : out) x = static_cast<float>(x / std::sqrt(norm));
  return out;
}

}  // namespace gongdan::models
