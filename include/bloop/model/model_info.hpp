#pragma once
/// \file
/// `bloop::ModelInfo`: the runtime description a model is lowered into once (by
/// `bloop::model_info<T>()`), used by the engine, the renderer and streams. It can also be built
/// by hand and checked with `finalize_model`.

#include <bloop/model/meta.hpp>
#include <bloop/model/object_state.hpp>
#include <bloop/types/attribute_value.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bloop {
namespace detail {
struct ModelAccess;  // the engine's untyped door to the accessors below (model/model.hpp)
}  // namespace detail

/// One column.
struct ColumnInfo {
    std::string name;         ///< the C++ member name
    std::string dynamo_name;  ///< the attribute name in DynamoDB
    /// The wire type (any type for AttributeValue columns).
    AttributeType backing = AttributeType::S;
    bool dynamic = false;  ///< holds values of any type
    /// Whether the column is the table's hash key.
    bool hash_key = false;
    /// Whether the column is the table's range key.
    bool range_key = false;

    /// How the runtime reads and writes the member in an object of the model, filled by
    /// `model_info<T>()` (empty in hand-built descriptions). Typed use goes through
    /// `ModelInfo::dump` and `ModelInfo::load`.
    class Access {
      public:
        /// Whether the member can be reached (false in hand-built descriptions).
        explicit operator bool() const noexcept { return dump_ != nullptr; }

      private:
        friend struct detail::ModelAccess;
        std::optional<AttributeValue> (*dump_)(const void* object) = nullptr;
        void (*load_)(void* object, AttributeValue&& wire) = nullptr;
        void (*reset_)(void* object) = nullptr;
    };
    Access access{};  ///< the member's accessors
    /// An attribute of a shared table that this model never stores (another entity's index key):
    /// it shapes the table and is never written, loaded or projected.
    bool absent = false;
};

/// A key attribute rendered from members with a template (single-table design):
/// literals[0] {placeholders[0]} literals[1] ... literals[n].
struct KeyTemplateInfo {
    std::string attribute;              ///< the key attribute (its column's dynamo_name)
    std::string text;                   ///< the template as declared ("ORDER#{date}#{id}")
    std::vector<std::string> literals;  ///< the fixed text: one more than the placeholders
    /// One `{member}` or `{member:0N}`.
    struct Placeholder {
        std::string member;  ///< the C++ member's name
        int width = 0;       ///< 0: a string; N: an integer zero-padded to N digits
    };
    std::vector<Placeholder> placeholders;  ///< in order
    std::size_t column = 0;                 ///< the column storing the attribute
};

/// What a read does with an item whose entity type is none of the models it reads.
enum class UnknownEntities {
    skip,   ///< pass over it (a warning is logged)
    raise,  ///< throw WrongEntity
};

/// The entity type a model writes on every item of a shared table.
struct EntityInfo {
    std::string name;                                 ///< the type name ("User")
    std::string attribute;                            ///< the attribute holding it ("_et")
    std::optional<std::int64_t> version;              ///< the schema version, when declared
    std::string version_attribute;                    ///< the attribute holding the version ("_ev")
    UnknownEntities unknown = UnknownEntities::skip;  ///< the table's rule for unknown types
    std::size_t column = 0;                           ///< the column writing the type
};

/// bloop's projection modes.
enum class ProjectionMode { keys, all, include };

/// A projection with bloop's derived sets (column indices, ascending).
struct ProjectionInfo {
    /// keys, all or include.
    ProjectionMode mode = ProjectionMode::all;
    std::vector<std::size_t> included;  ///< what the table or index holds
    /// What a query may ask for: included, or all when not strict.
    std::vector<std::size_t> available;
    /// bloop's strict: queries may ask only for what the index holds.
    bool strict = true;
};

/// A GSI or an LSI.
enum class IndexKind { global, local };

