// Must not compile: see tests/CMakeLists.txt for the expected diagnostic.
#include <bloop/engine/engine.hpp>

#include "single_table_models.hpp"

void f(bloop::Engine& e) {
    (void)e.query<Sale, User>(bloop::attr<&User::org> == "a");
}
