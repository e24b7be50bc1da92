#pragma once
/// \file
/// `bloop::Signal<Args...>`: a small thread-safe signal. Receivers are called in connection order
/// on the thread that emits; connecting or disconnecting during an emit is safe.

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace bloop {

/// Disconnects a receiver. Default-constructed: connected to nothing.
class Connection {
  public:
    Connection() = default;
    /// A connection that runs `disconnect` once, on the first `disconnect()`.
    explicit Connection(std::function<void()> disconnect) : disconnect_(std::move(disconnect)) {}
    /// Stops the receiver from being called. When it returns, no call of the receiver is running
    /// on another thread and none will start (a receiver may disconnect itself). Idempotent.
    void disconnect() {
        if (disconnect_) std::exchange(disconnect_, nullptr)();
    }
    /// Whether `disconnect()` has not been called yet.
    [[nodiscard]] bool connected() const noexcept { return static_cast<bool>(disconnect_); }

  private:
    std::function<void()> disconnect_;
};

/// A Connection that disconnects when it goes out of scope (or is assigned another): ties a
/// receiver's lifetime to the object that holds it. Move-only.
class ScopedConnection {
  public:
    ScopedConnection() = default;
    /// Takes over `connection`.
    ScopedConnection(Connection connection) noexcept  // NOLINT: implicit, from connect()
        : connection_(std::move(connection)) {}
    /// Takes over `other`'s connection; `other` then holds nothing.
    ScopedConnection(ScopedConnection&& other) noexcept : connection_(other.release()) {}
    /// Disconnects what this held, then takes over `other`'s connection.
    ScopedConnection& operator=(ScopedConnection&& other) noexcept {
        if (this != &other) {
            connection_.disconnect();
            connection_ = other.release();
        }
        return *this;
    }
    ScopedConnection(const ScopedConnection&) = delete;
    ScopedConnection& operator=(const ScopedConnection&) = delete;
    ~ScopedConnection() { connection_.disconnect(); }

    /// Disconnects now (see Connection::disconnect).
    void disconnect() { connection_.disconnect(); }
    /// Whether a receiver is still connected through this.
    [[nodiscard]] bool connected() const noexcept { return connection_.connected(); }
    /// Gives the connection back without disconnecting it; this then holds nothing.
    [[nodiscard]] Connection release() noexcept { return std::exchange(connection_, Connection{}); }

  private:
    Connection connection_;
};

/// A signal carrying `Args...`.
template <class... Args>
class Signal {
  public:
    /// What a receiver looks like.
    using Receiver = std::function<void(Args...)>;

    Signal() = default;
    Signal(const Signal&) = delete;
    Signal& operator=(const Signal&) = delete;

    /// Calls `receiver` on every emit until the returned connection is disconnected.
    Connection connect(Receiver receiver) {
        auto slot = std::make_shared<Slot>(std::move(receiver));
        {
            std::lock_guard lock(state_->mutex);
            state_->slots.push_back(slot);
        }
        return Connection([weak = std::weak_ptr<State>(state_), slot] {
            if (auto state = weak.lock()) {
                std::lock_guard lock(state->mutex);
                std::erase(state->slots, slot);
            }
            slot->close();
        });
    }

    /// Calls every connected receiver with `args`. Every receiver runs even when one throws; the
    /// first exception thrown is rethrown after the last receiver returned.
    void emit(Args... args) const {
        std::vector<std::shared_ptr<Slot>> slots;
        {
            std::lock_guard lock(state_->mutex);
            if (state_->slots.empty()) return;
            slots = state_->slots;
        }
        std::exception_ptr first;
        for (const auto& slot : slots) {
            try {
                slot->call(args...);
            } catch (...) {
                if (!first) first = std::current_exception();
            }
        }
        if (first) std::rethrow_exception(first);
    }

  private:
    class Slot {
      public:
        explicit Slot(Receiver r) : receiver_(std::move(r)) {}

        void call(Args&... args) {
            {
                std::lock_guard lock(mutex_);
                if (closed_) return;
                running_.push_back(std::this_thread::get_id());
            }
            struct Done {
                Slot& slot;
                ~Done() { slot.finish(); }
            } done{*this};
            receiver_(args...);
        }

        // Marks the slot closed and waits for calls on other threads to end.
        void close() {
            std::unique_lock lock(mutex_);
            closed_ = true;
            const auto self = std::this_thread::get_id();
            idle_.wait(lock, [&] {
                for (const auto& id : running_)
                    if (id != self) return false;
                return true;
            });
        }

      private:
        void finish() {
            {
                std::lock_guard lock(mutex_);
                const auto it =
                    std::find(running_.begin(), running_.end(), std::this_thread::get_id());
                if (it != running_.end()) running_.erase(it);
            }
            idle_.notify_all();
        }

        Receiver receiver_;
        std::mutex mutex_;
        std::condition_variable idle_;
        std::vector<std::thread::id> running_;  // one entry per call in progress
        bool closed_ = false;
    };
    struct State {
        std::mutex mutex;
        std::vector<std::shared_ptr<Slot>> slots;
    };
    std::shared_ptr<State> state_ = std::make_shared<State>();
};

}  // namespace bloop
