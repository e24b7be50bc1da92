// Must not compile: see tests/CMakeLists.txt for the expected diagnostic.
#include "structs.hpp"

int free_variable = 0;
constexpr auto c = bloop::column<&free_variable>();
