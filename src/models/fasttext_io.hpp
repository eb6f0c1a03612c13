// Training a fastText model to a file and loading one back, with fastText's exceptions turned
// into errors: shared by the triage classifiers (text_classifier) and the sentence vectors.
// Included only by those two, so fastText's headers stay out of their public headers.
#pragma once

#include <fasttext/fasttext.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "util/result.hpp"

namespace gongdan::models {

// What both train with: `training_file`, the size and passes asked for, and words alone: no
// character n-grams (minn = maxn = 0), since words and word pairs are what a ticket's kind shows
// in, and the words as triage_text splits them (Chinese a character each) are enough for its
// vectors. Quiet. Each sets its model, loss and the rest.
inline fasttext::Args training_args(const std::string& training_file, int dimension, int epochs,
                                    int buckets, int threads) {
  fasttext::Args args;
  args.input = training_file;
  args.dim = dimension;
  args.epoch = epochs;
  args.bucket = buckets;
  args.thread = threads;
  args.minn = 0;
  args.maxn = 0;
  args.verbose = 0;
  return args;
}

inline Result<void> train_to_file(const fasttext::Args& args, const std::string& model_path) {
  try {
    fasttext::FastText model;
    model.train(args);
    model.saveModel(model_path);
  } catch (const std::invalid_argument& e) {
    return fail(ErrorCode::kInvalidArgument, std::string("cannot train: ") + e.what());
  } catch (const std::exception& e) {
    return fail(ErrorCode::kInternal, std::string("training failed: ") + e.what());
  }
  return {};
}

inline Result<std::unique_ptr<fasttext::FastText>> load_from_file(const std::string& model_path) {
  auto model = std::make_unique<fasttext::FastText>();
  try {
    model->loadModel(model_path);
  } catch (const std::exception&) {
    return fail(ErrorCode::kInvalidArgument, "not a fastText model: " + model_path);
  }
  return model;
}

}  // namespace gongdan::models
