// What the compile-fail cases include, precompiled once for all of them (tests/CMakeLists.txt):
// each case then parses only itself. The model first, so a diagnostic in its headers names a
// short chain of inclusions.
#include <bloop/model/model.hpp>

#include <bloop/conditions/attr.hpp>
#include <bloop/conditions/index_key.hpp>
#include <bloop/engine/collection.hpp>
#include <bloop/engine/engine.hpp>
