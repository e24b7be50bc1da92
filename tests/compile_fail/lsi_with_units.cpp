// Must not compile: see tests/CMakeLists.txt for the expected diagnostic.
#include "structs.hpp"

constexpr auto ix = bloop::local_index("by_other").read_units(5);
