#pragma once
/// \file
/// bloop's rules for what a Query or Scan may ask (BEHAVIOUR.md §1.10, with bloop's defects fixed):
/// key conditions, filters and projections, checked before any request is sent.

#include <bloop/conditions/condition.hpp>
#include <bloop/model/model_info.hpp>

#include <optional>
#include <string>
#include <vector>

namespace bloop {

/// What a query or scan reads: a model's table, or one of its indexes.
struct SearchTarget {
    /// The model searched.
    const ModelInfo* model = nullptr;
    const IndexInfo* index = nullptr;  ///< nullptr: the table

    /// "<Model[Account]>", "<GSI[Account.by_email]>", "<LSI[Post.by_date]>".
    [[nodiscard]] std::string describe() const;
    /// The target's hash and range key columns (an LSI's hash key is the table's).
    [[nodiscard]] std::optional<std::size_t> hash_key() const noexcept;
    [[nodiscard]] std::optional<std::size_t> range_key() const noexcept;
    /// The target's projection (the model's: every column).
    [[nodiscard]] const ProjectionInfo& projection() const noexcept;
};

/// bloop's `projection=` argument: "all", "count", or a list of columns (C++ names).
struct ProjectionSpec {
    /// all: every available column; count: Select COUNT; columns: the listed ones.
    enum class Mode { all, count, columns };
    /// What to read.
    Mode mode = Mode::all;
    /// The columns (C++ names) for Mode::columns.
    std::vector<std::string> columns;
};

/// What to ask for and load.
struct ResolvedProjection {
    bool count = false;                ///< Select COUNT: no items come back
    std::vector<std::size_t> columns;  ///< ascending column indices; always holds the table keys
};

/// Throws InvalidKeyCondition unless `key` is `hash == value`, optionally AND (in either order) one
/// condition on the range key among ==, <, <=, >, >=, between, begins_with — with the target's
/// keys.
void check_key_condition(const SearchTarget& target, const Condition& key);

/// Throws InvalidFilterCondition when the filter names a column of another model or one the target
/// does not make available, or (for a Query) one of the target's own keys. Document paths are fine.
void check_filter(const SearchTarget& target, const Condition& filter, bool query);

/// "count" → count; "all" → the target's included columns; columns → those columns (each must be
/// available in the target) plus the table's keys, so results can be saved back. Throws
/// InvalidProjection naming the column.
[[nodiscard]] ResolvedProjection resolve_projection(const SearchTarget& target,
                                                    const ProjectionSpec& spec);

}  // namespace bloop
