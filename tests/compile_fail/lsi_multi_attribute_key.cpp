// Must not compile: see tests/CMakeLists.txt for the expected diagnostic.
#include "single_table_models.hpp"

struct Local {
    std::string id, sort, a, b;
};
template <>
struct bloop::Model<Local> {
    static constexpr Meta meta{};
    static constexpr auto hash_key = &Local::id;
    static constexpr auto range_key = &Local::sort;
    static constexpr auto by_ab =
        local_index().range_key<&Local::a, &Local::b>().projection(keys_only);
    static constexpr auto indexes = bloop::indexes<&by_ab>();
};
const auto& info = bloop::model_info<Local>();
