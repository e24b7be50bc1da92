#pragma once
// The untyped paging machine beneath bloop::Search<T> (internal).

#include <bloop/client/client.hpp>
#include <bloop/conditions/search_rules.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>

namespace bloop::detail {
namespace wire {
struct Query;  // src/wire/items.hpp
struct Scan;
}  // namespace wire

/// A search's request, complete but for where each page starts; shared by copies of a cursor.
using SearchRequest =
    std::variant<std::shared_ptr<const wire::Query>, std::shared_ptr<const wire::Scan>>;

/// How a search pages.
struct Paging {
    std::optional<std::size_t> limit;      ///< results in all
    std::optional<std::size_t> page_size;  ///< DynamoDB's Limit: items evaluated per request
    std::optional<double> read_rate;       ///< read capacity units per second, at most
};

/// The untyped paging machine beneath Search<T>.
class SearchCursor {
  public:
    /// `request` holds the paging's page size and what its read rate needs already; `projection`
    /// is what each item holds.
    SearchCursor(Client client, SearchRequest request, SearchTarget target,
                 ResolvedProjection projection, Paging paging);

    /// The next item, fetching pages as needed; nullopt when exhausted (or the limit is reached).
    std::optional<Item> next();
    /// Items returned by DynamoDB so far (its Count), and items it evaluated (ScannedCount).
    [[nodiscard]] std::int64_t count() const noexcept { return count_; }
    [[nodiscard]] std::int64_t scanned() const noexcept { return scanned_; }
    /// The rest of the buffered page, else the next page fetched (pages DynamoDB returns empty
    /// are passed over), up to the limit; empty when exhausted.
    std::vector<Item> next_page();
    /// No page left to fetch and nothing buffered.
    [[nodiscard]] bool exhausted() const noexcept;
    /// Back to the start: clears the buffer, the counts and the position.
    void reset();
    /// A token that resumes after the last item `next()` returned (JSON text). It holds the
    /// position only: the resuming search's own options (filter, limit, ...) apply.
    [[nodiscard]] std::string token() const;
    /// Continues after the item `token` names. Throws InvalidArgument for a token of another
    /// table or index, or one that does not parse.
    void resume(const std::string& token);
    /// Reads every remaining page (to total count/scanned for a count projection).
    void drain();

    [[nodiscard]] const SearchTarget& target() const noexcept { return target_; }
    [[nodiscard]] const ResolvedProjection& projection() const noexcept { return projection_; }
    /// "Query" or "Scan".
    [[nodiscard]] std::string_view operation() const noexcept {
        return operation_name(request_.index() == 0 ? Operation::Query : Operation::Scan);
    }

  private:
    void fetch();
    void pace(std::optional<double> consumed, std::int64_t scanned);

    Client client_;
    SearchRequest request_;
    SearchTarget target_;
    ResolvedProjection projection_;
    std::optional<std::size_t> limit_;
    std::optional<double> read_rate_;
    std::chrono::steady_clock::time_point next_fetch_{};  // paced by read_rate_
    std::optional<Item> start_;                           // ExclusiveStartKey of the next page
    std::vector<Item> buffer_;
    std::size_t position_ = 0;           // in buffer_
    std::optional<Item> last_returned_;  // its key resumes the search
    bool done_ = false;                  // no further page
    std::size_t returned_ = 0;
    std::int64_t count_ = 0;
    std::int64_t scanned_ = 0;
};

}  // namespace bloop::detail
