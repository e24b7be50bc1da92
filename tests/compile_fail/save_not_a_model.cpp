// Must not compile: see tests/CMakeLists.txt for the expected diagnostic.
#include <bloop/engine/engine.hpp>

struct NotAModel {
    std::string id;
};
void save(bloop::Engine& engine) {
    NotAModel n;
    engine.save(n);
}
