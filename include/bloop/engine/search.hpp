#pragma once
/// \file
/// `bloop::Search<T>`: the results of `Engine::query` and `Engine::scan` (bloop's QueryIterator /
/// ScanIterator): lazy, reusable, paging only as results are consumed.
///
/// ```cpp
/// auto q = engine.query(bloop::Model<Account>::by_email, bloop::attr<&Account::email> == "a@b.c");
/// Account first = q.first();
/// auto admins = engine.scan<Account>({.filter = bloop::attr<&Account::name>.begins_with("A")});
/// for (const Account& a : admins) use(a);
/// ```

#include <bloop/engine/detail/core.hpp>
#include <bloop/engine/detail/result_iterator.hpp>
#include <bloop/engine/future.hpp>

#include <cstddef>
#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bloop {

/// The results of a query or scan, as objects of T. Lazy: pages are fetched as results are
/// consumed. Reusable: `reset()` starts over. Each result comes back holding exactly the projected
/// columns (non-projected ones keep their default values), synced as loaded, and object_loaded
/// fires for it.
template <class T>
class Search {
  public:
    /// The next result, or nullopt.
    std::optional<T> next() {
        std::optional<Item> item = cursor_.next();
        if (!item) return std::nullopt;
        T object{};
        detail::deliver(*core_, *cursor_.target().model, &object, std::move(*item), columns_);
        return object;
    }
    /// The results of one page: the rest of the page `next()` was reading, else the next page
    /// fetched (one request; pages DynamoDB returns empty are passed over), up to the limit. Empty
    /// when exhausted. Mixes freely with `next()`: each result is returned once.
    std::vector<T> next_page() {
        std::vector<Item> items = cursor_.next_page();
        std::vector<T> page(items.size());
        for (std::size_t i = 0; i < items.size(); ++i) {
            detail::deliver(*core_, *cursor_.target().model, &page[i], std::move(items[i]),
                            columns_);
        }
        return page;
    }
    /// `next_page()` on the engine's own threads: the page's request overlaps the caller's work.
    /// Exceptions come from `get()`. Until the future is ready, the search must stay alive and
    /// untouched (one page at a time per search; run several searches for more in flight); a
    /// future destroyed before then waits for the page.
    [[nodiscard]] Future<std::vector<T>> next_page_async() {
        auto promise = std::make_shared<std::promise<std::vector<T>>>();
        Future<std::vector<T>> page(promise->get_future());
        // The page's future waits for the promise, which the task keeps to its end.
        (void)detail::run_async(*core_, [this, promise] {
            try {
                promise->set_value(next_page());
            } catch (...) {
                promise->set_exception(std::current_exception());
            }
        });
        return page;
    }
    /// The first result, from the start. Throws ConstraintViolation when there is none.
    T first() {
        cursor_.reset();
        std::optional<T> result = next();
        if (!result)
            throw ConstraintViolation(std::string(cursor_.operation()) +
                                      " did not find any results.");
        return std::move(*result);
    }
    /// The only result, from the start. Throws ConstraintViolation when there is none or more.
    T one() {
        T result = first();
        if (next())
            throw ConstraintViolation(std::string(cursor_.operation()) +
                                      " found more than one result.");
        return result;
    }
    /// Starts over: clears buffered results, counts and the position.
    void reset() { cursor_.reset(); }
    /// DynamoDB's Count so far (with count_only(): the total).
    [[nodiscard]] std::int64_t count() {
        if (cursor_.projection().count) cursor_.drain();
        return cursor_.count();
    }
    /// DynamoDB's ScannedCount so far (with count_only(): the total).
    [[nodiscard]] std::int64_t scanned() {
        if (cursor_.projection().count) cursor_.drain();
        return cursor_.scanned();
    }
    [[nodiscard]] bool exhausted() const noexcept { return cursor_.exhausted(); }
    /// A token that continues after the last result returned, in this or another process.
    [[nodiscard]] std::string token() const { return cursor_.token(); }
    /// Continues after the result `token` names.
    void resume(const std::string& token) { cursor_.resume(token); }

    /// Input iteration over the remaining results.
    using iterator = detail::ResultIterator<Search, T>;
    /// Iterates over the remaining results.
    iterator begin() { return iterator(this); }
    /// The end of the results.
    iterator end() { return iterator(); }

  private:
    friend class Engine;
    Search(detail::EngineCore& core, detail::SearchCursor cursor)
        : core_(&core), cursor_(std::move(cursor)), columns_(cursor_.projection().columns) {}

    detail::EngineCore* core_;
    detail::SearchCursor cursor_;
    std::vector<std::size_t> columns_;
};

}  // namespace bloop
