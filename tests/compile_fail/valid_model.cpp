// Control: a correct model compiles through the same harness, so the failures below are real.
#include <bloop/model/model.hpp>
struct Thing {
    std::string id;
    std::string sort;
    std::string other;
};
template <>
struct bloop::Model<Thing> {
    static constexpr Meta meta{};
    static constexpr auto columns =
        bloop::columns(column<&Thing::id>().hash_key(), column<&Thing::sort>().range_key(),
                       column<&Thing::other>());
    static constexpr auto by_other =
        local_index("by_other").range_key<&Thing::other>().projection(keys_only);
    static constexpr auto indexes = bloop::indexes(by_other);
};
const bloop::ModelInfo& info = bloop::model_info<Thing>();
