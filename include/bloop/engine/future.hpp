#pragma once
/// \file
/// `bloop::Future<T>`: the outcome of an asynchronous engine call (`save_async`, `load_async`,
/// `Search::next_page_async`, ...).

#include <chrono>
#include <future>
#include <utility>

namespace bloop {

/// A `std::future` that, like those of `std::async` and unlike those of a thread pool's
/// `std::packaged_task`, waits for its operation when it is destroyed (or assigned over) before
/// the operation has finished. So an object given to an async call is never touched once its
/// future is gone: `{ auto f = engine.load_async(obj); }` returns only after the load is done.
template <class T>
class Future {
  public:
    /// No operation.
    Future() = default;
    /// Takes over `future`.
    explicit Future(std::future<T> future) noexcept : future_(std::move(future)) {}
    /// Waits for the operation, if it has not finished and its outcome was not taken.
    ~Future() { wait_if_pending(); }
    /// Moves the operation; the moved-from future holds none.
    Future(Future&&) noexcept = default;
    /// Waits for this future's own operation first.
    Future& operator=(Future&& other) noexcept {
        if (this != &other) {
            wait_if_pending();
            future_ = std::move(other.future_);
        }
        return *this;
    }
    Future(const Future&) = delete;
    Future& operator=(const Future&) = delete;

    /// Waits, then returns the result or rethrows the operation's exception (once).
    T get() { return future_.get(); }
    /// Whether it holds an operation whose outcome was not taken yet.
    [[nodiscard]] bool valid() const noexcept { return future_.valid(); }
    /// Waits until the operation has finished.
    void wait() const { future_.wait(); }
    /// Waits at most `timeout`.
    template <class Rep, class Period>
    [[nodiscard]] std::future_status wait_for(
        const std::chrono::duration<Rep, Period>& timeout) const {
        return future_.wait_for(timeout);
    }
    /// Waits at most until `deadline`.
    template <class Clock, class Duration>
    [[nodiscard]] std::future_status wait_until(
        const std::chrono::time_point<Clock, Duration>& deadline) const {
        return future_.wait_until(deadline);
    }

  private:
    void wait_if_pending() noexcept {
        if (future_.valid()) future_.wait();
    }
    std::future<T> future_;
};

}  // namespace bloop
