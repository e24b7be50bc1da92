#pragma once
/// \file
/// `bloop::Engine`: binds models to tables, then loads, saves and deletes objects (bloop's Engine).
///
/// ```cpp
/// bloop::Engine engine;          // region, credentials, endpoints from the environment
/// engine.bind<Account>();        // create or validate the table, wait until ACTIVE
/// engine.save(admin, support);   // one UpdateItem each, concurrently
/// engine.save(admin, {.condition = bloop::attr<&Account::email>.is_missing(), .atomic = true});
/// engine.load(a, b);             // BatchGetItem; fills the objects in place
/// engine.remove(admin);          // DeleteItem
/// ```

#include <bloop/client/client.hpp>
#include <bloop/conditions/attr.hpp>
#include <bloop/conditions/condition.hpp>
#include <bloop/conditions/update.hpp>
#include <bloop/engine/detail/search_cursor.hpp>
#include <bloop/engine/events.hpp>
#include <bloop/engine/future.hpp>
#include <bloop/exceptions.hpp>
#include <bloop/model/model.hpp>
#include <bloop/signal.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <exception>
#include <functional>
#include <future>
#include <iterator>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace bloop {

class Engine;

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

template <class T>
class Search;
template <class T>
class Stream;
class StreamPosition;

namespace detail {
template <class T>
inline constexpr bool is_object_list_v = false;
template <class T, std::size_t N>
inline constexpr bool is_object_list_v<std::span<T, N>> = true;
template <class T, class A>
inline constexpr bool is_object_list_v<std::vector<T, A>> = true;

/// The designed error for an engine call on a struct that is not a table model.
template <class T>
constexpr void require_table_model() {
    static_assert(TableModel<T>,
                  "bloop: this struct is not a table model: specialize bloop::Model<T> for it with "
                  "a `static constexpr bloop::Meta meta{...}` and a hash key (see docs/models.md)");
}

/// The model an index belongs to.
template <class Ix>
using index_model_t = typename MemberPointer<(
    Ix::kind == IndexKind::global ? Ix::hash_member : Ix::range_member)>::Class;

/// DynamoDB's largest TotalSegments.
inline constexpr std::int64_t max_scan_segments = 1'000'000;

/// How many threads scan `segments` segments of `model`'s table at once: as many as the segments,
/// at most `max_in_flight`. Throws InvalidArgument unless 1 <= segments <= max_scan_segments.
[[nodiscard]] std::size_t parallel_scan_workers(const ModelInfo& model, std::int64_t segments,
                                                std::size_t max_in_flight);

/// Runs `scan_segment(s)` for every s in [0, segments) on `workers` threads (the caller's one of
/// them), each taking the next segment not yet started. Once one throws, no further segment
/// starts; after every thread has finished, the first exception is rethrown.
void run_segments(std::int64_t segments, std::size_t workers,
                  const std::function<void(std::int64_t)>& scan_segment);
}  // namespace detail

/// A model's table as bound to an engine.
struct Binding {
    /// The table the model is bound to (after the name template).
    std::string table_name;
    std::string stream_arn;                  ///< LatestStreamArn, when the model has a stream
    std::optional<std::int64_t> read_units;  ///< as found on the table
    /// WriteCapacityUnits as found on the table.
    std::optional<std::int64_t> write_units;
};

namespace detail {
/// An object as the runtime sees it.
struct ObjectRef {
    const ModelInfo* model;
    void* object;
};
/// What a write does to an object.
enum class WriteKind { save, remove, check };
/// WriteOptions<T> for the runtime.
struct WriteSpec {
    Condition condition;
    bool atomic = false;
    std::vector<UpdateAction> actions;
    Sync sync = Sync::none;
};
/// The runtime form of `options`.
template <class T>
WriteSpec spec_of(const WriteOptions<T>& options) {
    WriteSpec spec{options.condition.condition(), options.atomic, {}, options.sync};
    spec.actions.reserve(options.actions.size());
    for (const auto& a : options.actions) spec.actions.push_back(a.action());
    return spec;
}
/// One operation of a write transaction, before it is prepared.
struct TransactionOperation {
    ObjectRef ref;
    WriteKind kind;
    WriteSpec spec;
};
struct EngineAccess;
}  // namespace detail

