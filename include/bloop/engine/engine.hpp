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
#include <bloop/conditions/index_key.hpp>
#include <bloop/conditions/update.hpp>
#include <bloop/engine/collection.hpp>
#include <bloop/engine/detail/core.hpp>
#include <bloop/engine/detail/parallel_scan.hpp>
#include <bloop/engine/events.hpp>
#include <bloop/engine/future.hpp>
#include <bloop/engine/options.hpp>
#include <bloop/engine/search.hpp>
#include <bloop/exceptions.hpp>
#include <bloop/model/model.hpp>
#include <bloop/signal.hpp>
#include <bloop/stream/stream.hpp>

#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace bloop {

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
        return detail::bind_models(*core_, models, options);
    }
    /// The binding of T; throws UnboundModel when this engine has not bound it.
    template <TableModel T>
    [[nodiscard]] Binding binding() const {
        return detail::binding_of(*core_, model_info<T>());
    }

    /// Saves one object with UpdateItem: SET the columns with values, REMOVE known columns that
    /// became empty, never touching other attributes. Throws MissingKey before sending and
    /// ConstraintViolation when the condition fails.
    template <TableModel T>
    void save(T& object, const WriteOptions<T>& options = {}) {
        detail::ObjectRef ref{&model_info<T>(), &object};
        detail::write(*core_, std::span(&ref, 1), detail::spec_of(options), false);
    }
    /// Saves objects of one model concurrently. When some fail, WriteFailed lists exactly those;
    /// the others are saved and signalled.
    template <TableModel T>
    void save(std::span<T> objects, const WriteOptions<T>& options = {}) {
        auto refs = refs_of(objects);
        detail::write(*core_, refs, detail::spec_of(options), false);
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
        detail::write(*core_, refs, detail::WriteSpec{}, false);
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
        detail::write(*core_, std::span(&ref, 1), detail::spec_of(options), true);
    }
    /// Deletes objects of one model concurrently (see save).
    template <TableModel T>
    void remove(std::span<T> objects, const WriteOptions<T>& options = {}) {
        auto refs = refs_of(objects);
        detail::write(*core_, refs, detail::spec_of(options), true);
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
        detail::write(*core_, refs, detail::WriteSpec{}, true);
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
        return Future<void>(detail::run_async(
            *core_, [this, &object, options = std::move(options)] { save(object, options); }));
    }
    /// `remove(object, options)`, asynchronously.
    template <TableModel T>
    [[nodiscard]] Future<void> remove_async(T& object, WriteOptions<T> options = {}) {
        return Future<void>(detail::run_async(
            *core_, [this, &object, options = std::move(options)] { remove(object, options); }));
    }
    /// `load(object)`, asynchronously (MissingObjects when it is not stored).
    template <TableModel T>
    [[nodiscard]] Future<void> load_async(T& object, LoadOptions options = {}) {
        return Future<void>(detail::run_async(
            *core_, [this, &object, options] { load(std::span<T>(&object, 1), options); }));
    }

    /// Loads objects in place by their keys with BatchGetItem (100 keys a request, requests in
    /// flight concurrently, UnprocessedKeys retried with backoff). Objects with the same key share
    /// one requested key. Throws MissingObjects listing exactly the objects not found; the found
    /// ones are loaded and signalled.
    template <TableModel... T>
    void load(T&... objects) {
        std::vector<detail::ObjectRef> refs{{&model_info<T>(), &objects}...};
        detail::load(*core_, refs, LoadOptions{});
    }
    /// Loads objects of one model.
    template <TableModel T>
    void load(std::span<T> objects, const LoadOptions& options = {}) {
        auto refs = refs_of(objects);
        detail::load(*core_, refs, options);
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
        detail::load(*core_, refs, LoadOptions{});
    }

    /// Queries T's table: `key` is `hash == v` optionally AND one range condition. Validated
    /// before anything is sent (InvalidKeyCondition, InvalidFilterCondition, InvalidProjection).
    template <TableModel T>
    [[nodiscard]] Search<T> query(const ConditionOf<T>& key, const QueryOptions<T>& options = {}) {
        return Search<T>(
            *core_, detail::start_search(*core_, target<T>(), &key.condition(),
                                         options.filter.condition(), options.projection,
                                         options.consistent, options.forward, std::nullopt,
                                         {options.limit, options.page_size, options.read_rate}));
    }
    /// Queries one of a model's indexes (`bloop::Model<Account>::by_email`).
    template <IndexKind K, auto H, auto R, class P, class MH, class MR,
              class T = detail::index_model_t<Index<K, H, R, P, MH, MR>>>
    [[nodiscard]] Search<T> query(const Index<K, H, R, P, MH, MR>& index, const ConditionOf<T>& key,
                                  const QueryOptions<T>& options = {}) {
        return Search<T>(
            *core_, detail::start_search(*core_, target<T>(index), &key.condition(),
                                         options.filter.condition(), options.projection,
                                         options.consistent, options.forward, std::nullopt,
                                         {options.limit, options.page_size, options.read_rate}));
    }
    /// Queries one index of a shared table for model T (`engine.query(App::gsi1,
    /// bloop::attr<&Order::user_email> == "a@b.c")`): only T's items come back.
    template <TableModel T>
    [[nodiscard]] Search<T> query(const TableIndex& index, const ConditionOf<T>& key,
                                  const QueryOptions<T>& options = {}) {
        return Search<T>(
            *core_, detail::start_search(*core_, target<T>(index), &key.condition(),
                                         options.filter.condition(), options.projection,
                                         options.consistent, options.forward, std::nullopt,
                                         {options.limit, options.page_size, options.read_rate}));
    }
    /// Queries a shared table for several entities at once (single-table design): each item comes
    /// back as its own model. `key` is on the key members of any of them:
    /// `engine.query<Organization, User, Order>(bloop::attr<&Organization::org> == "acme")`.
    template <TableModel A, TableModel B, TableModel... More, class U>
    [[nodiscard]] Collection<A, B, More...> query(const ConditionOf<U>& key,
                                                  const CollectionOptions& options = {}) {
        return collection<U, A, B, More...>(target<U>(), key, options);
    }
    /// A collection query of one index of a shared table.
    template <TableModel A, TableModel B, TableModel... More, class U>
    [[nodiscard]] Collection<A, B, More...> query(const TableIndex& index,
                                                  const ConditionOf<U>& key,
                                                  const CollectionOptions& options = {}) {
        return collection<U, A, B, More...>(target<U>(index), key, options);
    }
    /// Queries an index with a key built by `bloop::index_key(index)`, checked at compile time
    /// (multi-attribute keys: see conditions/index_key.hpp).
    template <IndexKind K, auto H, auto R, class P, class MH, class MR, class Ix, std::size_t KH,
              std::size_t KR, bool KC, class T = detail::index_model_t<Index<K, H, R, P, MH, MR>>>
    [[nodiscard]] Search<T> query(const Index<K, H, R, P, MH, MR>& index,
                                  const IndexKey<Ix, KH, KR, KC>& key,
                                  const QueryOptions<T>& options = {}) {
        static_assert(std::is_same_v<std::remove_cvref_t<Ix>, Index<K, H, R, P, MH, MR>>,
                      "bloop: the key was built for another index");
        return query(index, key.condition(), options);
    }
    /// Scans T's table.
    template <TableModel T>
    [[nodiscard]] Search<T> scan(const ScanOptions<T>& options = {}) {
        return Search<T>(*core_, detail::start_search(
                                     *core_, target<T>(), nullptr, options.filter.condition(),
                                     options.projection, options.consistent, true, options.parallel,
                                     {options.limit, options.page_size, options.read_rate}));
    }
    /// Scans one of a model's indexes.
    template <IndexKind K, auto H, auto R, class P, class MH, class MR,
              class T = detail::index_model_t<Index<K, H, R, P, MH, MR>>>
    [[nodiscard]] Search<T> scan(const Index<K, H, R, P, MH, MR>& index,
                                 const ScanOptions<T>& options = {}) {
        return Search<T>(*core_, detail::start_search(
                                     *core_, target<T>(index), nullptr, options.filter.condition(),
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
        return detail::collect_segments<T>(
            client().max_in_flight(), segments, std::move(options),
            [this](const ScanOptions<T>& one) { return scan<T>(one); });
    }
    /// `scan_all_segments` of one of a model's indexes.
    template <IndexKind K, auto H, auto R, class P, class MH, class MR,
              class T = detail::index_model_t<Index<K, H, R, P, MH, MR>>>
    [[nodiscard]] std::vector<T> scan_all_segments(const Index<K, H, R, P, MH, MR>& index,
                                                   std::int64_t segments,
                                                   ScanOptions<T> options = {}) {
        return detail::collect_segments<T>(
            client().max_in_flight(), segments, std::move(options),
            [this, &index](const ScanOptions<T>& one) { return scan(index, one); });
    }
    /// `scan_all_segments` handing each result to `each(T&&)` as its page arrives, instead of
    /// keeping them: memory for a page per thread, whatever the table's size. `each` runs on the
    /// scan's threads, several at once, so it must be safe to call concurrently; an exception it
    /// throws stops the scan as a failed segment does, and is rethrown.
    template <TableModel T, class Each>
    void scan_all_segments(std::int64_t segments, ScanOptions<T> options,
                           Each&& each) requires std::invocable<Each&, T&&> {
        detail::hand_on_segments<T>(
            client().max_in_flight(), segments, std::move(options),
            [this](const ScanOptions<T>& one) { return scan<T>(one); }, each);
    }
    /// The same, of one of a model's indexes.
    template <IndexKind K, auto H, auto R, class P, class MH, class MR, class Each,
              class T = detail::index_model_t<Index<K, H, R, P, MH, MR>>>
    void scan_all_segments(const Index<K, H, R, P, MH, MR>& index, std::int64_t segments,
                           ScanOptions<T> options,
                           Each&& each) requires std::invocable<Each&, T&&> {
        detail::hand_on_segments<T>(
            client().max_in_flight(), segments, std::move(options),
            [this, &index](const ScanOptions<T>& one) { return scan(index, one); }, each);
    }

    /// The stream of T's table from `position`. Throws InvalidStream when the model has no stream
    /// or was bound without table setup.
    template <TableModel T>
    [[nodiscard]] Stream<T> stream(const StreamPosition& position);
    /// The stream of a shared table, its records as the models their entity types name (see
    /// EntityStream): `engine.stream<Organization, User, Order>(bloop::trim_horizon)`.
    template <TableModel A, TableModel B, TableModel... More>
    [[nodiscard]] EntityStream<A, B, More...> stream(const StreamPosition& position) {
        static_assert(detail::check_collection<A, B, More...>());
        return EntityStream<A, B, More...>(*core_, coordinator_of(model_info<A>(), position));
    }

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

    /// T's table, or one of its indexes (found by the static member that declares it, else by
    /// its name).
    template <class T>
    SearchTarget target() {
        return {&model_info<T>(), nullptr};
    }
    template <class T, class Ix>
    SearchTarget target(const Ix& index) {
        const ModelInfo& m = model_info<T>();
        const IndexInfo* found = m.index_declared_by(index);
        return {&m, found != nullptr ? found : m.index(index.name)};
    }
    /// A coordinator of `m`'s table stream at `position`, refreshing in the background. Throws
    /// InvalidStream when the model has no stream or was bound without table setup.
    std::unique_ptr<StreamCoordinator> coordinator_of(const ModelInfo& m,
                                                      const StreamPosition& position);
    template <class U, class... Ts>
    Collection<Ts...> collection(const SearchTarget& target, const ConditionOf<U>& key,
                                 const CollectionOptions& options) {
        static_assert((false || ... || std::is_same_v<U, Ts>),
                      "bloop: a collection's key condition is on a model it does not read");
        static_assert(detail::check_collection<Ts...>());
        const std::array<const ModelInfo*, sizeof...(Ts)> models{&model_info<Ts>()...};
        return Collection<Ts...>(
            *core_,
            detail::start_search(*core_, target, &key.condition(), Condition(), {},
                                 options.consistent, options.forward, std::nullopt,
                                 {options.limit, options.page_size, options.read_rate}, models));
    }
    template <class T>
    static std::vector<detail::ObjectRef> refs_of(std::span<T> objects) {
        std::vector<detail::ObjectRef> refs;
        refs.reserve(objects.size());
        for (auto& o : objects) refs.push_back({&model_info<T>(), &o});
        return refs;
    }

    std::unique_ptr<detail::EngineCore> core_;
};

template <TableModel T>
Stream<T> Engine::stream(const StreamPosition& position) {
    return Stream<T>(*core_, coordinator_of(model_info<T>(), position));
}

}  // namespace bloop
