// Must not compile: see tests/CMakeLists.txt for the expected diagnostic.
#include "single_table_models.hpp"

template <>
struct bloop::Model<Org> {
    using table = App;
    static constexpr auto keys =
        bloop::keys(key<"pk", "ORG#{org}">, key<"sk", "#META">, key<"gsi9pk", "X">);
};
const auto& info = bloop::model_info<Org>();
