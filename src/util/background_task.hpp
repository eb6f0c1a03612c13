// A function run on a thread of its own whenever it is asked to (poke), never two runs at once:
// pokes that come while it runs make one more run after it, not one each. For work nobody should
// wait for, such as loading a model's index before the first request needs it.
//
// Threads: poke() and stopping() may be called from any thread; poke() never blocks on the work.
// The thread starts at the first poke; the destructor stops it, waiting for a run under way (a
// long run should look at stopping() between its steps).
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace gongdan {

class BackgroundTask {
 public:
  BackgroundTask(std::string name, std::function<void()> work)
      : name_(std::move(name)), work_(std::move(work)) {}
  ~BackgroundTask();
  BackgroundTask(const BackgroundTask&) = delete;
  BackgroundTask& operator=(const BackgroundTask&) = delete;

  void poke();
  bool stopping() const;

 private:
  void run();

  const std::string name_;
  const std::function<void()> work_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool poked_ = false;  // by mutex_
  bool stop_ = false;   // by mutex_
  std::thread thread_;  // by mutex_: started at the first poke
};

}  // namespace gongdan
