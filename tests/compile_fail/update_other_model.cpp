// Must not compile: see tests/CMakeLists.txt for the expected diagnostic.
#include "condition_models.hpp"

std::vector<bloop::ActionOf<User>> actions{bloop::attr<&Other::id>.set_if_missing("x")};
