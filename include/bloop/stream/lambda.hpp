#pragma once
/// \file
/// DynamoDB Streams inside AWS Lambda: the event Lambda hands a function, read into the typed
/// records a Stream yields, and Lambda's partial batch response (ReportBatchItemFailures).
///
/// ```cpp
/// bloop::Engine engine;  // reading an event sends no request
/// auto response = bloop::lambda::handle<Order>(engine, payload, [](bloop::Record<Order>& r) {
///     ...                // throw: this record and every one after it are retried
/// });
/// return response.json();  // {"batchItemFailures":[{"itemIdentifier":"<SequenceNumber>"},...]}
/// ```

#include <bloop/engine/engine.hpp>
#include <bloop/exceptions.hpp>
#include <bloop/stream/stream.hpp>
#include <bloop/types/attribute_value.hpp>

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

namespace bloop::lambda {

/// One record of a Lambda DynamoDB Streams event, as sent: its images are not typed yet.
struct EventRecord {
    /// Its place among the event's Records, from 0.
    std::size_t index = 0;
    /// eventID.
    std::string event_id;
    /// eventName: INSERT, MODIFY or REMOVE.
    std::string event_name;
    /// eventVersion.
    std::string event_version;
    /// eventSource ("aws:dynamodb").
    std::string event_source;
    /// eventSourceARN: the stream's ARN, which names the table.
    std::string event_source_arn;
    /// awsRegion.
    std::string aws_region;
    /// userIdentity's type and principalId ("Service" and "dynamodb.amazonaws.com" for a deletion
    /// by TTL); empty when the record has none.
    std::string user_identity_type, user_identity_principal_id;
    /// dynamodb.SequenceNumber: the record's item identifier in a batch response.
    std::string sequence_number;
    /// dynamodb.StreamViewType: KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES.
    std::string stream_view_type;
    /// dynamodb.ApproximateCreationDateTime, in seconds since the epoch.
    std::optional<double> approximate_creation_date_time;
    /// dynamodb.SizeBytes.
    std::optional<std::int64_t> size_bytes;
    /// dynamodb.Keys, OldImage and NewImage, when sent.
    std::optional<Item> keys, old_image, new_image;

    /// The table whose stream it comes from (named by eventSourceARN).
    [[nodiscard]] std::string_view table() const noexcept;
    /// How errors name it: "record 2 (eventID 'e3', SequenceNumber '300')".
    [[nodiscard]] std::string describe() const;
};

/// A DynamoDB Streams event as Lambda delivers it to a function.
struct StreamEvent {
    /// Its records, in the shard's order.
    std::vector<EventRecord> records;

    /// Reads Lambda's event JSON. Throws InvalidJson for text that is not JSON or has no Records
    /// array, InvalidRecord naming the record for one that is no DynamoDB Streams record (not an
    /// object, no dynamodb object, no SequenceNumber). What a record means is checked when it is
    /// typed (records, handle).
    [[nodiscard]] static StreamEvent parse(std::string_view json);
};

/// Lambda's answer for a batch with ReportBatchItemFailures: the records it should retry.
struct BatchResponse {
    /// The SequenceNumbers of the first record that failed and of every record after it (Lambda
    /// retries from the first failure on, so nothing after it may count as handled).
    std::vector<std::string> failures;
    /// Records handled before the first failure (records of another entity of a shared table,
    /// passed over, count as handled).
    std::size_t handled = 0;
    /// Why the first failing record failed: the handler's exception or InvalidRecord; null when
    /// every record was handled.
    std::exception_ptr error;

    /// `{"batchItemFailures":[{"itemIdentifier":"..."},...]}`, empty array when all succeeded.
    [[nodiscard]] std::string json() const;
};

}  // namespace bloop::lambda

