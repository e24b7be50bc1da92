#pragma once
/// \file
/// bloop's Stream: `engine.stream<T>(position)` reads a model's table stream as typed records,
/// over every shard, in order, resumable by token, without losing records at shard boundaries.
///
/// ```cpp
/// auto stream = engine.stream<Account>(bloop::trim_horizon);
/// while (auto record = stream.next()) { ... record->new_image ... }   // nothing waiting: nullopt
/// std::string token = stream.token();   // persist it, and later resume:
/// auto again = engine.stream<Account>(bloop::StreamPosition::from_token(token));
/// ```

#include <bloop/engine/detail/core.hpp>
#include <bloop/stream/coordinator.hpp>

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <variant>

namespace bloop {

/// Where a stream starts: the trim horizon, the latest record, a point in time, or a token.
class StreamPosition {
  public:
    /// The oldest record still in the stream.
    struct TrimHorizon {};
    /// Just after the newest record.
    struct Latest {};
    /// `bloop::trim_horizon` / `bloop::latest`.
    StreamPosition(TrimHorizon) : where_(TrimHorizon{}) {}  // NOLINT(google-explicit-constructor)
    StreamPosition(Latest) : where_(Latest{}) {}            // NOLINT(google-explicit-constructor)
    /// bloop's time seek (expensive: reads from the trim horizon up to `t`).
    StreamPosition(std::chrono::sys_seconds t)
        : where_(t) {}  // NOLINT(google-explicit-constructor)
    /// "trim_horizon" or "latest", in any case. Throws InvalidPosition for anything else.
    static StreamPosition from_name(std::string_view name);
    /// A token from `Stream::token()`.
    static StreamPosition from_token(std::string token);

    /// Moves `coordinator` here.
    void apply(StreamCoordinator& coordinator) const;

  private:
    struct Token {
        std::string text;
    };
    explicit StreamPosition(Token t) : where_(std::move(t)) {}
    std::variant<TrimHorizon, Latest, std::chrono::sys_seconds, Token> where_;
};

/// Start at the oldest record still in the stream.
inline constexpr StreamPosition::TrimHorizon trim_horizon{};
/// Start after the newest record.
inline constexpr StreamPosition::Latest latest{};

/// What a record says about its event.
struct RecordMeta {
    std::chrono::sys_seconds created_at;  ///< ApproximateCreationDateTime
    /// The record's eventID.
    std::string event_id;
    std::string event_type;  ///< "insert", "modify", "remove" (lower-cased eventName)
    /// The record's eventVersion ("1.1").
    std::string event_version;
    /// The record's SequenceNumber within its shard.
    std::string sequence_number;
    /// A "remove" made by the table's TTL (the item expired), not by a writer.
    bool ttl_expired = false;
};

/// One change to an object of T. Each image is present only when the model's stream view includes
/// it and the event carries it: `key` for KEYS_ONLY, `new_image` for NEW_IMAGE and
/// NEW_AND_OLD_IMAGES, `old_image` for OLD_IMAGE and NEW_AND_OLD_IMAGES.
template <class T>
struct Record {
    /// The keys (KEYS_ONLY streams).
    std::optional<T> key;
    /// The object before the change.
    std::optional<T> old_image;
    /// The object after the change.
    std::optional<T> new_image;
    /// What the record says about its event.
    RecordMeta meta;
};

namespace detail {

/// `record` as a Record<T>, its images loaded through the engine's core (object_loaded fires for
/// each).
template <class T>
Record<T> typed_record(EngineCore& core, StreamRecord&& r) {
    const ModelInfo& m = model_info<T>();
    const auto view = *m.stream;
    Record<T> out{{},
                  {},
                  {},
                  {r.created_at, std::move(r.event_id), std::move(r.event_type),
                   std::move(r.event_version), std::move(r.sequence_number), r.ttl_expired}};
    const auto image = [&](std::optional<Item>& wire, std::span<const std::size_t> columns) {
        std::optional<T> object;
        if (!wire) return object;
        object.emplace();
        deliver(core, m, &*object, std::move(*wire), columns);
        return object;
    };
    if (view == StreamView::keys_only) out.key = image(r.keys, m.key_columns());
    if (view == StreamView::new_image || view == StreamView::new_and_old_images) {
        out.new_image = image(r.new_image, m.projection.available);
    }
    if (view == StreamView::old_image || view == StreamView::new_and_old_images) {
        out.old_image = image(r.old_image, m.projection.available);
    }
    return out;
}

/// A record of several models: Record<T> for one model, a variant of their Records for several.
template <class... Ts>
struct BatchRecord {
    using type = std::variant<Record<Ts>...>;
};
template <class T>
struct BatchRecord<T> {
    using type = Record<T>;
};
template <class T>
const std::string& sequence_number_of(const Record<T>& record) {
    return record.meta.sequence_number;
}
template <class... Ts>
const std::string& sequence_number_of(const std::variant<Record<Ts>...>& record) {
    return std::visit([](const auto& r) -> const std::string& { return r.meta.sequence_number; },
                      record);
}

/// `r` as the Record of the model among Ts its entity type names; nullopt for another entity's
/// record (see entity_of).
template <class... Ts>
std::optional<std::variant<Record<Ts>...>> entity_record(EngineCore& core,
                                                         std::span<const ModelInfo* const> models,
                                                         StreamRecord&& r) {
    const std::optional<Item>& image =
        r.new_image ? r.new_image : (r.old_image ? r.old_image : r.keys);
    if (!image) return std::nullopt;
    const std::optional<std::size_t> which = entity_of(core, *image, models);
    if (!which) return std::nullopt;
    std::optional<std::variant<Record<Ts>...>> out;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((*which == I ? (out.emplace(std::in_place_index<I>,
                                     typed_record<std::tuple_element_t<I, std::tuple<Ts...>>>(
                                         core, std::move(r))),
                         0)
                      : 0),
         ...);
    }
    (std::index_sequence_for<Ts...>{});
    return out;
}

/// `r` as a Record<T>; nullopt when T is an entity of a shared table and the record is of another
/// of its entities.
template <class T>
std::optional<Record<T>> record_of(EngineCore& core, StreamRecord&& r) {
    if constexpr (SharedTableModel<T>) {
        const ModelInfo* models[] = {&model_info<T>()};
        auto record = entity_record<T>(core, models, std::move(r));
        if (!record) return std::nullopt;
        return std::get<0>(std::move(*record));
    } else {
        return typed_record<T>(core, std::move(r));
    }
}
}  // namespace detail

