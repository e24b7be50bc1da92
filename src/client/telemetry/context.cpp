#include "client/telemetry/context.hpp"

#include <bloop/exceptions.hpp>

#include "util/crypto.hpp"

#include <cstdint>
#include <cstring>
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

template <std::size_t N>
std::string hex(const std::array<std::uint8_t, N>& bytes) {
    std::string out;
    append_hex(out, bytes);
    return out;
}

template <std::size_t N>
std::array<std::uint8_t, N> from_hex(std::string_view text, const char* what) {
    const auto digit = [&](char c) -> std::uint8_t {
        if (c >= '0' && c <= '9') return static_cast<std::uint8_t>(c - '0');
        if (c >= 'a' && c <= 'f') return static_cast<std::uint8_t>(c - 'a' + 10);
        if (c >= 'A' && c <= 'F') return static_cast<std::uint8_t>(c - 'A' + 10);
        throw InvalidArgument(std::string("a span context's ") + what + " must be " +
                              std::to_string(2 * N) + " hex digits, got '" + std::string(text) +
                              "'");
    };
    if (text.size() != 2 * N) (void)digit('x');
    std::array<std::uint8_t, N> out{};
    for (std::size_t i = 0; i < N; ++i)
        out[i] = static_cast<std::uint8_t>(digit(text[2 * i]) << 4 | digit(text[2 * i + 1]));
    return out;
}

template <std::size_t N>
void fill_random(std::array<std::uint8_t, N>& bytes) {
    for (std::size_t i = 0; i < N; i += 8) {
        const std::uint64_t word = random_word();
        std::memcpy(bytes.data() + i, &word, 8);
    }
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
        fill_random(span.trace_id);
    }
    fill_random(span.span_id);
    return span;
}

}  // namespace detail

bool SpanContext::valid() const noexcept {
    return trace_id != std::array<std::uint8_t, 16>{};
}

std::string SpanContext::trace_id_hex() const {
    return detail::hex(trace_id);
}

std::string SpanContext::span_id_hex() const {
    return detail::hex(span_id);
}

SpanContext SpanContext::from_hex(std::string_view trace, std::string_view span) {
    SpanContext context{detail::from_hex<16>(trace, "trace id"),
                        detail::from_hex<8>(span, "span id")};
    if (!context.valid()) throw InvalidArgument("a span context's trace id must not be all zero");
    return context;
}

TraceParent::TraceParent(SpanContext parent)
    : previous_(std::move(detail::current_context().span)) {
    detail::current_context().span = std::move(parent);
}

TraceParent::~TraceParent() {
    detail::current_context().span = std::move(previous_);
}

}  // namespace bloop
