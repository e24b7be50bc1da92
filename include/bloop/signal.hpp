#pragma once
/// \file
/// `bloop::Signal<Args...>`: a small thread-safe signal. Receivers are called in connection order
/// on the thread that emits; connecting or disconnecting during an emit is safe.

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace bloop {

/// Disconnects a receiver. Default-constructed: connected to nothing.
class Connection {
  public:
    Connection() = default;
    explicit Connection(std::function<void()> disconnect) : disconnect_(std::move(disconnect)) {}
    /// Stops the receiver from being called. Idempotent.
    void disconnect() {
        if (disconnect_) std::exchange(disconnect_, nullptr)();
    }
    [[nodiscard]] bool connected() const noexcept { return static_cast<bool>(disconnect_); }

  private:
    std::function<void()> disconnect_;
};

/// A signal carrying `Args...`.
template <class... Args>
class Signal {
  public:
    using Receiver = std::function<void(Args...)>;

    Signal() = default;
    Signal(const Signal&) = delete;
    Signal& operator=(const Signal&) = delete;

    /// Calls `receiver` on every emit until the returned connection is disconnected.
    Connection connect(Receiver receiver) {
        auto slot = std::make_shared<Slot>(Slot{std::move(receiver)});
        {
            std::lock_guard lock(state_->mutex);
            state_->slots.push_back(slot);
        }
        return Connection([weak = std::weak_ptr<State>(state_), slot] {
            if (auto state = weak.lock()) {
                std::lock_guard lock(state->mutex);
                std::erase(state->slots, slot);
            }
        });
    }

    /// Calls every connected receiver with `args`.
    void emit(Args... args) const {
        std::vector<std::shared_ptr<Slot>> slots;
        {
            std::lock_guard lock(state_->mutex);
            if (state_->slots.empty()) return;
            slots = state_->slots;
        }
        for (const auto& slot : slots) slot->receiver(args...);
    }

  private:
    struct Slot {
        Receiver receiver;
    };
    struct State {
        std::mutex mutex;
        std::vector<std::shared_ptr<Slot>> slots;
    };
    std::shared_ptr<State> state_ = std::make_shared<State>();
};

}  // namespace bloop