namespace detail {
/// What Stream<T> and EntityStream<Ts...> share: a coordinator over the table's shards, which
/// refreshes their iterators in the background.
class StreamReader {
  public:
    /// Moves the stream (bloop's move_to).
    void move_to(const StreamPosition& position) { position.apply(*coordinator_); }
    /// A token that resumes exactly after the last record returned, in this or another process.
    [[nodiscard]] std::string token() const { return coordinator_->token(); }
    /// Keeps idle shards' iterators alive (bloop's heartbeat; next() does this work too).
    void heartbeat() { coordinator_->heartbeat(); }

  protected:
    StreamReader(EngineCore& core, std::unique_ptr<StreamCoordinator> coordinator)
        : core_(&core), coordinator_(std::move(coordinator)) {}

    EngineCore* core_;
    std::unique_ptr<StreamCoordinator> coordinator_;
};
}  // namespace detail

/// A model's stream (of a shared table's entity: only its records). Not thread-safe: one reader
/// per Stream.
template <class T>
class Stream : public detail::StreamReader {
  public:
    /// The next record, or nullopt when none is waiting (never blocks for long, never ends).
    /// object_loaded fires for each image.
    std::optional<Record<T>> next() {
        for (;;) {
            std::optional<StreamRecord> r = coordinator_->next();
            if (!r) return std::nullopt;
            // Of a shared table: its other entities' records are passed over.
            if (auto record = detail::record_of<T>(*core_, std::move(*r))) return record;
        }
    }

  private:
    friend class Engine;
    Stream(detail::EngineCore& core, std::unique_ptr<StreamCoordinator> coordinator)
        : StreamReader(core, std::move(coordinator)) {}
};

/// The stream of a shared table read as several entities (single-table design): each record comes
/// as the Record of the model its entity type names (`engine.stream<Organization, User,
/// Order>(bloop::trim_horizon)`). Records of the table's other entities are passed over; a record
/// with no entity type is matched by its keys against the models' key templates, and one that
/// matches none is skipped with a warning or raises WrongEntity, as the table's
/// `EntityTypes::unknown` says. Not thread-safe: one reader per stream.
template <class... Ts>
class EntityStream : public detail::StreamReader {
  public:
    /// One record: a Record of one of the models.
    using value_type = std::variant<Record<Ts>...>;

    /// The next record of one of the models, or nullopt when none is waiting.
    std::optional<value_type> next() {
        for (;;) {
            std::optional<StreamRecord> r = coordinator_->next();
            if (!r) return std::nullopt;
            if (auto record = detail::entity_record<Ts...>(*core_, models_, std::move(*r)))
                return record;
        }
    }

  private:
    friend class Engine;
    EntityStream(detail::EngineCore& core, std::unique_ptr<StreamCoordinator> coordinator)
        : StreamReader(core, std::move(coordinator)), models_{&model_info<Ts>()...} {}

    std::array<const ModelInfo*, sizeof...(Ts)> models_;
};

}  // namespace bloop
