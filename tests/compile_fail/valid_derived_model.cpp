// Must compile: a model whose columns are derived, with an unstorable member marked not_stored.
#include "structs.hpp"

template <>
struct bloop::Model<WithUnstorable> {
    static constexpr Meta meta{};
    static constexpr auto hash_key = &WithUnstorable::id;
    static constexpr auto column_options = bloop::column_options(not_stored<&WithUnstorable::u>);
};
const auto& info = bloop::model_info<WithUnstorable>();
