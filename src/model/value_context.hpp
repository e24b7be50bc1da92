#pragma once
// Value errors thrown again with where they happened in front: the model and column, and the
// object when there is one.

#include <bloop/exceptions.hpp>

#include <string>

namespace bloop::detail {

/// Runs `f`; an AttributeTypeMismatch, InvalidNumber or InvalidValue it throws is thrown again as
/// the same type with `where()` in front of its message.
template <class Where, class F>
decltype(auto) with_context(Where&& where, F&& f) {
    try {
        return f();
    } catch (const AttributeTypeMismatch& e) {
        throw AttributeTypeMismatch(where() + e.what());
    } catch (const InvalidNumber& e) {
        throw InvalidNumber(where() + e.what());
    } catch (const InvalidValue& e) {
        throw InvalidValue(where() + e.what());
    }
}

}  // namespace bloop::detail
