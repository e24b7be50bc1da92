// Must not compile: see tests/CMakeLists.txt for the expected diagnostic.
#include "condition_models.hpp"

bloop::ConditionOf<User> c = (1 == 2);
