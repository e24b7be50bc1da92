// Must not compile: see tests/CMakeLists.txt for the expected diagnostic.
#include <bloop/engine/collection.hpp>

#include "single_table_models.hpp"
constexpr std::size_t size = sizeof(bloop::Collection<Sale, User>);