/// Binds models and moves objects in and out of DynamoDB. Safe to share between threads (by
/// reference); bulk operations run their requests concurrently (up to the client's max_in_flight).
class Engine {
  public:
    /// A client from the environment.
    Engine();
    /// A client from the environment and `options.client`.
    explicit Engine(EngineOptions options);
    /// Uses `client` (copies share connections), with default options.
    explicit Engine(Client client);
    /// Uses `client` (copies share connections).
    explicit Engine(Client client, EngineOptions options);
    /// Runs every async call already queued to completion, then stops the engine's threads.
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    /// The low-level client.
    [[nodiscard]] const Client& client() const noexcept;

    /// Binds models as bloop does: for each model, before_create_table and CreateTable (an
    /// existing table is fine); then for each, wait until the table and its GSIs are ACTIVE
    /// (polling DescribeTable with backoff, so the tables are created together), validate the
    /// table against the model (TableMismatch says what differs), model_validated, model_bound.
    /// Abstract models are skipped.
    template <TableModel... T>
    BindReport bind(const BindOptions& options = {}) {
        const ModelInfo* models[] = {&model_info<T>()...};
        return bind_models(models, options);
    }
    /// The binding of T; throws UnboundModel when this engine has not bound it.
    template <TableModel T>
    [[nodiscard]] Binding binding() const {
        return binding_of(model_info<T>());
    }

    /// Saves one object with UpdateItem: SET the columns with values, REMOVE known columns that
    /// became empty, never touching other attributes. Throws MissingKey before sending and
    /// ConstraintViolation when the condition fails.
    template <TableModel T>
    void save(T& object, const WriteOptions<T>& options = {}) {
        detail::ObjectRef ref{&model_info<T>(), &object};
        write(std::span(&ref, 1), detail::spec_of(options), false);
    }
    /// Saves objects of one model concurrently. When some fail, WriteFailed lists exactly those;
    /// the others are saved and signalled.
    template <TableModel T>
    void save(std::span<T> objects, const WriteOptions<T>& options = {}) {
        auto refs = refs_of(objects);
        write(refs, detail::spec_of(options), false);
    }
    /// Saves a vector of objects of one model concurrently (as the span overload).
    template <TableModel T>
    void save(std::vector<T>& objects, const WriteOptions<T>& options = {}) {
        save(std::span<T>(objects), options);
    }
    /// Saves several objects, of any bound models, concurrently.
    template <TableModel A, TableModel B, TableModel... More>
    void save(A& a, B& b, More&... more) {
        std::vector<detail::ObjectRef> refs{
            {&model_info<A>(), &a}, {&model_info<B>(), &b}, {&model_info<More>(), &more}...};
        write(refs, detail::WriteSpec{}, false);
    }

    /// Does not compile: `object` is not of a table model (a designed error).
    template <class T>
    requires(!TableModel<T> &&
             !detail::is_object_list_v<T>) void save(T&, const WriteOptions<T>& = {}) {
        detail::require_table_model<T>();
    }

    /// Deletes one object with DeleteItem. Throws MissingKey before sending and
    /// ConstraintViolation when the condition fails.
    template <TableModel T>
    void remove(T& object, const WriteOptions<T>& options = {}) {
        detail::ObjectRef ref{&model_info<T>(), &object};
        write(std::span(&ref, 1), detail::spec_of(options), true);
    }
    /// Deletes objects of one model concurrently (see save).
    template <TableModel T>
    void remove(std::span<T> objects, const WriteOptions<T>& options = {}) {
        auto refs = refs_of(objects);
        write(refs, detail::spec_of(options), true);
    }
    /// Deletes a vector of objects of one model concurrently (as the span overload).
    template <TableModel T>
    void remove(std::vector<T>& objects, const WriteOptions<T>& options = {}) {
        remove(std::span<T>(objects), options);
    }
    /// Deletes several objects, of any bound models, concurrently.
    template <TableModel A, TableModel B, TableModel... More>
    void remove(A& a, B& b, More&... more) {
        std::vector<detail::ObjectRef> refs{
            {&model_info<A>(), &a}, {&model_info<B>(), &b}, {&model_info<More>(), &more}...};
        write(refs, detail::WriteSpec{}, true);
    }

