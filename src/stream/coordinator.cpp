// The stream coordinator: shard lineage, ordering, positions, tokens and iterator recovery.

#include <bloop/exceptions.hpp>
#include <bloop/stream/coordinator.hpp>

#include "json/text.hpp"
#include "stream/record.hpp"
#include "stream/token.hpp"
#include "wire/streams.hpp"
#include "wire/writing.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

namespace bloop {
namespace {

constexpr int kCallsToReachHead = 5;  // bloop's CALLS_TO_REACH_HEAD

// The heap's "greater": the earliest record comes out first.
bool later(const StreamRecord& a, const StreamRecord& b) {
    if (a.created_at != b.created_at) return a.created_at > b.created_at;
    return detail::sequence_less(b.sequence_number, a.sequence_number);
}

std::string api_type(const std::string& iterator_type) {
    if (iterator_type == "trim_horizon") return "TRIM_HORIZON";
    if (iterator_type == "latest") return "LATEST";
    if (iterator_type == "at_sequence") return "AT_SEQUENCE_NUMBER";
    if (iterator_type == "after_sequence") return "AFTER_SEQUENCE_NUMBER";
    throw InvalidShardIterator("unknown shard iterator type '" + iterator_type + "'");
}

}  // namespace

StreamCoordinator::StreamCoordinator(std::shared_ptr<StreamsApi> api, std::string stream_arn,
                                     LogListener log, Telemetry* telemetry)
    : api_(std::move(api)),
      arn_(std::move(stream_arn)),
      log_(std::move(log)),
      telemetry_(telemetry),
      table_(detail::wire::table_of_stream(arn_)) {}

StreamCoordinator::~StreamCoordinator() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (refresher_.joinable()) refresher_.join();
}

void StreamCoordinator::start_refresher(std::chrono::milliseconds interval,
                                        std::chrono::milliseconds max_age) {
    if (refresher_.joinable()) return;
    refresher_ = std::thread([this, interval, max_age] {
        std::unique_lock lock(mutex_);
        while (!wake_.wait_for(lock, interval, [this] { return stopping_; })) {
            lock.unlock();
            try {
                refresh(max_age);
            } catch (const std::exception& e) {
                log(LogLevel::warning,
                    std::string("refreshing the stream's iterators failed: ") + e.what());
            }
            lock.lock();
        }
    });
}

void StreamCoordinator::refresh(std::chrono::milliseconds max_age) {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    for (auto& [id, shard] : active_) {
        if (shard.exhausted || now - shard.acquired < max_age) continue;
        if (shard.iterator_type == "latest" && shard.last_fetched.empty()) {
            poll(shard);  // reading moves an unread LATEST position forward; records are kept
        } else {
            reacquire(shard);
        }
    }
}

void StreamCoordinator::log(LogLevel level, const std::string& message) const {
    if (log_) log_(level, message);
}

void StreamCoordinator::jump(ShardState& shard, const std::string& type,
                             const std::string& sequence_number) {
    try {
        shard.iterator = api_->get_shard_iterator(arn_, shard.id, api_type(type), sequence_number);
        shard.acquired = std::chrono::steady_clock::now();
        shard.iterator_type = type;
        shard.sequence_number = sequence_number;
    } catch (const TrimmedDataAccess&) {
        log(LogLevel::warning, "records after " + sequence_number + " of shard " + shard.id +
                                   " were trimmed; moving to the shard's trim horizon");
        shard.iterator = api_->get_shard_iterator(arn_, shard.id, "TRIM_HORIZON", "");
        shard.acquired = std::chrono::steady_clock::now();
        shard.iterator_type = "trim_horizon";
        shard.sequence_number.clear();
    }
    shard.exhausted = false;
    shard.empty_responses = 0;
    // After an after_sequence jump that record was read; after any other nothing was yet.
    shard.last_fetched = shard.iterator_type == "after_sequence" ? shard.sequence_number : "";
}

