#include "util/background_task.hpp"

#include "util/thread_name.hpp"

namespace gongdan {

BackgroundTask::~BackgroundTask() {
  std::thread thread;
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
    thread = std::move(thread_);
  }
  wake_.notify_all();
  if (thread.joinable()) thread.join();
}

void BackgroundTask::poke() {
  {
    std::lock_guard lock(mutex_);
    if (stop_) return;
    poked_ = true;
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
  }
  wake_.notify_all();
}

bool BackgroundTask::stopping() const {
  std::lock_guard lock(mutex_);
  return stop_;
}

void BackgroundTask::run() {
  name_this_thread(name_.c_str());
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return poked_ || stop_; });
    if (stop_) return;
    poked_ = false;
    lock.unlock();
    work_();
    lock.lock();
  }
}

}  // namespace gongdan