    /// Does not compile: `object` is not of a table model (a designed error).
    template <class T>
    requires(!TableModel<T> &&
             !detail::is_object_list_v<T>) void remove(T&, const WriteOptions<T>& = {}) {
        detail::require_table_model<T>();
    }

    // ---- async calls: the same operations on the engine's own threads (as many as the client's
    // max_in_flight); each Future holds the outcome, rethrowing the same exceptions from get().
    // An object must not be touched until its future is ready; a future destroyed before then
    // waits for its operation, so the object may go once the future has.

    /// `save(object, options)`, asynchronously.
    template <TableModel T>
    [[nodiscard]] Future<void> save_async(T& object, WriteOptions<T> options = {}) {
        return Future<void>(
            run_async([this, &object, options = std::move(options)] { save(object, options); }));
    }
    /// `remove(object, options)`, asynchronously.
    template <TableModel T>
    [[nodiscard]] Future<void> remove_async(T& object, WriteOptions<T> options = {}) {
        return Future<void>(
            run_async([this, &object, options = std::move(options)] { remove(object, options); }));
    }
    /// `load(object)`, asynchronously (MissingObjects when it is not stored).
    template <TableModel T>
    [[nodiscard]] Future<void> load_async(T& object, LoadOptions options = {}) {
        return Future<void>(
            run_async([this, &object, options] { load(std::span<T>(&object, 1), options); }));
    }

    /// Loads objects in place by their keys with BatchGetItem (100 keys a request, requests in
    /// flight concurrently, UnprocessedKeys retried with backoff). Objects with the same key share
    /// one requested key. Throws MissingObjects listing exactly the objects not found; the found
    /// ones are loaded and signalled.
    template <TableModel... T>
    void load(T&... objects) {
        std::vector<detail::ObjectRef> refs{{&model_info<T>(), &objects}...};
        load_objects(refs, LoadOptions{});
    }
    /// Loads objects of one model.
    template <TableModel T>
    void load(std::span<T> objects, const LoadOptions& options = {}) {
        auto refs = refs_of(objects);
        load_objects(refs, options);
    }

    /// Loads a vector of objects of one model (as the span overload).
    template <TableModel T>
    void load(std::vector<T>& objects, const LoadOptions& options = {}) {
        load(std::span<T>(objects), options);
    }
    /// Loads lists of objects of several models in one batch (as above).
    template <TableModel A, TableModel B, TableModel... More>
    void load(std::span<A> a, std::span<B> b, std::span<More>... more) {
        std::vector<detail::ObjectRef> refs = refs_of(a);
        for (const auto& r : refs_of(b)) refs.push_back(r);
        (
            [&] {
                for (const auto& r : refs_of(more)) refs.push_back(r);
            }(),
            ...);
        load_objects(refs, LoadOptions{});
    }

