// Must not compile: see tests/CMakeLists.txt for the expected diagnostic.
#include <bloop/conditions/attr.hpp>

#include "single_table_models.hpp"

auto c = bloop::attr<&User::org> != "acme";
