// Must not compile: see tests/CMakeLists.txt for the expected diagnostic.
#include "single_table_models.hpp"

auto c = bloop::attr<&User::org> != "acme";