/// One secondary index. Keys and projected columns are named by C++ member name and resolved by
/// `finalize_model`.
struct IndexInfo {
    /// GSI or LSI.
    IndexKind kind = IndexKind::global;
    std::string name;              ///< the C++ name
    std::string dynamo_name;       ///< the IndexName
    std::string hash_key_column;   ///< GSI only; an LSI's hash key is the table's
    std::string range_key_column;  ///< optional for a GSI, required for an LSI
    /// A multi-attribute GSI key's further columns, in key order after hash_key_column and
    /// range_key_column (DynamoDB takes up to 4 hash and 4 range attributes per GSI).
    std::vector<std::string> more_hash_columns, more_range_columns;
    /// As declared.
    ProjectionMode projection_mode = ProjectionMode::keys;
    std::vector<std::string> include_columns;             ///< for ProjectionMode::include
    std::optional<std::int64_t> read_units, write_units;  ///< GSI only
    bool strict = true;                                   ///< LSI only may relax it
    // Resolved by finalize_model:
    /// The index's key columns (an LSI's hash key is the table's).
    std::optional<std::size_t> hash_key, range_key;
    /// The further key columns of a multi-attribute GSI key, in key order.
    std::vector<std::size_t> more_hash_keys, more_range_keys;
    /// Every hash key column, then every range key column, in key order.
    [[nodiscard]] std::vector<std::size_t> hash_keys() const {
        std::vector<std::size_t> out;
        if (hash_key) out.push_back(*hash_key);
        out.insert(out.end(), more_hash_keys.begin(), more_hash_keys.end());
        return out;
    }
    /// Every range key column, in key order.
    [[nodiscard]] std::vector<std::size_t> range_keys() const {
        std::vector<std::size_t> out;
        if (range_key) out.push_back(*range_key);
        out.insert(out.end(), more_range_keys.begin(), more_range_keys.end());
        return out;
    }
    /// What the index holds and may be asked for.
    ProjectionInfo projection;
    /// The static member that declares the index (listed with `indexes<&member>()`), if any.
    class Declaration {
      public:
        /// Whether a static member declares the index.
        explicit operator bool() const noexcept { return at_ != nullptr; }
        /// Whether `member` is the static member that declares the index.
        template <class Ix>
        [[nodiscard]] bool is(const Ix& member) const noexcept {
            return at_ != nullptr && at_ == static_cast<const void*>(&member);
        }

      private:
        friend struct detail::ModelAccess;
        const void* at_ = nullptr;
    };
    Declaration declared_by{};  ///< the index's declaring member
};

/// A table's key columns as column indices, hash then range: one or two, held in place.
class KeyColumns {
  public:
    /// The columns that are set, hash first.
    KeyColumns(std::optional<std::size_t> hash, std::optional<std::size_t> range) noexcept {
        if (hash) at_[count_++] = *hash;
        if (range) at_[count_++] = *range;
    }
    [[nodiscard]] const std::size_t* begin() const noexcept { return at_.data(); }
    [[nodiscard]] const std::size_t* end() const noexcept { return at_.data() + count_; }
    [[nodiscard]] std::size_t size() const noexcept { return count_; }
    [[nodiscard]] bool empty() const noexcept { return count_ == 0; }
    /// The i-th key column (0: hash, 1: range); i < size().
    [[nodiscard]] std::size_t operator[](std::size_t i) const noexcept { return at_[i]; }

  private:
    std::array<std::size_t, 2> at_{};
    std::size_t count_ = 0;
};

/// A model: columns, keys, indexes and table settings.
struct ModelInfo {
    std::string name;        ///< the struct's name, for messages
    std::string table_name;  ///< defaults to `name`
    /// Meta::abstract: no table, no key rules.
    bool abstract = false;
    bool document = false;  ///< a nested map type, not a table
    /// The columns, in declaration order.
    std::vector<ColumnInfo> columns;
    /// The indexes, in declaration order.
    std::vector<IndexInfo> indexes;
    /// The stream view, when the table has a stream.
    std::optional<StreamView> stream;
    /// The table's units as declared (unset: not declared).
    std::optional<std::int64_t> read_units, write_units;
    /// How the runtime finds an object's ObjectState member, when the model has one; typed use
    /// goes through `ModelInfo::state_of`.
    class StateAccess {
      public:
        /// Whether the model's objects carry an ObjectState.
        explicit operator bool() const noexcept { return state_ != nullptr; }

