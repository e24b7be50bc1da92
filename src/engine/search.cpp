#include <bloop/engine/detail/search_cursor.hpp>
#include <bloop/exceptions.hpp>

#include "client/text_calls.hpp"
#include "engine/search_token.hpp"
#include "engine/mapper_call.hpp"
#include "wire/items.hpp"

#include <algorithm>
#include <thread>
#include <type_traits>
#include <utility>

namespace bloop {
namespace {

// The attributes that position a search after an item: the table's keys and the index's keys.
Item position_key(const SearchTarget& t, const Item& item) {
    Item key;
    const KeyColumns keys = t.model->key_columns();
    std::vector<std::size_t> columns(keys.begin(), keys.end());
    if (t.index != nullptr) {
        for (const auto k : t.index->hash_keys()) columns.push_back(k);
        for (const auto k : t.index->range_keys()) columns.push_back(k);
    }
    for (const auto c : columns) {
        const auto found = item.find(t.model->columns[c].dynamo_name);
        if (found != item.end()) key.insert_or_assign(found->first, found->second);
    }
    return key;
}

std::string target_name(const SearchTarget& t) {
    return t.index != nullptr ? t.model->table_name + "/" + t.index->dynamo_name
                              : t.model->table_name;
}

}  // namespace

namespace detail {

SearchCursor::SearchCursor(Client client, SearchRequest request, SearchTarget target,
                           ResolvedProjection projection, Paging paging)
    : client_(std::move(client)),
      request_(std::move(request)),
      target_(target),
      projection_(std::move(projection)),
      limit_(paging.limit),
      read_rate_(paging.read_rate) {}

bool SearchCursor::exhausted() const noexcept {
    const bool limited = limit_ && returned_ >= *limit_;
    return limited || (done_ && position_ >= buffer_.size());
}

void SearchCursor::fetch() {
    // The cursor's own request; each page starts where the previous one ended.
    const Item* start = start_ ? &*start_ : nullptr;
    const auto [op_of_request, body_of_request] = std::visit(
        [&](const auto& r) {
            const Operation o = std::is_same_v<std::decay_t<decltype(*r)>, wire::Query>
                                    ? Operation::Query
                                    : Operation::Scan;
            return std::pair(o, wire::encode(*r, start));
        },
        request_);
    const Operation op = op_of_request;  // (clang 14 does not let lambdas capture bindings)
    const std::string& body = body_of_request;
    if (read_rate_) std::this_thread::sleep_until(next_fetch_);
    wire::ItemsPage page = observed(
        client_, op == Operation::Query ? "query" : "scan", [&] { return target_.model->name; }, 0,
        [&](MapperCall* call) {
            wire::ItemsPage p = wire::ItemsPage::decode(TextCalls::call(client_, op, body, true),
                                                        operation_name(op));
            if (call != nullptr) call->objects(p.items.size());
            return p;
        });
    const std::int64_t page_scanned = page.scanned_count.value_or(page.count);
    count_ += page.count;
    scanned_ += page_scanned;
    if (read_rate_) pace(page.consumed_capacity, page_scanned);
    buffer_ = std::move(page.items);
    position_ = 0;
    start_ = std::move(page.last_evaluated_key);
    if (!start_) done_ = true;
}

// The next page waits until the capacity this one consumed is paid for at the read rate (from
// ConsumedCapacity; a server that does not report it is charged DynamoDB's minimum, half a unit
// per item evaluated, one for a consistent read).
void SearchCursor::pace(std::optional<double> consumed, std::int64_t scanned) {
    double units = 0;
    if (consumed) {
        units = *consumed;
    } else {
        const bool strong =
            std::visit([](const auto& r) { return r->consistent_read.value_or(false); }, request_);
        units = static_cast<double>(std::max<std::int64_t>(scanned, 1)) * (strong ? 1.0 : 0.5);
    }
    const auto now = std::chrono::steady_clock::now();
    next_fetch_ = std::max(next_fetch_, now) +
                  std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                      std::chrono::duration<double>(units / *read_rate_));
}

std::optional<Item> SearchCursor::next() {
    if (limit_ && returned_ >= *limit_) return std::nullopt;
    while (position_ >= buffer_.size()) {
        if (done_) return std::nullopt;
        fetch();  // empty pages with a LastEvaluatedKey keep paging
    }
    Item item = std::move(buffer_[position_++]);
    ++returned_;
    last_returned_ = position_key(target_, item);
    return item;
}

std::vector<Item> SearchCursor::next_page() {
    std::vector<Item> page;
    if (limit_ && returned_ >= *limit_) return page;
    while (position_ >= buffer_.size()) {
        if (done_) return page;
        fetch();
    }
    std::size_t n = buffer_.size() - position_;
    if (limit_) n = std::min(n, *limit_ - returned_);
    page.reserve(n);
    for (std::size_t i = 0; i < n; ++i) page.push_back(std::move(buffer_[position_++]));
    returned_ += n;
    last_returned_ = position_key(target_, page.back());
    return page;
}

void SearchCursor::reset() {
    start_.reset();
    buffer_.clear();
    position_ = 0;
    last_returned_.reset();
    done_ = false;
    returned_ = 0;
    count_ = 0;
    scanned_ = 0;
}

void SearchCursor::drain() {
    while (!done_) fetch();
    position_ = buffer_.size();
}

std::string SearchCursor::token() const {
    return detail::make_search_token(target_name(target_),
                                     last_returned_ ? &*last_returned_ : nullptr);
}

void SearchCursor::resume(const std::string& text) {
    std::optional<Item> after = detail::parse_search_token(text, target_name(target_));
    reset();  // only once the token is known to be good
    if (after) start_ = std::move(*after);
}

}  // namespace detail
}  // namespace bloop
