#pragma once
/// \file
/// `bloop::Collection<Ts...>`: one query over a shared table returning several entity types, each
/// item as its own struct (single-table design).
///
/// ```cpp
/// auto acme = engine.query<Organization, User, Order>(bloop::attr<&Organization::org> == "acme");
/// for (const auto& item : acme) {
///     if (const User* u = std::get_if<User>(&item)) greet(*u);
/// }
/// auto all = acme.collect();  // one vector per entity
/// std::size_t orders = all.of<Order>().size();
/// ```

#include <bloop/engine/detail/core.hpp>
#include <bloop/engine/detail/result_iterator.hpp>
#include <bloop/model/model.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

namespace bloop {

/// Options of a collection query.
struct CollectionOptions {
    bool consistent = false;             ///< dropped for GSIs, which cannot read consistently
    bool forward = true;                 ///< ScanIndexForward
    std::optional<std::size_t> limit{};  ///< stop after this many results
    /// Items DynamoDB evaluates per request (its Limit; ≥ 1); unset: up to 1 MB a page.
    std::optional<std::size_t> page_size{};
    /// Read capacity units per second to stay under, paced from each page's ConsumedCapacity.
    std::optional<double> read_rate{};
};

/// A collection's results sorted by entity: one vector per model, in the order read.
template <class... Ts>
struct CollectionItems {
    std::tuple<std::vector<Ts>...> items;  ///< one vector per model
    /// The items of model T.
    template <class T>
    [[nodiscard]] std::vector<T>& of() noexcept {
        return std::get<std::vector<T>>(items);
    }
    template <class T>
    [[nodiscard]] const std::vector<T>& of() const noexcept {
        return std::get<std::vector<T>>(items);
    }
};

namespace detail {

/// Whether the models of a collection share one table and have distinct entity names.
template <class... Ts>
consteval bool check_collection() {
    static_assert((true && ... && SharedTableModel<Ts>),
                  "bloop: a collection reads models of one shared table (`using table = ...` in "
                  "each Model)");
    if constexpr ((true && ... && SharedTableModel<Ts>)) {
        using First = typename Model<std::tuple_element_t<0, std::tuple<Ts...>>>::table;
        static_assert((true && ... && std::is_same_v<typename Model<Ts>::table, First>),
                      "bloop: the models of a collection must share one table declaration");
        constexpr std::array<std::string_view, sizeof...(Ts)> names{entity_name_of<Ts>()...};
        constexpr bool distinct = [&] {
            for (std::size_t i = 0; i < names.size(); ++i) {
                for (std::size_t j = i + 1; j < names.size(); ++j) {
                    if (names[i] == names[j]) return false;
                }
            }
            return true;
        }();
        static_assert(distinct,
                      "bloop: two models of a collection have the same entity type name: give one "
                      "another with `static constexpr bloop::Entity entity{.name = ...}`");
    }
    return true;
}

}  // namespace detail

/// The results of a collection query: each item as the model its entity type names, as a
/// `std::variant<Ts...>`. Lazy, paged and resumable as Search<T>; items of other entity types are
/// not read (the query filters on the entity type attribute).
template <class... Ts>
class Collection {
    static_assert(detail::check_collection<Ts...>());

  public:
    /// One result: an object of one of the models.
    using value_type = std::variant<Ts...>;

    /// The next result, or nullopt.
    std::optional<value_type> next() {
        for (;;) {
            std::optional<Item> item = cursor_.next();
            if (!item) return std::nullopt;
            if (auto object = dispatch(std::move(*item))) return object;
        }
    }
    /// The results of one page (see Search<T>::next_page()).
    std::vector<value_type> next_page() {
        std::vector<value_type> page;
        for (auto& item : cursor_.next_page()) {
            if (auto object = dispatch(std::move(item))) page.push_back(std::move(*object));
        }
        return page;
    }
    /// The first result, from the start. Throws ConstraintViolation when there is none.
    value_type first() {
        cursor_.reset();
        std::optional<value_type> result = next();
        if (!result) throw ConstraintViolation("Query did not find any results.");
        return std::move(*result);
    }
    /// The only result, from the start. Throws ConstraintViolation when there is none or more.
    value_type one() {
        value_type result = first();
        if (next()) throw ConstraintViolation("Query found more than one result.");
        return result;
    }
    /// Every remaining result, one vector per model.
    CollectionItems<Ts...> collect() {
        CollectionItems<Ts...> out;
        while (auto object = next()) {
            std::visit(
                [&](auto& o) {
                    out.template of<std::decay_t<decltype(o)>>().push_back(std::move(o));
                },
                *object);
        }
        return out;
    }
    /// Starts over.
    void reset() { cursor_.reset(); }
    /// DynamoDB's Count so far: items of the collection's entities read.
    [[nodiscard]] std::int64_t count() const noexcept { return cursor_.count(); }
    /// DynamoDB's ScannedCount so far: items evaluated, of any entity.
    [[nodiscard]] std::int64_t scanned() const noexcept { return cursor_.scanned(); }
    [[nodiscard]] bool exhausted() const noexcept { return cursor_.exhausted(); }
    /// A token that continues after the last result returned, in this or another process.
    [[nodiscard]] std::string token() const { return cursor_.token(); }
    /// Continues after the result `token` names.
    void resume(const std::string& token) { cursor_.resume(token); }

    /// Input iteration over the remaining results.
    using iterator = detail::ResultIterator<Collection, value_type>;
    /// Iterates over the remaining results.
    iterator begin() { return iterator(this); }
    /// The end of the results.
    iterator end() { return iterator(); }

  private:
    friend class Engine;
    Collection(detail::EngineCore& core, detail::SearchCursor cursor)
        : core_(&core), cursor_(std::move(cursor)), models_{&model_info<Ts>()...} {}

    template <std::size_t I>
    value_type load_as(Item&& item) {
        const ModelInfo& m = *models_[I];
        const SearchTarget& target = cursor_.target();
        const ProjectionInfo* projection = &m.projection;
        if (target.index != nullptr) projection = &m.index(target.index->name)->projection;
        value_type out(std::in_place_index<I>);
        detail::deliver(*core_, m, &std::get<I>(out), std::move(item), projection->available);
        return out;
    }
    std::optional<value_type> dispatch(Item&& item) {
        const std::optional<std::size_t> which = detail::entity_of(*core_, item, models_);
        if (!which) return std::nullopt;
        std::optional<value_type> out;
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((*which == I ? (out = load_as<I>(std::move(item)), 0) : 0), ...);
        }
        (std::index_sequence_for<Ts...>{});
        return out;
    }

    detail::EngineCore* core_;
    detail::SearchCursor cursor_;
    std::array<const ModelInfo*, sizeof...(Ts)> models_{};
};

}  // namespace bloop
