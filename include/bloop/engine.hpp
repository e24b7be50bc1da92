#pragma once
/// \file
/// `bloop::Engine`: binds models to tables, then loads, saves and deletes objects (bloop's Engine).
///
/// ```cpp
/// bloop::Engine engine;                         // region, credentials, endpoints from the
/// environment engine.bind<Account>();                       // create or validate the table, wait
/// until ACTIVE engine.save(admin, support);                  // one UpdateItem each, concurrently
/// engine.save(admin, {.condition = bloop::attr<&Account::email>.is_missing(), .atomic = true});
/// engine.load(a, b);                            // BatchGetItem; fills the objects in place
/// engine.remove(admin);                         // DeleteItem
/// ```

#include <bloop/attr.hpp>
#include <bloop/client/client.hpp>
#include <bloop/condition.hpp>
#include <bloop/model.hpp>
#include <bloop/signal.hpp>

#include <chrono>
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
    /// How long `bind` waits for a table and its indexes to become ACTIVE.
    std::chrono::milliseconds bind_timeout = std::chrono::minutes(5);
};

/// Options of `bind`.
struct BindOptions {
    /// Neither create nor validate the table (the signals are still sent).
    bool skip_table_setup = false;
};

/// Options of `save` and `remove` on objects of model T.
template <class T>
struct WriteOptions {
    /// Written only if this holds.
    ConditionOf<T> condition{};
    /// Also require the stored item to be as last loaded or saved (needs an ObjectState member).
    bool atomic = false;
};

/// Options of `load`.
struct LoadOptions {
    bool consistent = false;  ///< strongly consistent reads
};

/// A model's table as bound to an engine.
struct Binding {
    std::string table_name;
    std::string stream_arn;                  ///< LatestStreamArn, when the model has a stream
    std::optional<std::int64_t> read_units;  ///< as found on the table
    std::optional<std::int64_t> write_units;
};

/// What the model signals carry.
struct ModelEvent {
    Engine& engine;
    const ModelInfo& model;
};
/// What the object signals carry.
struct ObjectEvent {
    Engine& engine;
    const ModelInfo& model;
    void* object;
};
/// What object_modified carries: a column the engine wrote into an object.
struct ColumnEvent {
    Engine& engine;
    const ModelInfo& model;
    void* object;
    const ColumnInfo& column;
};

/// An object as the runtime sees it.
struct ObjectRef {
    const ModelInfo* model;
    void* object;
};

/// Binds models and moves objects in and out of DynamoDB. Safe to share between threads (by
/// reference); bulk operations run their requests concurrently (up to the client's max_in_flight).
class Engine {
  public:
    /// A client from the environment.
    Engine();
    explicit Engine(EngineOptions options);
    /// Uses `client` (copies share connections).
    explicit Engine(Client client, EngineOptions options = {});
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    /// The low-level client.
    [[nodiscard]] const Client& client() const noexcept;

    /// For each model: before_create_table; CreateTable (an existing table is fine); wait until the
    /// table and its GSIs are ACTIVE (polling DescribeTable with backoff); validate the table
    /// against the model (TableMismatch says what differs); model_validated; model_bound.
    /// Abstract models are skipped.
    template <TableModel... T>
    void bind(const BindOptions& options = {}) {
        (bind_model(model_info<T>(), options), ...);
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
        ObjectRef ref{&model_info<T>(), &object};
        write(std::span(&ref, 1), options.condition.condition(), options.atomic, false);
    }
    /// Saves objects of one model concurrently. When some fail, WriteFailed lists exactly those;
    /// the others are saved and signalled.
    template <TableModel T>
    void save(std::span<T> objects, const WriteOptions<T>& options = {}) {
        auto refs = refs_of(objects);
        write(refs, options.condition.condition(), options.atomic, false);
    }
    template <TableModel T>
    void save(std::vector<T>& objects, const WriteOptions<T>& options = {}) {
        save(std::span<T>(objects), options);
    }
    /// Saves several objects, of any bound models, concurrently.
    template <TableModel A, TableModel B, TableModel... More>
    void save(A& a, B& b, More&... more) {
        std::vector<ObjectRef> refs{
            {&model_info<A>(), &a}, {&model_info<B>(), &b}, {&model_info<More>(), &more}...};
        write(refs, Condition(), false, false);
    }

    /// Deletes one object with DeleteItem. Throws MissingKey before sending and
    /// ConstraintViolation when the condition fails.
    template <TableModel T>
    void remove(T& object, const WriteOptions<T>& options = {}) {
        ObjectRef ref{&model_info<T>(), &object};
        write(std::span(&ref, 1), options.condition.condition(), options.atomic, true);
    }
    /// Deletes objects of one model concurrently (see save).
    template <TableModel T>
    void remove(std::span<T> objects, const WriteOptions<T>& options = {}) {
        auto refs = refs_of(objects);
        write(refs, options.condition.condition(), options.atomic, true);
    }
    template <TableModel T>
    void remove(std::vector<T>& objects, const WriteOptions<T>& options = {}) {
        remove(std::span<T>(objects), options);
    }
    /// Deletes several objects, of any bound models, concurrently.
    template <TableModel A, TableModel B, TableModel... More>
    void remove(A& a, B& b, More&... more) {
        std::vector<ObjectRef> refs{
            {&model_info<A>(), &a}, {&model_info<B>(), &b}, {&model_info<More>(), &more}...};
        write(refs, Condition(), false, true);
    }

    /// Loads objects in place by their keys with BatchGetItem (100 keys a request, requests in
    /// flight concurrently, UnprocessedKeys retried with backoff). Objects with the same key share
    /// one requested key. Throws MissingObjects listing exactly the objects not found; the found
    /// ones are loaded and signalled.
    template <TableModel... T>
    void load(T&... objects) {
        std::vector<ObjectRef> refs{{&model_info<T>(), &objects}...};
        load_objects(refs, LoadOptions{});
    }
    /// Loads objects of one model.
    template <TableModel T>
    void load(std::span<T> objects, const LoadOptions& options = {}) {
        auto refs = refs_of(objects);
        load_objects(refs, options);
    }

    template <TableModel T>
    void load(std::vector<T>& objects, const LoadOptions& options = {}) {
        load(std::span<T>(objects), options);
    }

    // ---- the runtime beneath the templates
    // ---------------------------------------------------------
    void bind_model(const ModelInfo& model, const BindOptions& options);
    [[nodiscard]] Binding binding_of(const ModelInfo& model) const;
    void write(std::span<const ObjectRef> objects, const Condition& condition, bool atomic,
               bool remove);
    void load_objects(std::span<const ObjectRef> objects, const LoadOptions& options);

    // ---- signals (bloop's)
    // ---------------------------------------------------------------------------
    Signal<const ModelEvent&> before_create_table;
    Signal<const ModelEvent&> model_validated;
    Signal<const ModelEvent&> model_bound;
    Signal<const ObjectEvent&> object_loaded;
    Signal<const ObjectEvent&> object_saved;
    Signal<const ObjectEvent&> object_deleted;
    Signal<const ColumnEvent&> object_modified;

  private:
    template <class T>
    static std::vector<ObjectRef> refs_of(std::span<T> objects) {
        std::vector<ObjectRef> refs;
        refs.reserve(objects.size());
        for (auto& o : objects) refs.push_back({&model_info<T>(), &o});
        return refs;
    }

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace bloop
