#pragma once
/// \file
/// `bloop::Meta`, a table model's table settings, and `bloop::StreamView`.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string_view>

namespace bloop {

/// What a table's stream records carry: bloop's `{"include": ...}` sets {keys}, {new}, {old},
/// {new, old}. No other combination exists.
enum class StreamView {
    keys_only,           ///< include {"keys"}: KEYS_ONLY
    new_image,           ///< include {"new"}: NEW_IMAGE
    old_image,           ///< include {"old"}: OLD_IMAGE
    new_and_old_images,  ///< include {"new", "old"}: NEW_AND_OLD_IMAGES
};

/// The view for bloop's include set. Throws InvalidStream for an empty set, an unknown value, or
/// {"keys", "new"} / {"keys", "old"}.
[[nodiscard]] StreamView stream_view_from_include(std::initializer_list<std::string_view> include);
/// The StreamViewType DynamoDB uses ("NEW_AND_OLD_IMAGES").
[[nodiscard]] std::string_view stream_view_type(StreamView view) noexcept;
/// The view of a StreamViewType; throws InvalidStream for anything else.
[[nodiscard]] StreamView stream_view_from_type(std::string_view type);

/// How the table pays for reads and writes.
enum class Billing {
    provisioned,  ///< PROVISIONED: read_units / write_units (1 when unset)
    on_demand,    ///< PAY_PER_REQUEST: no units, on the table or its GSIs
};

/// Server-side encryption at rest (SSESpecification).
struct Encryption {
    /// false: the AWS owned key (DynamoDB's default); true: a KMS key.
    bool kms = false;
    /// With `kms`: the customer managed key (id, ARN or alias); empty: the AWS managed key
    /// (aws/dynamodb).
    std::string_view kms_key{};
};

/// The table class (TableClass).
enum class TableClass {
    standard,                    ///< STANDARD
    standard_infrequent_access,  ///< STANDARD_INFREQUENT_ACCESS
};

/// One table tag.
struct TableTag {
    std::string_view key;    ///< the tag's key
    std::string_view value;  ///< its value
};

/// A table model's table settings (bloop's `class Meta`). The TTL attribute is a column:
/// `Model<T>::ttl = &T::expires` (a bloop::Timestamp).
struct Meta {
    /// The table's name; empty: the struct's unqualified name.
    std::string_view table_name{};
    /// An abstract model has no table: it cannot be bound, loaded, saved or queried.
    bool abstract = false;
    /// Provisioned read/write units; unset: 1 on create, and any existing value on validation.
    std::optional<std::int64_t> read_units{};
    /// The table's write capacity units (unset: 1 on creation, anything on validation).
    std::optional<std::int64_t> write_units{};
    /// The table's stream; unset: no stream.
    std::optional<StreamView> stream{};
    /// Provisioned units or on demand; unset: provisioned on creation, anything on validation.
    std::optional<Billing> billing{};
    /// Whether DeleteTable is refused (DeletionProtectionEnabled); unset: not checked.
    std::optional<bool> deletion_protection{};
    /// Encryption at rest; unset: DynamoDB's default on creation, not checked.
    std::optional<Encryption> encryption{};
    /// Point-in-time recovery (continuous backups); unset: not checked.
    std::optional<bool> point_in_time_recovery{};
    /// The table class; unset: STANDARD on creation, not checked.
    std::optional<TableClass> table_class{};
    /// Tags the table must carry (others may exist), e.g. a `static constexpr bloop::TableTag tags[]`.
    std::span<const TableTag> tags{};
};

}  // namespace bloop
