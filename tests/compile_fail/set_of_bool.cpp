// Must not compile: see tests/CMakeLists.txt for the expected diagnostic.
#include "structs.hpp"

constexpr auto c = bloop::column<&Thing::flags>();
