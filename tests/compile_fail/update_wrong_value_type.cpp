// Must not compile: see tests/CMakeLists.txt for the expected diagnostic.
#include "condition_models.hpp"

auto a = bloop::attr<&User::age>.add(std::string("1"));