// A fresh iterator for an expired one, continuing after the last record already read.
void StreamCoordinator::reacquire(ShardState& shard) {
    if (!shard.last_fetched.empty()) {
        shard.iterator =
            api_->get_shard_iterator(arn_, shard.id, "AFTER_SEQUENCE_NUMBER", shard.last_fetched);
    } else if (shard.iterator_type == "latest") {
        throw ShardIteratorExpired("the LATEST iterator of shard " + shard.id +
                                   " expired before it read anything; its position is lost");
    } else {
        shard.iterator = api_->get_shard_iterator(arn_, shard.id, api_type(shard.iterator_type),
                                                  shard.sequence_number);
    }
    shard.acquired = std::chrono::steady_clock::now();
}

void StreamCoordinator::move_to_trim_horizon() {
    std::lock_guard lock(mutex_);
    trim_horizon_position();
}

void StreamCoordinator::move_to_latest() {
    std::lock_guard lock(mutex_);
    latest_position();
}

// Roots (a parent that is no longer described, e.g. trimmed, makes its child a root) from their
// trim horizon.
void StreamCoordinator::trim_horizon_position() {
    start_shards(false, "trim_horizon");
}

// Leaves (shards nobody descends from) from their latest record.
void StreamCoordinator::latest_position() {
    start_shards(true, "latest");
}

void StreamCoordinator::start_shards(bool leaves, const std::string& type) {
    const auto shards = api_->describe_stream(arn_);
    std::set<std::string> described;
    std::set<std::string> parents;
    for (const auto& s : shards) {
        described.insert(s.shard_id);
        parents.insert(s.parent_shard_id);
    }
    // Built aside and swapped in: a failure on the way leaves the reader where it was.
    std::map<std::string, ShardState> next;
    std::map<std::string, std::string> tree;
    for (const auto& s : shards) tree[s.shard_id] = s.parent_shard_id;
    for (const auto& s : shards) {
        const bool root = s.parent_shard_id.empty() || described.count(s.parent_shard_id) == 0;
        if (leaves ? parents.count(s.shard_id) != 0 : !root) continue;
        ShardState& state = next[s.shard_id];
        state.id = s.shard_id;
        state.parent = s.parent_shard_id;
        jump(state, type, "");
    }
    active_.swap(next);
    tree_.swap(tree);
    deferred_.clear();
    buffer_.clear();
}

void StreamCoordinator::move_to_token(const std::string& text) {
    std::lock_guard lock(mutex_);
    // Everything about the token is checked before the reader's position changes.
    const detail::StreamToken token = detail::parse_stream_token(text);
    if (token.stream_arn != arn_) {
        throw InvalidStream("the token is for stream '" + token.stream_arn + "', not '" + arn_ +
                            "'");
    }
    const auto shards = api_->describe_stream(arn_);
    std::map<std::string, std::vector<std::string>> children;
    std::set<std::string> described;
    for (const auto& s : shards) {
        described.insert(s.shard_id);
        children[s.parent_shard_id].push_back(s.shard_id);
    }
    std::map<std::string, std::string> parent_of;
    for (const auto& s : shards) parent_of[s.shard_id] = s.parent_shard_id;
    std::map<std::string, ShardState> next;
    std::vector<std::string> queue(token.active.rbegin(), token.active.rend());
    while (!queue.empty()) {
        const std::string id = queue.back();
        queue.pop_back();
        if (described.count(id) == 0) {
            // Gone from the stream: its children (if any are described) take its place.
            for (const auto& child : children[id]) queue.push_back(child);
            continue;
        }
        if (next.count(id) != 0) continue;
        ShardState& state = next[id];
        state.id = id;
        const auto saved = token.shards.find(id);
        if (saved != token.shards.end()) {
            state.parent = saved->second.parent;
            state.iterator_type = saved->second.iterator_type;
            state.sequence_number = saved->second.sequence_number;
        } else {
            state.iterator_type = "trim_horizon";
        }
    }
    if (next.empty() && !token.active.empty()) {
        throw InvalidStream("This token has no relation to the actual Stream.");
    }
    // bloop keeps a closed shard active while its records are buffered and reads its children
    // meanwhile: a shard with an unfinished ancestor waits for it, keeping its saved position.
    std::map<std::string, Deferred> deferred;
    for (auto it = next.begin(); it != next.end();) {
        bool waits = false;
        for (std::string up = parent_of[it->first]; !up.empty() && !waits; up = parent_of[up])
            waits = next.count(up) != 0;
        if (waits) {
            deferred[it->first] = {parent_of[it->first], it->second.iterator_type,
                                   it->second.sequence_number};
            it = next.erase(it);
        } else {
            ++it;
        }
    }
    for (auto& [id, state] : next) {
        const std::string type = state.iterator_type;
        const std::string sequence_number = state.sequence_number;
        jump(state, type, sequence_number);
    }
    // The tree the token knew, less what left the stream (shards newer than the token are found
    // when their parents end, as in bloop).
    std::map<std::string, std::string> tree;
    for (const auto& [id, saved] : token.shards)
        if (described.count(id) != 0) tree[id] = saved.parent;
    for (const auto& [id, state] : next) tree.emplace(id, parent_of[id]);
    for (const auto& [id, saved] : deferred) tree.emplace(id, saved.parent);
    active_.swap(next);
    deferred_.swap(deferred);
    tree_.swap(tree);
    buffer_.clear();
}