    /// Queries T's table: `key` is `hash == v` optionally AND one range condition. Validated
    /// before anything is sent (InvalidKeyCondition, InvalidFilterCondition, InvalidProjection).
    template <TableModel T>
    [[nodiscard]] Search<T> query(const ConditionOf<T>& key, const QueryOptions<T>& options = {}) {
        return Search<T>(
            *this,
            start_search(target<T>(), &key.condition(), options.filter.condition(),
                         options.projection, options.consistent, options.forward, std::nullopt,
                         {options.limit, options.page_size, options.read_rate}));
    }
    /// Queries one of a model's indexes (`bloop::Model<Account>::by_email`).
    template <IndexKind K, auto H, auto R, class P,
              class T = detail::index_model_t<Index<K, H, R, P>>>
    [[nodiscard]] Search<T> query(const Index<K, H, R, P>& index, const ConditionOf<T>& key,
                                  const QueryOptions<T>& options = {}) {
        return Search<T>(
            *this,
            start_search(target<T>(index), &key.condition(), options.filter.condition(),
                         options.projection, options.consistent, options.forward, std::nullopt,
                         {options.limit, options.page_size, options.read_rate}));
    }
    /// Scans T's table.
    template <TableModel T>
    [[nodiscard]] Search<T> scan(const ScanOptions<T>& options = {}) {
        return Search<T>(
            *this, start_search(target<T>(), nullptr, options.filter.condition(),
                                options.projection, options.consistent, true, options.parallel,
                                {options.limit, options.page_size, options.read_rate}));
    }
    /// Scans one of a model's indexes.
    template <IndexKind K, auto H, auto R, class P,
              class T = detail::index_model_t<Index<K, H, R, P>>>
    [[nodiscard]] Search<T> scan(const Index<K, H, R, P>& index,
                                 const ScanOptions<T>& options = {}) {
        return Search<T>(
            *this, start_search(target<T>(index), nullptr, options.filter.condition(),
                                options.projection, options.consistent, true, options.parallel,
                                {options.limit, options.page_size, options.read_rate}));
    }
    /// Scans T's table in `segments` parallel segments (1 to 1,000,000), every item exactly once,
    /// on as many threads as the segments but at most the client's max_in_flight, each taking the
    /// next segment not yet started; results in segment order. `options.limit` caps the results
    /// in all; `options.read_rate` is for the whole scan, shared by the segments read at once.
    /// Throws InvalidArgument, before anything is sent, for a segment count out of range, a set
    /// `options.parallel` or a count_only() projection; after a segment fails, no further one
    /// starts and that error is thrown once the others have stopped.
    template <TableModel T>
    [[nodiscard]] std::vector<T> scan_all_segments(std::int64_t segments,
                                                   ScanOptions<T> options = {}) {
        return collect_segments<T>(segments, std::move(options),
                                   [this](const ScanOptions<T>& one) { return scan<T>(one); });
    }
    /// `scan_all_segments` of one of a model's indexes.
    template <IndexKind K, auto H, auto R, class P,
              class T = detail::index_model_t<Index<K, H, R, P>>>
    [[nodiscard]] std::vector<T> scan_all_segments(const Index<K, H, R, P>& index,
                                                   std::int64_t segments,
                                                   ScanOptions<T> options = {}) {
        return collect_segments<T>(
            segments, std::move(options),
            [this, &index](const ScanOptions<T>& one) { return scan(index, one); });
    }
    /// `scan_all_segments` handing each result to `each(T&&)` as its page arrives, instead of
    /// keeping them: memory for a page per thread, whatever the table's size. `each` runs on the
    /// scan's threads, several at once, so it must be safe to call concurrently; an exception it
    /// throws stops the scan as a failed segment does, and is rethrown.
    template <TableModel T, class Each>
    void scan_all_segments(std::int64_t segments, ScanOptions<T> options,
                           Each&& each) requires std::invocable<Each&, T&&> {
        hand_on_segments<T>(
            segments, std::move(options),
            [this](const ScanOptions<T>& one) { return scan<T>(one); }, each);
    }
    /// The same, of one of a model's indexes.
    template <IndexKind K, auto H, auto R, class P, class Each,
              class T = detail::index_model_t<Index<K, H, R, P>>>
    void scan_all_segments(const Index<K, H, R, P>& index, std::int64_t segments,
                           ScanOptions<T> options,
                           Each&& each) requires std::invocable<Each&, T&&> {
        hand_on_segments<T>(
            segments, std::move(options),
            [this, &index](const ScanOptions<T>& one) { return scan(index, one); }, each);
    }

    /// The stream of T's table from `position` (`#include <bloop/stream/stream.hpp>`). Throws
    /// InvalidStream when the model has no stream or was bound without table setup.
    template <TableModel T>
    [[nodiscard]] Stream<T> stream(const StreamPosition& position);

