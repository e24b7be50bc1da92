#pragma once
// A fixed pool of worker threads running queued tasks in order of submission.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace bloop::detail {

class Executor {
  public:
    explicit Executor(std::size_t threads);
    Executor(const Executor&) = delete;
    Executor& operator=(const Executor&) = delete;
    /// Finishes every queued task, then joins the workers.
    ~Executor();
    void submit(std::function<void()> task);

  private:
    void run();

    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<std::function<void()>> tasks_;
    bool stopping_ = false;
    std::vector<std::thread> workers_;
};

}  // namespace bloop::detail
