// Must not compile: see tests/CMakeLists.txt for the expected diagnostic.
#include <bloop/engine/collection.hpp>

#include "single_table_models.hpp"

template <>
struct bloop::Model<Org> {
    using table = Other;
    static constexpr auto keys = bloop::keys(key<"pk", "ORG#{org}">, key<"sk", "#META">);
};
constexpr std::size_t size = sizeof(bloop::Collection<Org, User>);
