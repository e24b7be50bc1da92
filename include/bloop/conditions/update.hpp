#pragma once
/// \file
/// Update actions: change a stored value relative to what is stored, without reading it.
///
/// ```cpp
/// engine.save(page, {.actions = {bloop::attr<&Page::views>.add(1),
///                                bloop::attr<&Page::tags>.remove_from({"draft"}),
///                                bloop::attr<&Page::log>.append({"viewed"}),
///                                bloop::attr<&Page::first_seen>.set_if_missing(now),
///                                bloop::attr<&Page::note>.remove()}});
/// ```
///
/// The actions come from `attr<&T::member>` (conditions/attr.hpp), typed by the column: `add` on
/// numbers and sets, `remove_from` on sets, `append` / `prepend` on lists, `set_if_missing` and
/// `remove` on any column. Another combination does not compile.

#include <bloop/conditions/condition.hpp>
#include <bloop/types/attribute_value.hpp>

#include <type_traits>
#include <utility>

namespace bloop {

/// One update action, as the engine and the renderer see it.
struct UpdateAction {
    /// What the action does at its path.
    enum class Kind {
        add,             ///< ADD path :v — a number added, or set elements added
        remove_from,     ///< DELETE path :v — set elements removed
        append,          ///< SET path = list_append(if_not_exists(path, []), :v)
        prepend,         ///< SET path = list_append(:v, if_not_exists(path, []))
        set_if_missing,  ///< SET path = if_not_exists(path, :v)
        remove,          ///< REMOVE path
    };
    Kind kind;             ///< the action
    Path path;  ///< where (a column, or a map key / list index within one)
    /// Its operand; none for remove, and none for an empty one (an empty set or list), which the
    /// save it is given to refuses with InvalidUpdate naming the object and column.
    std::optional<AttributeValue> value;

    friend bool operator==(const UpdateAction&, const UpdateAction&) = default;
};

/// The name of an action in messages ("add", "remove_from", ...).
[[nodiscard]] const char* action_name(UpdateAction::Kind kind) noexcept;

/// An update action on model T. Actions of another model do not compile where T's are expected.
template <class T>
class ActionOf {
  public:
    /// Wraps a runtime action (the caller vouches that it is about T).
    explicit ActionOf(UpdateAction action) : action_(std::move(action)) {}
    /// Does not compile: an action on another model's columns (a designed error).
    template <class U>
    requires(!std::is_same_v<U, T>) ActionOf(const ActionOf<U>&) {
        static_assert(std::is_same_v<U, T>,
                      "bloop: this update action is on another model's columns: a save may only "
                      "update columns of the object's own model");
    }

    /// The runtime action.
    [[nodiscard]] const UpdateAction& action() const noexcept { return action_; }

  private:
    UpdateAction action_;
};

}  // namespace bloop
