// Must not compile: see tests/CMakeLists.txt for the expected diagnostic.
#include <bloop/engine/engine.hpp>

#include "single_table_models.hpp"

template <>
struct bloop::Model<Org> {
    using table = Other;
    static constexpr auto keys = bloop::keys(key<"pk", "ORG#{org}">, key<"sk", "#META">);
};
void f(bloop::Engine& e) {
    (void)e.query<Org, User>(bloop::attr<&User::org> == "a");
}
