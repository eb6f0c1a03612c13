// Items the writes of one group-commit batch leave for its end, handed together, in write order,
// to one function just before the batch commits: a batch of new tickets queues one job for their
// SLA timers instead of one job row each. A failed write's items go with it. Outside a batch
// (exclusive writes) the function runs at once with the one item.
#pragma once

#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "store/database.hpp"

namespace gongdan::store {

template <class T>
class BatchItems {
 public:
  using Flush = std::function<Result<void>(Connection&, std::vector<T>)>;
  explicit BatchItems(Flush flush) : flush_(std::move(flush)) {}
  BatchItems(const BatchItems&) = delete;
  BatchItems& operator=(const BatchItems&) = delete;

  Result<void> add(Connection& c, T item) {
    if (!c.deferring()) return flush_(c, std::vector<T>{std::move(item)});
    auto& here = state();
    auto write = here.owner == this ? here.write.lock() : nullptr;
    if (!write) {
      auto batch = here.owner == this ? here.batch.lock() : nullptr;
      if (!batch || batch->flushed) {
        batch = std::make_shared<Batch>();
        here.batch = batch;
      }
      here.owner = this;
      write = std::make_shared<std::vector<T>>();
      here.write = write;
      batch->writes.push_back(write);
      // The write's before-commit work owns its items: a failed write drops them with it. The
      // first of the batch's to run hands over every write's.
      GONGDAN_TRY(c.before_commit([this, batch, write](Connection& conn) -> Result<void> {
        if (batch->flushed) return {};
        batch->flushed = true;
        std::vector<T> items;
        for (const auto& w : batch->writes)
          if (auto kept = w.lock())
            for (auto& each : *kept) items.push_back(std::move(each));
        return flush_(conn, std::move(items));
      }));
      // The next write of the batch starts a list of its own.
      GONGDAN_TRY(c.at_write_end([this](Connection&) -> Result<void> {
        if (state().owner == this) state().write.reset();
        return {};
      }));
    }
    write->push_back(std::move(item));
    return {};
  }

 private:
  struct Batch {
    std::vector<std::weak_ptr<std::vector<T>>> writes;
    bool flushed = false;
  };
  // The writer thread's batch and write in progress.
  struct ThreadState {
    const BatchItems* owner = nullptr;
    std::weak_ptr<Batch> batch;
    std::weak_ptr<std::vector<T>> write;
  };
  static ThreadState& state() {
    thread_local ThreadState s;
    return s;
  }

  Flush flush_;
};

}  // namespace gongdan::store
