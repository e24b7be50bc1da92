#pragma once
/// \file
/// `bloop::ObjectState`: what an object knows about its stored item. Add a member of this type to
/// a model and name it in `Model<T>::state` to get exact save tracking (see docs/models.md).

#include <bloop/types/attribute_value.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace bloop {

/// Which columns were last loaded or saved ("known"), and the values they had then (the snapshot
/// bloop's `atomic` conditions are built from). Copying an object copies its state.
class ObjectState {
  public:
    /// Whether column `index` (declaration order) was part of the last load or save.
    [[nodiscard]] bool known(std::size_t index) const noexcept {
        return index < known_.size() && known_[index];
    }
    /// True after a load or save, false before the first and after a delete.
    [[nodiscard]] bool synced() const noexcept { return snapshot_.has_value(); }
    /// The dumped values of the known columns as last loaded or saved, by DynamoDB name; a known
    /// column that was empty is absent. Nullopt when not synced.
    [[nodiscard]] const std::optional<Item>& snapshot() const noexcept { return snapshot_; }

    /// Adds `columns` to the known ones (used when loading or saving). Known columns stay known.
    void mark_known(std::span<const std::size_t> columns);
    /// Removes `columns` from the known ones (after a save whose update actions changed them
    /// relative to what was stored).
    void mark_unknown(std::span<const std::size_t> columns);
    /// Records the dumped values of the known columns after a load or save.
    void set_snapshot(Item values) { snapshot_ = std::move(values); }
    /// What the columns that are not known held at the last load or save (by DynamoDB name; absent
    /// when no value). A save skips such a column while it still holds this, so unfetched columns
    /// of a projected query are never overwritten with the struct's defaults.
    [[nodiscard]] const Item& baseline() const noexcept { return baseline_; }
    void set_baseline(Item values) { baseline_ = std::move(values); }
    /// Forgets everything (after a delete).
    void forget() noexcept;

    friend bool operator==(const ObjectState&, const ObjectState&) = default;

  private:
    std::vector<bool> known_;
    std::optional<Item> snapshot_;
    Item baseline_;
};

}  // namespace bloop
