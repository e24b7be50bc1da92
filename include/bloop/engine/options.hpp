#pragma once
/// \file
/// The options aggregates of `bloop::Engine`'s calls (`EngineOptions`, `WriteOptions<T>`,
/// `QueryOptions<T>`, `ScanOptions<T>`, ...) and what `bind` reports.

#include <bloop/client/client.hpp>
#include <bloop/conditions/attr.hpp>
#include <bloop/conditions/condition.hpp>
#include <bloop/conditions/search_rules.hpp>
#include <bloop/conditions/update.hpp>
#include <bloop/model/model.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bloop {

/// How an Engine is set up.
struct EngineOptions {
    /// Used when the engine makes its own client.
    ClientOptions client{};
    /// The table each model is bound to: "{table_name}" is replaced by the model's table name
    /// (bloop 2.x's table_name_template), e.g. "staging_{table_name}". Empty: the table name.
    std::string table_name_template{};
    /// Five minutes.
    static constexpr std::chrono::milliseconds default_bind_timeout = std::chrono::minutes(5);
    /// How long `bind` waits for a table and its indexes to become ACTIVE.
    std::chrono::milliseconds bind_timeout = default_bind_timeout;
};

/// Options of `bind`.
struct BindOptions {
    /// Neither create nor validate the table (the signals are still sent).
    bool skip_table_setup = false;
    /// Bring an existing table to its model where DynamoDB can change it in place: create missing
    /// GSIs (waiting until ACTIVE), enable or change the stream, enable TTL, switch billing,
    /// change throughput, set deletion protection. What cannot change in place (keys, LSIs,
    /// index projections) stays a TableMismatch. Off: nothing existing is changed.
    bool update = false;
};

/// What `bind` created or changed, one line each ("Sessions: created GSI 'by_user'").
struct BindReport {
    std::vector<std::string> changes;  ///< in the order they were made
};

/// Whether a write loads its object from the item DynamoDB returns (bloop 2.x's `sync`).
enum class Sync {
    none,    ///< the object keeps what it holds
    after,   ///< a save: the object is loaded from the item as written (ReturnValues ALL_NEW)
    before,  ///< a save or remove: from the item as it was before the write (ALL_OLD)
};

/// Options of `save` and `remove` on objects of model T.
template <class T>
struct WriteOptions {
    /// Written only if this holds.
    ConditionOf<T> condition{};
    /// Also require the stored item to be as last loaded or saved (needs an ObjectState member).
    bool atomic = false;
    /// Update actions of a save (`attr<&T::views>.add(1)`, ...): each changes one column
    /// relative to what is stored; the save writes the object's other columns as usual.
    std::vector<ActionOf<T>> actions{};
    /// Load the object from the stored item after the write (or before it).
    Sync sync = Sync::none;
};

/// Options of `load`.
struct LoadOptions {
    bool consistent = false;  ///< strongly consistent reads
};

/// Options of `query` on objects of model T.
template <class T>
struct QueryOptions {
    ConditionOf<T> filter{};             ///< FilterExpression
    ProjectionSpec projection{};         ///< all (default), count_only(), or project<&T::a, ...>()
    bool consistent = false;             ///< dropped for GSIs, which cannot read consistently
    bool forward = true;                 ///< ScanIndexForward
    std::optional<std::size_t> limit{};  ///< stop after this many results
    /// Items DynamoDB evaluates per request (its Limit; ≥ 1); unset: up to 1 MB a page.
    std::optional<std::size_t> page_size{};
    /// Read capacity units per second to stay under, paced from each page's ConsumedCapacity.
    std::optional<double> read_rate{};
};

/// A scan segment: DynamoDB's Segment / TotalSegments.
struct Segment {
    std::int64_t segment = 0;  ///< this segment, from 0
    std::int64_t total = 1;    ///< how many segments the scan is split into
};

/// Options of `scan` on objects of model T.
template <class T>
struct ScanOptions {
    ConditionOf<T> filter{};             ///< FilterExpression
    ProjectionSpec projection{};         ///< all (default), count_only(), or project<&T::a, ...>()
    bool consistent = false;             ///< strongly consistent reads (not on GSIs)
    std::optional<Segment> parallel{};   ///< scan one segment of a parallel scan
    std::optional<std::size_t> limit{};  ///< stop after this many results
    /// Items DynamoDB evaluates per request (its Limit; ≥ 1); unset: up to 1 MB a page.
    std::optional<std::size_t> page_size{};
    /// Read capacity units per second to stay under (per segment), paced from each page's
    /// ConsumedCapacity.
    std::optional<double> read_rate{};
};

/// A projection of the listed columns (the table's keys are always added).
template <auto... Members>
[[nodiscard]] ProjectionSpec project() {
    return {
        ProjectionSpec::Mode::columns,
        {std::string(
            detail::column_name_of<typename detail::MemberPointer<Members>::Class, Members>())...}};
}
/// Select COUNT: no items, only `count()` and `scanned()`.
[[nodiscard]] inline ProjectionSpec count_only() {
    return {ProjectionSpec::Mode::count, {}};
}

/// A model's table as bound to an engine.
struct Binding {
    /// The table the model is bound to (after the name template).
    std::string table_name;
    std::string stream_arn;                  ///< LatestStreamArn, when the model has a stream
    std::optional<std::int64_t> read_units;  ///< as found on the table
    /// WriteCapacityUnits as found on the table.
    std::optional<std::int64_t> write_units;
};

}  // namespace bloop