    // ---- signals (bloop's)

    /// Before a model's CreateTable (also with skip_table_setup); receivers may change nothing.
    Signal<const ModelEvent&> before_create_table;
    /// After a model's table was validated (also with skip_table_setup).
    Signal<const ModelEvent&> model_validated;
    /// After a model is bound: the engine may now use it.
    Signal<const ModelEvent&> model_bound;
    /// After an object was loaded (by load, a query or scan result, or a stream record image).
    Signal<const ObjectEvent&> object_loaded;
    /// After an object was saved.
    Signal<const ObjectEvent&> object_saved;
    /// After an object was deleted.
    Signal<const ObjectEvent&> object_deleted;
    /// For each column the engine wrote into an object while loading it.
    Signal<const ColumnEvent&> object_modified;

  private:
    friend struct detail::EngineAccess;

    // The runtime beneath the templates.
    BindReport bind_models(std::span<const ModelInfo* const> models, const BindOptions& options);
    [[nodiscard]] Binding binding_of(const ModelInfo& model) const;
    void write(std::span<const detail::ObjectRef> objects, const detail::WriteSpec& spec,
               bool remove);
    void load_objects(std::span<const detail::ObjectRef> objects, const LoadOptions& options);
    /// Runs `task` on the engine's threads (started on first use).
    std::future<void> run_async(std::function<void()> task);
    /// Signals `objects` as loaded (object_modified per column, object_loaded); returns the first
    /// exception a receiver threw.
    std::exception_ptr signal_loaded(std::span<const detail::ObjectRef> objects);
    /// Signals `ref` as saved (object_saved) or removed (object_deleted); returns the exception a
    /// receiver threw.
    std::exception_ptr signal_written(const detail::ObjectRef& ref, bool removed);
    void commit_write(std::span<const detail::TransactionOperation> operations,
                      const std::string& token);
    void commit_read(std::span<const detail::ObjectRef> objects);
    void commit_batch(std::span<const detail::ObjectRef> puts,
                      std::span<const detail::ObjectRef> removes);
    /// Loads `item` into `object` (the given columns), syncs its state, and signals.
    void deliver(const ModelInfo& model, void* object, Item&& item,
                 std::span<const std::size_t> columns);
    /// scan_all_segments: `scan_one(options)` returns the Search of one segment's options;
    /// `keep(segment, object)` takes each result; `ready()` runs once the arguments are checked,
    /// before the segments are read.
    template <class T, class Scan, class Keep, class Ready>
    void scan_segments(std::int64_t segments, ScanOptions<T> options, const Scan& scan_one,
                       const Keep& keep, const Ready& ready);
    /// scan_segments keeping the results, in segment order.
    template <class T, class Scan>
    std::vector<T> collect_segments(std::int64_t segments, ScanOptions<T> options,
                                    const Scan& scan_one);
    /// scan_segments handing each result to `each` (concurrently, from the scan's threads).
    template <class T, class Scan, class Each>
    void hand_on_segments(std::int64_t segments, ScanOptions<T> options, const Scan& scan_one,
                          Each& each) {
        scan_segments<T>(
            segments, std::move(options), scan_one,
            [&](std::int64_t, T&& object) { each(std::move(object)); }, [] {});
    }
    /// Validates and builds a Query (key given) or Scan request, bloop's shape.
    [[nodiscard]] detail::SearchCursor start_search(const SearchTarget& target,
                                                    const Condition* key, const Condition& filter,
                                                    const ProjectionSpec& projection,
                                                    bool consistent, bool forward,
                                                    std::optional<Segment> segment,
                                                    const detail::Paging& paging);

