// Must not compile: see tests/CMakeLists.txt for the expected diagnostic.
#include "condition_models.hpp"

auto c = bloop::attr<&User::history> > 3;
