#pragma once
// Input iteration over a source of results (internal): what Search<T>, Collection<Ts...> and
// their like hand to range-for.

#include <cstddef>
#include <optional>

namespace bloop::detail {

/// Iterates over what `source->next()` returns (a std::optional<Value>) until it is empty.
template <class Source, class Value>
class ResultIterator {
  public:
    /// Iterator traits: the results.
    using value_type = Value;
    /// Iterator traits.
    using difference_type = std::ptrdiff_t;
    /// The end.
    ResultIterator() = default;
    /// Starts at the source's next result.
    explicit ResultIterator(Source* source) : source_(source) { ++*this; }
    /// The current result.
    const Value& operator*() const { return *current_; }
    /// The current result's members.
    const Value* operator->() const { return &*current_; }
    /// Moves to the next result (the source fetches a page when needed).
    ResultIterator& operator++() {
        current_ = source_->next();
        if (!current_) source_ = nullptr;
        return *this;
    }
    /// Moves to the next result.
    void operator++(int) { ++*this; }
    /// Equal when both are at the end (or on one source).
    friend bool operator==(const ResultIterator& a, const ResultIterator& b) {
        return a.source_ == b.source_;
    }

  private:
    Source* source_ = nullptr;
    std::optional<Value> current_;
};

}  // namespace bloop::detail