    /// T's table, or one of its indexes (found by the static member that declares it, else by
    /// its name).
    template <class T>
    SearchTarget target() {
        return {&model_info<T>(), nullptr};
    }
    template <class T, class Ix>
    SearchTarget target(const Ix& index) {
        const ModelInfo& m = model_info<T>();
        const IndexInfo* found = m.index_declared_at(&index);
        return {&m, found != nullptr ? found : m.index(index.name)};
    }
    template <class T>
    static std::vector<detail::ObjectRef> refs_of(std::span<T> objects) {
        std::vector<detail::ObjectRef> refs;
        refs.reserve(objects.size());
        for (auto& o : objects) refs.push_back({&model_info<T>(), &o});
        return refs;
    }

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

namespace detail {
/// What Search<T>, Stream<T>, the transactions and batch writes need of the engine's runtime.
struct EngineAccess {
    static std::future<void> run_async(Engine& engine, std::function<void()> task) {
        return engine.run_async(std::move(task));
    }
    static void deliver(Engine& engine, const ModelInfo& model, void* object, Item&& item,
                        std::span<const std::size_t> columns) {
        engine.deliver(model, object, std::move(item), columns);
    }
    static void commit_write(Engine& engine, std::span<const TransactionOperation> operations,
                             const std::string& token) {
        engine.commit_write(operations, token);
    }
    static void commit_read(Engine& engine, std::span<const ObjectRef> objects) {
        engine.commit_read(objects);
    }
    static void commit_batch(Engine& engine, std::span<const ObjectRef> puts,
                             std::span<const ObjectRef> removes) {
        engine.commit_batch(puts, removes);
    }
};
}  // namespace detail

template <class T, class Scan, class Keep, class Ready>
void Engine::scan_segments(std::int64_t segments, ScanOptions<T> options, const Scan& scan_one,
                           const Keep& keep, const Ready& ready) {
    const ModelInfo& model = model_info<T>();
    if (options.parallel) {
        throw InvalidArgument("scan_all_segments of " + model.name +
                              " chooses the segments itself: leave options.parallel unset");
    }
    if (options.projection.mode == ProjectionSpec::Mode::count) {
        throw InvalidArgument("scan_all_segments of " + model.name +
                              " returns objects: count_only() has none (count with scan())");
    }
    const std::size_t workers =
        detail::parallel_scan_workers(model, segments, client().max_in_flight());
    if (options.read_rate) options.read_rate = *options.read_rate / static_cast<double>(workers);
    ready();
    std::atomic<std::size_t> kept{0};
    std::atomic<bool> stop{false};  // the limit is reached, or a segment failed
    detail::run_segments(segments, workers, [&](std::int64_t s) {
        ScanOptions<T> own = options;
        own.parallel = Segment{s, segments};
        try {
            Search<T> search = scan_one(own);
            while (!stop.load()) {
                std::vector<T> page = search.next_page();
                if (page.empty()) return;
                for (T& object : page) {
                    if (!options.limit) {
                        keep(s, std::move(object));
                        continue;
                    }
                    const std::size_t n = kept.fetch_add(1);
                    if (n < *options.limit) keep(s, std::move(object));
                    if (n + 1 >= *options.limit) {
                        stop = true;
                        return;
                    }
                }
            }
        } catch (...) {
            stop = true;
            throw;
        }
    });
}

template <class T, class Scan>
std::vector<T> Engine::collect_segments(std::int64_t segments, ScanOptions<T> options,
                                        const Scan& scan_one) {
    std::vector<std::vector<T>> parts;  // by segment, sized once the arguments are checked
    scan_segments<T>(
        segments, std::move(options), scan_one,
        [&](std::int64_t s, T&& object) {
            parts[static_cast<std::size_t>(s)].push_back(std::move(object));
        },
        [&] { parts.resize(static_cast<std::size_t>(segments)); });
    std::size_t total = 0;
    for (const auto& part : parts) total += part.size();
    std::vector<T> all;
    all.reserve(total);
    for (auto& part : parts) std::move(part.begin(), part.end(), std::back_inserter(all));
    return all;
}

}  // namespace bloop

// Search<T> and Stream<T> complete what Engine declares, so this header alone is enough.
#include <bloop/engine/search.hpp>
#include <bloop/stream/stream.hpp>
