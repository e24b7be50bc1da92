// Must not compile: see tests/CMakeLists.txt for the expected diagnostic.
#include "single_table_models.hpp"

struct Wide {
    std::string id, a, b, c, d, e;
};
template <>
struct bloop::Model<Wide> {
    static constexpr Meta meta{};
    static constexpr auto hash_key = &Wide::id;
    static constexpr auto by_all =
        global_index().hash_key<&Wide::a, &Wide::b, &Wide::c, &Wide::d, &Wide::e>().projection(
            keys_only);
    static constexpr auto indexes = bloop::indexes<&by_all>();
};
const auto& info = bloop::model_info<Wide>();
