// Must not compile: see tests/CMakeLists.txt for the expected diagnostic.
#include <bloop/engine/engine.hpp>

#include "condition_models.hpp"

void scan(bloop::Engine& engine) {
    (void)engine.scan<User>({.filter = bloop::attr<&Other::id> == "x"});
}
