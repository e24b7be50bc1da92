#pragma once
// Conditions on members kept in key templates (attr<&User::org> on a shared-table model) written
// on the key attributes before they are checked and rendered.

#include <bloop/conditions/condition.hpp>

#include <cstddef>
#include <span>

namespace bloop::detail {

/// Whether `c` compares a member kept in key templates.
[[nodiscard]] bool has_key_members(const Condition& c);

/// `c` with every comparison on key members written on key attributes: the templates whose
/// columns are in `preferred` (empty: the table's keys) are tried first (a query's key condition
/// passes its table's or index's keys), then the model's others. Throws InvalidCondition naming the model and member
/// when a comparison fits no template.
[[nodiscard]] Condition lower_key_members(const Condition& c,
                                          std::span<const std::size_t> preferred = {});

}  // namespace bloop::detail
