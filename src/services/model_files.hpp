// The node's copies of trained models (triage's classifiers and the similar tickets' sentence
// vectors). Their bytes are in the database (triage_models), so that every node sharing it uses
// the newest; fastText reads a file, so a node writes a model's file into <data>/triage/ the
// first time it needs it (training leaves its own node the file it wrote).
//
// Threads: with_file() may be called from any thread; calls run one at a time on this node.
// Two triage jobs that met a newly trained model at once both wrote its file, one renamed the
// other's half-written copy into place, and fastText aborted the server on it
// (tests/unit/services/model_files_test.cpp replays that meeting).
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "services/store_fwd.hpp"
#include "util/result.hpp"

namespace gongdan::services {

class ModelFiles {
 public:
  ModelFiles(store::Database& db, std::string data_directory);

  const std::string& folder() const { return folder_; }
  std::string path(std::int64_t id) const;
  // Calls `load` with the path of model `id`'s file, written from the database first when this
  // node has not got it: read through `c` when given (a caller inside a write), otherwise a
  // read of its own. kNotFound when there is no such model.
  Result<void> with_file(std::int64_t id, store::Connection* c,
                         const std::function<Result<void>(const std::string& path)>& load);

 private:
  store::Database& db_;
  std::string folder_;  // <data>/triage
  std::mutex mutex_;    // held while a model's file is written and loaded
};

}  // namespace gongdan::services