      private:
        friend struct detail::ModelAccess;
        ObjectState* (*state_)(void* object) = nullptr;
    };
    StateAccess state{};  ///< whether (and how) objects carry an ObjectState
    /// The version column (optimistic locking, `Model<T>::version`), when the model has one.
    std::optional<std::size_t> version;
    /// The table's TTL attribute (`Model<T>::ttl`), when the model has one.
    std::optional<std::size_t> ttl;
    /// The entity type, for a model of a shared table (`using table = ...` in its Model).
    std::optional<EntityInfo> entity;
    /// The key attributes rendered from members (single-table design).
    std::vector<KeyTemplateInfo> key_templates;
    /// Meta::billing.
    std::optional<Billing> billing;
    /// Meta::deletion_protection.
    std::optional<bool> deletion_protection;
    /// Meta::encryption (the key copied).
    struct EncryptionInfo {
        bool kms = false;     ///< a KMS key rather than the AWS owned one
        std::string kms_key;  ///< the customer managed key; empty: aws/dynamodb
    };
    std::optional<EncryptionInfo> encryption;               ///< Meta::encryption
    std::optional<bool> point_in_time_recovery;             ///< Meta::point_in_time_recovery
    std::optional<TableClass> table_class;                  ///< Meta::table_class
    std::vector<std::pair<std::string, std::string>> tags;  ///< Meta::tags

    // Resolved by finalize_model:
    /// The table's key columns.
    std::optional<std::size_t> hash_key, range_key;
    ProjectionInfo projection;              ///< mode all, every column
    std::vector<std::size_t> dynamo_order;  ///< column indices sorted by dynamo_name

    /// The column with this C++ name, or nullptr.
    [[nodiscard]] const ColumnInfo* column(std::string_view name) const noexcept;
    /// The index of the column with this C++ name, or nullopt.
    [[nodiscard]] std::optional<std::size_t> column_index(std::string_view name) const noexcept;
    /// The index with this C++ name, or nullptr.
    [[nodiscard]] const IndexInfo* index(std::string_view name) const noexcept;
    /// The index the static member `member` declares; nullptr when none.
    template <class Ix>
    [[nodiscard]] const IndexInfo* index_declared_by(const Ix& member) const noexcept {
        for (const auto& ix : indexes) {
            if (ix.declared_by.is(member)) return &ix;
        }
        return nullptr;
    }
    /// Column `column` of `object` as it is written (nullopt: no value). Throws InvalidArgument
    /// when `object` is not of this model. (Defined in model/model.hpp.)
    template <class T>
    [[nodiscard]] std::optional<AttributeValue> dump(std::size_t column, const T& object) const;
    /// Loads column `column` of `object` from `value`; InvalidArgument as `dump`.
    template <class T>
    void load(std::size_t column, T& object, AttributeValue value) const;
    /// The ObjectState of `object`, nullptr when the model has none; InvalidArgument as `dump`.
    template <class T>
    [[nodiscard]] ObjectState* state_of(T& object) const;
    /// The key columns (hash, then range), as indices.
    [[nodiscard]] KeyColumns key_columns() const noexcept { return {hash_key, range_key}; }
};

/// Checks `info` against bloop's rules and fills its resolved fields. Throws InvalidModel (keys,
/// names, units), InvalidIndex (LSI rules, unknown or non-key-type index columns, names) with
/// messages naming the model, index and column.
void finalize_model(ModelInfo& info);

}  // namespace bloop
