#include "telemetry/context.hpp"

#include <cstdint>
#include <random>

namespace bloop {
namespace detail {
namespace {

// Random ids from a generator of this thread's own, seeded once (W3C trace context: random,
// never all zero).
std::uint64_t random_word() {
    thread_local std::mt19937_64 generator{
        (static_cast<std::uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}()};
    std::uint64_t word = 0;
    while (word == 0) word = generator();
    return word;
}

void append_hex(std::string& out, std::uint64_t word) {
    static constexpr char digits[] = "0123456789abcdef";
    for (int shift = 60; shift >= 0; shift -= 4) out += digits[(word >> shift) & 0xf];
}

}  // namespace

CallContext& current_context() {
    thread_local CallContext context;
    return context;
}

SpanContext child_span(const SpanContext& parent) {
    SpanContext span;
    if (parent.valid()) {
        span.trace_id = parent.trace_id;
    } else {
        span.trace_id.reserve(32);
        append_hex(span.trace_id, random_word());
        append_hex(span.trace_id, random_word());
    }
    span.span_id.reserve(16);
    append_hex(span.span_id, random_word());
    return span;
}

}  // namespace detail

TraceParent::TraceParent(SpanContext parent)
    : previous_(std::move(detail::current_context().span)) {
    detail::current_context().span = std::move(parent);
}

TraceParent::~TraceParent() {
    detail::current_context().span = std::move(previous_);
}

}  // namespace bloop
