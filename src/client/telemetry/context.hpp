#pragma once
// What the thread is doing, for telemetry: the span requests started here are children of (a
// mapper call's, or the user's through TraceParent), and the mapper call they are made for. Async
// calls carry it to the thread that runs them (`Carried`).

#include <bloop/telemetry/telemetry.hpp>

#include <string>
#include <string_view>

namespace bloop::detail {

/// The thread's current telemetry context.
struct CallContext {
    SpanContext span;         ///< the parent of the spans started now
    std::string_view mapper;  ///< the mapper call under way ("save"); empty: none
    std::string model;        ///< its models joined with '+'
};

/// This thread's context (empty unless a mapper call or a TraceParent set it).
CallContext& current_context();

/// A new span id under `parent` (a new trace when it names none).
SpanContext child_span(const SpanContext& parent);

/// Installs a context on this thread for its lifetime and restores the one before: how an async
/// call or a parallel scan's segment runs in the context it was started from.
class Carried {
  public:
    explicit Carried(CallContext context) : previous_(std::move(current_context())) {
        current_context() = std::move(context);
    }
    ~Carried() { current_context() = std::move(previous_); }
    Carried(const Carried&) = delete;
    Carried& operator=(const Carried&) = delete;

  private:
    CallContext previous_;
};

}  // namespace bloop::detail
