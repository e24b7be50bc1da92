#pragma once
// A fixed pool of worker threads running queued tasks in order of submission, optionally no more
// at once than a capacity that may change (a client's adaptive request limit).

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace bloop::detail {

class Executor {
  public:
    /// `threads` workers; with `capacity`, a task starts only while fewer than `capacity()` run.
    /// A worker that finishes a task starts the next one itself, so a queue longer than the
    /// capacity does not hand each task from one thread to another.
    explicit Executor(std::size_t threads, std::function<std::size_t()> capacity = {});
    Executor(const Executor&) = delete;
    Executor& operator=(const Executor&) = delete;
    /// Finishes every queued task, then joins the workers.
    ~Executor();
    void submit(std::function<void()> task);

  private:
    void run();
    // Whether another task may start now (the mutex held).
    bool room() const;

    std::function<std::size_t()> capacity_;
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<std::function<void()>> tasks_;
    std::size_t running_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> workers_;
};

}  // namespace bloop::detail
