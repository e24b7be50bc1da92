// Must not compile: see tests/CMakeLists.txt for the expected diagnostic.
#include "structs.hpp"

template <>
struct bloop::Model<WithUnstorable> {
    static constexpr Meta meta{};
    static constexpr auto hash_key = &WithUnstorable::u;
    static constexpr auto column_options = bloop::column_options(not_stored<&WithUnstorable::u>);
};
const auto& info = bloop::model_info<WithUnstorable>();
