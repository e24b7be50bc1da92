#pragma once
/// \file
/// The untyped machinery of bloop's Stream: one ordered, resumable, loss-free reader over every
/// shard of a DynamoDB stream. `StreamsApi` is the three calls it needs (the real one wraps a
/// Client; tests script their own shard trees).

#include <bloop/client/client.hpp>
#include <bloop/client/log.hpp>
#include <bloop/telemetry/telemetry.hpp>
#include <bloop/types/attribute_value.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace bloop {

/// One stream record, untyped.
struct StreamRecord {
    /// eventID, eventName (lower-cased) and eventVersion.
    std::string event_id;
    std::string event_type;  ///< eventName lower-cased: "insert", "modify", "remove" (or anything
                             ///< else sent)
    std::string event_version;
    /// SequenceNumber and ApproximateCreationDateTime.
    std::string sequence_number;
    std::chrono::sys_seconds created_at;  ///< ApproximateCreationDateTime
    /// Keys, OldImage and NewImage, when the record carries them.
    std::optional<Item> keys, old_image, new_image;
    /// The item was deleted by TTL, not by a writer (then event_type is "remove").
    bool ttl_expired = false;
    /// The shard the record came from.
    std::string shard_id;
};

/// The DynamoDB Streams calls a stream reader makes.
class StreamsApi {
  public:
    /// A shard as DescribeStream lists it.
    struct Shard {
        /// The shard's id.
        std::string shard_id;
        std::string parent_shard_id;  ///< empty for none
    };
    /// One GetRecords page.
    struct Records {
        /// What each record says (shard_id left empty: the reader knows the shard).
        std::vector<StreamRecord> records;
        /// None: the shard is closed and read to its end.
        std::optional<std::string> next_iterator;
    };
    virtual ~StreamsApi() = default;
    /// Every shard of the stream (following LastEvaluatedShardId). ResourceNotFound for an
    /// unknown stream.
    virtual std::vector<Shard> describe_stream(const std::string& stream_arn) = 0;
    /// `type` is TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER.
    virtual std::string get_shard_iterator(const std::string& stream_arn,
                                           const std::string& shard_id, const std::string& type,
                                           const std::string& sequence_number) = 0;
    /// Throws ExpiredIterator or TrimmedDataAccess as DynamoDB Streams does.
    virtual Records get_records(const std::string& iterator) = 0;
};

/// The StreamsApi of a real client.
[[nodiscard]] std::shared_ptr<StreamsApi> client_streams_api(Client client);

/// Reads every shard of one stream in order: by (creation time, sequence number as an integer),
/// parents before children. `next()` returns nothing when no record is waiting; it never blocks
/// for long and never ends. Call it from one thread at a time; the refresher runs beside it safely.
class StreamCoordinator {
  public:
    /// A reader of `stream_arn` through `api`; `log` hears position changes and recoveries,
    /// `telemetry` (when not null) each page read from a shard (records, lag).
    StreamCoordinator(std::shared_ptr<StreamsApi> api, std::string stream_arn, LogListener log = {},
                      Telemetry* telemetry = nullptr);
    /// Stops the refresher.
    ~StreamCoordinator();
    StreamCoordinator(const StreamCoordinator&) = delete;
    StreamCoordinator& operator=(const StreamCoordinator&) = delete;

    /// Keeps iterators alive without anyone calling next(): every `interval`, iterators older than
    /// `max_age` are renewed (after the last record read, or at the trim horizon; an unread LATEST
    /// iterator is polled and its records buffered). DynamoDB's iterators live 15 minutes.
    void start_refresher(std::chrono::milliseconds interval = std::chrono::minutes(2),
                         std::chrono::milliseconds max_age = std::chrono::minutes(10));
    /// Renews every iterator older than `max_age` now (what the refresher does).
    void refresh(std::chrono::milliseconds max_age);

    /// Every root shard (a shard whose parent is not described) from its trim horizon.
    void move_to_trim_horizon();
    /// Every leaf shard (one without children) from its latest record.
    void move_to_latest();
    /// Exactly after the last record returned when `token` was taken. Throws InvalidStream for a
    /// token of another stream or one with no relation to the stream, InvalidShardIterator for an
    /// iterator type DynamoDB Streams does not have, InvalidPosition for a token
    /// that does not parse.
    void move_to_token(const std::string& token);

    /// bloop's time seek: from the trim horizon, skip every record created before `t`; a time in
    /// the future is `latest`. Reads the stream up to there, so it is slow on a long stream: keep
    /// a token instead where you can.
    void move_to_time(std::chrono::sys_seconds t);

    /// The next record, or nothing when none is waiting.
    std::optional<StreamRecord> next();
    /// Polls shards that have read nothing yet, so their iterators do not expire while idle
    /// (bloop's heartbeat; next() does the same work when called).
    void heartbeat();
    /// bloop's token: {"stream_arn", "active": [ids], "shards": [{"shard_id", "iterator_type",
    /// "sequence_number", "parent"}]} as JSON text, listing every shard of the known tree
    /// breadth-first (one not being read with its id and parent only). Interchangeable with
    /// Python bloop's: a descendant that bloop lists as active beside its unfinished ancestor is
    /// read only after that ancestor, from its saved position, and is written back the same way.
    [[nodiscard]] std::string token() const;

  private:
    struct ShardState {
        std::string id;
        std::string parent;
        std::string iterator;
        std::string iterator_type;    // trim_horizon, latest, at_sequence, after_sequence
        std::string sequence_number;  // the token's position: the last record returned (or the
                                      // first unread)
        std::string
            last_fetched;  // the last record read into the buffer: where a new iterator resumes
        bool exhausted = false;
        int empty_responses = 0;
        std::size_t buffered = 0;  // records of this shard waiting in the buffer
        std::chrono::steady_clock::time_point acquired{};  // when `iterator` was issued
    };

    // The unlocked halves of the public methods.
    std::optional<StreamRecord> next_record();
    void trim_horizon_position();
    void latest_position();
    void start_shards(bool leaves, const std::string& type);
    void jump(ShardState& shard, const std::string& type, const std::string& sequence_number);
    void reacquire(ShardState& shard);
    void poll(ShardState& shard);
    void advance(bool only_unread);
    void retire(std::string shard_id);
    void log(LogLevel level, const std::string& message) const;

    std::shared_ptr<StreamsApi> api_;
    std::string arn_;
    LogListener log_;
    Telemetry* telemetry_;  // null: none
    std::string table_;     // the table whose stream this is (for telemetry)
    std::map<std::string, ShardState> active_;
    /// Shards a token placed (with a position) whose ancestor is still being read: started from
    /// that position, not their trim horizon, once the ancestor is retired.
    struct Deferred {
        std::string parent;
        std::string iterator_type;
        std::string sequence_number;
    };
    std::map<std::string, Deferred> deferred_;
    /// The known shard tree, id -> parent id (bloop's roots and their descendants): every shard of
    /// it is written into tokens.
    std::map<std::string, std::string> tree_;
    std::vector<StreamRecord> buffer_;  // a min-heap by (created_at, sequence number)

    mutable std::mutex mutex_;  // guards the state above against the refresher
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread refresher_;
};

}  // namespace bloop
