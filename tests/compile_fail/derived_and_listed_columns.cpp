// Must not compile: see tests/CMakeLists.txt for the expected diagnostic.
#include "structs.hpp"

template <>
struct bloop::Model<Thing> {
    static constexpr Meta meta{};
    static constexpr auto hash_key = &Thing::id;
    static constexpr auto columns = bloop::columns(column<&Thing::id>().hash_key());
};
const auto& info = bloop::model_info<Thing>();