void StreamCoordinator::poll(ShardState& shard) {
    const int calls =
        shard.empty_responses < kCallsToReachHead ? kCallsToReachHead - shard.empty_responses : 1;
    for (int call = 0; call < calls && !shard.exhausted; ++call) {
        StreamsApi::Records page;
        try {
            page = api_->get_records(shard.iterator);
        } catch (const ExpiredIterator&) {
            log(LogLevel::info, "the iterator of shard " + shard.id + " expired; re-acquiring it");
            reacquire(shard);
            page = api_->get_records(shard.iterator);
        } catch (const TrimmedDataAccess&) {
            log(LogLevel::warning,
                "records of shard " + shard.id + " were trimmed; moving to its trim horizon");
            jump(shard, "trim_horizon", "");
            page = api_->get_records(shard.iterator);
        }
        if (telemetry_ != nullptr) {  // read (records, lag until caught up) or caught up
            using Stage = StreamBatchEvent::Stage;
            StreamBatchEvent event{page.records.empty() ? Stage::caught_up : Stage::delivering,
                                   table_,
                                   shard.id,
                                   page.records.size(),
                                   {}};
            if (!page.records.empty()) event.newest = page.records.back().created_at;
            telemetry_->stream_batch(event);
            if (!page.records.empty()) {
                event.stage = Stage::handled;
                telemetry_->stream_batch(event);
            }
        }
        for (StreamRecord& record : page.records) {
            record.shard_id = shard.id;
            if (shard.sequence_number.empty()) {
                // Mark where this shard's unread records begin, so a token never skips them.
                shard.sequence_number = record.sequence_number;
                shard.iterator_type = "at_sequence";
            }
            shard.last_fetched = record.sequence_number;
            buffer_.push_back(std::move(record));
            std::push_heap(buffer_.begin(), buffer_.end(), later);
            ++shard.buffered;
        }
        if (page.next_iterator) {
            shard.iterator = *page.next_iterator;
            shard.acquired = std::chrono::steady_clock::now();
        } else {
            shard.exhausted = true;
        }
        if (!page.records.empty()) break;
        ++shard.empty_responses;
    }
}

void StreamCoordinator::retire(std::string shard_id) {
    // A closed shard read to its end, with none of its records left to return: its children take
    // over from their trim horizons, so parents always come before children.
    active_.erase(shard_id);
    tree_.erase(shard_id);
    for (const auto& s : api_->describe_stream(arn_)) {
        if (s.parent_shard_id != shard_id || active_.count(s.shard_id) != 0) continue;
        tree_[s.shard_id] = shard_id;
        ShardState& child = active_[s.shard_id];
        child.id = s.shard_id;
        child.parent = shard_id;
        const auto saved = deferred_.find(s.shard_id);
        if (saved == deferred_.end()) {
            jump(child, "trim_horizon", "");
        } else {
            jump(child, saved->second.iterator_type, saved->second.sequence_number);
            deferred_.erase(saved);
        }
    }
}

void StreamCoordinator::advance(bool only_unread) {
    std::vector<std::string> ids;
    for (const auto& [id, shard] : active_) ids.push_back(id);
    for (const auto& id : ids) {
        ShardState& shard = active_.at(id);
        if (shard.exhausted || (only_unread && !shard.sequence_number.empty())) continue;
        poll(shard);
    }
    for (const auto& id : ids) {
        const auto it = active_.find(id);
        if (it != active_.end() && it->second.exhausted && it->second.buffered == 0) retire(id);
    }
}

