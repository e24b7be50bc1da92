// Must not compile: see tests/CMakeLists.txt for the expected diagnostic.
#include "structs.hpp"

template <>
struct bloop::Model<Thing> {
    static constexpr Meta meta{};
    static constexpr auto columns =
        bloop::columns(column<&Thing::id>().hash_key(), column<&Thing::other>());
    static constexpr auto by_other =
        global_index("by_other").hash_key<&Thing::other>().projection(include<&Thing::sort>);
    static constexpr auto indexes = bloop::indexes(by_other);
};
const auto& info = bloop::model_info<Thing>();
