#pragma once
// A scripted DynamoDB Streams for unit tests: shard trees, closed shards, trimmed records and
// expiring iterators. Iterators are "<shard>@<index of the next record>#<generation>".

#include <bloop/exceptions.hpp>
#include <bloop/stream/coordinator.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>

namespace bloop::test {

/// Its calls (and add and close) are thread-safe; setting fields directly is not.
class FakeStreams : public StreamsApi {
  public:
    struct FakeShard {
        std::string parent;
        std::vector<StreamRecord> records;
        bool closed = false;
        std::size_t trimmed = 0;  // records before this index are gone
        bool described = true;
    };

    std::string arn = "arn:fake:stream/1";
    std::map<std::string, FakeShard> shards;  // described in id order
    std::size_t page_size = 2;
    int get_records_calls = 0;

    /// Every iterator handed out so far expires (as after 15 idle minutes).
    void expire_issued() { expired_before_ = generation_; }
    /// The generation the next iterator will have.
    std::size_t generation() const { return generation_; }
    /// Every iterator handed out before `generation` expires.
    void expire_before(std::size_t generation) { expired_before_ = generation; }
    /// How many iterators GetShardIterator has handed out (thread-safe).
    int iterators_issued() const { return shard_iterators_.load(); }
    int expired_thrown = 0;

    /// Appends a record to `shard`: seq is the sequence number, t the creation second.
    void add(const std::string& shard, const std::string& seq, std::int64_t t,
             const std::string& id, const char* event = "insert") {
        std::lock_guard lock(mutex_);
        StreamRecord r;
        r.event_id = "e-" + seq;
        r.event_type = event;
        r.event_version = "1.1";
        r.created_at = std::chrono::sys_seconds(std::chrono::seconds(t));
        r.keys = Item{{"id", AttributeValue::string(id)}};
        r.new_image = Item{{"id", AttributeValue::string(id)}};
        r.sequence_number = seq;
        shards[shard].records.push_back(std::move(r));
    }

    /// Changes `shard` (created if new) under the lock: thread-safe while readers run.
    void change(const std::string& shard, const std::function<void(FakeShard&)>& how) {
        std::lock_guard lock(mutex_);
        how(shards[shard]);
    }

    /// Closes `shard` (thread-safe): read to its end, it returns no next iterator.
    void close(const std::string& shard) {
        std::lock_guard lock(mutex_);
        shards[shard].closed = true;
    }

    std::vector<Shard> describe_stream(const std::string& stream_arn) override {
        std::lock_guard lock(mutex_);
        if (stream_arn != arn)
            throw InvalidStream("The stream arn '" + stream_arn + "' does not exist.");
        std::vector<Shard> out;
        for (const auto& [id, s] : shards) {
            if (s.described) out.push_back({id, s.parent});
        }
        return out;
    }

    std::string get_shard_iterator(const std::string&, const std::string& shard_id,
                                   const std::string& type, const std::string& seq) override {
        std::lock_guard lock(mutex_);
        ++shard_iterators_;
        FakeShard& s = shards.at(shard_id);
        std::size_t at = 0;
        if (type == "TRIM_HORIZON") {
            at = s.trimmed;
        } else if (type == "LATEST") {
            at = s.records.size();
        } else {
            at = index_of(s, seq) + (type == "AFTER_SEQUENCE_NUMBER" ? 1 : 0);
            if (index_of(s, seq) < s.trimmed)
                throw TrimmedDataAccess(ServiceErrorInfo{400, "TrimmedDataAccessException",
                                                         "trimmed", "", "GetShardIterator", false});
        }
        return iterator(shard_id, at);
    }

    Records get_records(const std::string& iterator) override {
        std::lock_guard lock(mutex_);
        ++get_records_calls;
        const auto at_sign = iterator.find('@');
        const auto hash = iterator.find('#');
        const std::string id = iterator.substr(0, at_sign);
        std::size_t at = std::stoul(iterator.substr(at_sign + 1, hash - at_sign - 1));
        if (std::stoul(iterator.substr(hash + 1)) < expired_before_) {
            ++expired_thrown;
            throw ExpiredIterator(ServiceErrorInfo{400, "ExpiredIteratorException", "expired", "",
                                                   "GetRecords", false});
        }
        FakeShard& s = shards.at(id);
        if (at < s.trimmed)
            throw TrimmedDataAccess(ServiceErrorInfo{400, "TrimmedDataAccessException", "trimmed",
                                                     "", "GetRecords", false});
        Records out;
        for (; at < s.records.size() && out.records.size() < page_size; ++at)
            out.records.push_back(s.records[at]);
        if (!(s.closed && at >= s.records.size())) out.next_iterator = this->iterator(id, at);
        return out;
    }

  private:
    std::string iterator(const std::string& shard, std::size_t at) {
        return shard + "@" + std::to_string(at) + "#" + std::to_string(generation_++);
    }
    std::size_t generation_ = 0;
    std::size_t expired_before_ = 0;
    std::atomic<int> shard_iterators_{0};
    std::mutex mutex_;  // the processor's readers call from several threads

    static std::size_t index_of(const FakeShard& s, const std::string& seq) {
        for (std::size_t i = 0; i < s.records.size(); ++i) {
            if (s.records[i].sequence_number == seq) return i;
        }
        throw ValidationError(ServiceErrorInfo{400, "ValidationException",
                                               "no such sequence number " + seq, "",
                                               "GetShardIterator", false});
    }
};

}  // namespace bloop::test