namespace bloop::detail {

/// Which of `models` the Lambda record `r` is of, and what it says as a stream record: the model of
/// its table (from eventSourceARN), among entities of a shared table the one its entity type names;
/// nullopt for another entity of a shared table. Checks it against that model first: the event
/// name, the view type, the images the model's view needs for the event, every number within
/// DynamoDB's 38 digits. Throws InvalidRecord naming the record.
struct LambdaMatch {
    std::size_t model;    ///< its index among the models
    StreamRecord record;  ///< the record as the stream reader reads it
};
[[nodiscard]] std::optional<LambdaMatch> match_lambda_record(
    const EngineCore& core, std::span<const ModelInfo* const> models, const lambda::EventRecord& r);

/// Throws InvalidRecord naming `r`, for the value error being handled (a column that cannot hold a
/// value of the record); any other exception is rethrown as it is.
[[noreturn]] void rethrow_for_record(const lambda::EventRecord& r);

/// `r` typed as the model `match_lambda_record` chose among Ts.
template <class... Ts>
std::optional<typename BatchRecord<Ts...>::type> lambda_record(EngineCore& core,
                                                               const lambda::EventRecord& r) {
    const std::array<const ModelInfo*, sizeof...(Ts)> models{&model_info<Ts>()...};
    std::optional<LambdaMatch> match = match_lambda_record(core, models, r);
    if (!match) return std::nullopt;
    std::optional<typename BatchRecord<Ts...>::type> out;
    try {
        if constexpr (sizeof...(Ts) == 1) {
            out.emplace(typed_record<Ts...>(core, std::move(match->record)));
        } else {
            [&]<std::size_t... I>(std::index_sequence<I...>) {
                ((match->model == I
                      ? (out.emplace(std::in_place_index<I>,
                                     typed_record<std::tuple_element_t<I, std::tuple<Ts...>>>(
                                         core, std::move(match->record))),
                         0)
                      : 0),
                 ...);
            }
            (std::index_sequence_for<Ts...>{});
        }
    } catch (...) {
        rethrow_for_record(r);
    }
    return out;
}

}  // namespace bloop::detail

namespace bloop::lambda {

/// `event`'s records typed: each a Record<T> (for several models, of one or several tables, a
/// variant of their Records: the model of the record's table, among a shared table's entities the
/// one its entity type names; records of the table's other entities are passed over). Throws
/// InvalidRecord at the first record that does not fit (see detail::match_lambda_record).
template <TableModel... Ts>
requires(sizeof...(Ts) > 0) std::vector<typename detail::BatchRecord<Ts...>::type> records(
    Engine& engine, const StreamEvent& event) {
    detail::EngineCore& core = detail::EngineAccess::core(engine);
    std::vector<typename detail::BatchRecord<Ts...>::type> out;
    out.reserve(event.records.size());
    for (const EventRecord& r : event.records) {
        if (auto record = detail::lambda_record<Ts...>(core, r)) out.push_back(std::move(*record));
    }
    return out;
}

/// Runs `handler` on each record of `event` in order, typed as `records` does, and answers which
/// to retry: at the first record that fails (the handler throws, or it does not fit the models)
/// the rest are not handed over, and it and every record after it are reported, as Lambda's
/// ReportBatchItemFailures requires. The handler takes `Record<T>&` (several models: the variant).
template <TableModel... Ts, class Handler>
requires(sizeof...(Ts) > 0 &&
         std::invocable<Handler&, typename detail::BatchRecord<Ts...>::type&>) BatchResponse
    handle(Engine& engine, const StreamEvent& event, Handler&& handler) {
    detail::EngineCore& core = detail::EngineAccess::core(engine);
    BatchResponse response;
    for (const EventRecord& r : event.records) {
        if (!response.error) {
            try {
                if (auto record = detail::lambda_record<Ts...>(core, r)) handler(*record);
                ++response.handled;
                continue;
            } catch (...) {
                response.error = std::current_exception();
            }
        }
        response.failures.push_back(r.sequence_number);
    }
    return response;
}

/// `handle` on the event JSON Lambda sent. Throws what StreamEvent::parse throws (then Lambda
/// retries the whole batch).
template <TableModel... Ts, class Handler>
requires(sizeof...(Ts) > 0 &&
         std::invocable<Handler&, typename detail::BatchRecord<Ts...>::type&>) BatchResponse
    handle(Engine& engine, std::string_view event_json, Handler&& handler) {
    return handle<Ts...>(engine, StreamEvent::parse(event_json), std::forward<Handler>(handler));
}

}  // namespace bloop::lambda
