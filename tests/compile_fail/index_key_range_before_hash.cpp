// Must not compile: see tests/CMakeLists.txt for the expected diagnostic.
#include <bloop/conditions/index_key.hpp>

#include "single_table_models.hpp"

void f() {
    const auto& ix = bloop::Model<Sale>::by_region;
    (void)bloop::index_key(ix).equal<&Sale::tenant>("a").greater<&Sale::day>("b");
}