void StreamCoordinator::move_to_time(std::chrono::sys_seconds t) {
    std::lock_guard lock(mutex_);
    if (t > std::chrono::system_clock::now()) return latest_position();
    trim_horizon_position();
    // Discard earlier records; the first at or after `t` stays buffered, so tokens stay exact.
    while (true) {
        if (buffer_.empty()) advance(false);
        if (buffer_.empty() || buffer_.front().created_at >= t) return;
        (void)next_record();
    }
}

std::optional<StreamRecord> StreamCoordinator::next() {
    std::lock_guard lock(mutex_);
    return next_record();
}

std::optional<StreamRecord> StreamCoordinator::next_record() {
    if (buffer_.empty()) advance(false);
    if (buffer_.empty()) return std::nullopt;
    std::pop_heap(buffer_.begin(), buffer_.end(), later);
    StreamRecord record = std::move(buffer_.back());
    buffer_.pop_back();
    if (const auto it = active_.find(record.shard_id); it != active_.end()) {
        ShardState& shard = it->second;
        shard.sequence_number = record.sequence_number;
        shard.iterator_type = "after_sequence";
        if (--shard.buffered == 0 && shard.exhausted) retire(shard.id);
    }
    return record;
}

void StreamCoordinator::heartbeat() {
    std::lock_guard lock(mutex_);
    advance(true);
}

std::string StreamCoordinator::token() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> active;
    for (const auto& [id, shard] : active_) {
        if (shard.sequence_number.empty()) {
            log(LogLevel::warning, "creating a token for shard " + id + " at " +
                                       shard.iterator_type + ", not at an exact record");
        }
        active.push_back(id);
    }
    // Listed as bloop lists them: active beside the ancestor they wait for.
    for (const auto& [id, saved] : deferred_) active.push_back(id);

    // Every shard of the known tree, breadth-first from its roots, as bloop writes it: a shard
    // being read with its position, one not yet read (a child, or a closed ancestor of the
    // shards a reader started at) with its id and parent only.
    std::map<std::string, std::vector<std::string>> children;
    std::vector<std::string> order;
    for (const auto& [id, parent] : tree_) {
        if (parent.empty() || tree_.count(parent) == 0) {
            order.push_back(id);
        } else {
            children[parent].push_back(id);
        }
    }
    for (std::size_t i = 0; i < order.size(); ++i) {
        for (const auto& child : children[order[i]]) order.push_back(child);
    }
    for (const auto& [id, shard] : active_)
        if (tree_.count(id) == 0) order.push_back(id);
    for (const auto& [id, saved] : deferred_)
        if (tree_.count(id) == 0) order.push_back(id);

    std::string token = "{";
    detail::wire::put_string(token, "stream_arn", arn_);
    detail::wire::put_array(token, "active", active, [](std::string& out, const std::string& id) {
        json::detail::write_string(out, id);
    });
    detail::wire::put_array(token, "shards", order, [&](std::string& out, const std::string& id) {
        out.push_back('{');
        detail::wire::put_string(out, "shard_id", id);
        std::string parent;
        if (const auto tree = tree_.find(id); tree != tree_.end()) parent = tree->second;
        const std::string* iterator_type = nullptr;
        const std::string* sequence_number = nullptr;
        if (const auto a = active_.find(id); a != active_.end()) {
            iterator_type = &a->second.iterator_type;
            sequence_number = &a->second.sequence_number;
            parent = a->second.parent;
        } else if (const auto saved = deferred_.find(id); saved != deferred_.end()) {
            iterator_type = &saved->second.iterator_type;
            sequence_number = &saved->second.sequence_number;
            parent = saved->second.parent;
        }
        if (iterator_type != nullptr) {
            detail::wire::put_string(out, "iterator_type", *iterator_type);
            detail::wire::put_optional_string(out, "sequence_number", *sequence_number);
        }
        detail::wire::put_optional_string(out, "parent", parent);
        out.push_back('}');
    });
    token.push_back('}');
    return token;
}

}  // namespace bloop
