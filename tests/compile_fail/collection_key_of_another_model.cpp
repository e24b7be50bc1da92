// Must not compile: see tests/CMakeLists.txt for the expected diagnostic.
#include <bloop/engine/engine.hpp>

#include "single_table_models.hpp"

template <>
struct bloop::Model<Org> {
    using table = App;
    static constexpr auto keys = bloop::keys(key<"pk", "ORG#{org}">, key<"sk", "#META">);
};
struct Note {
    std::string org;
};
template <>
struct bloop::Model<Note> {
    using table = App;
    static constexpr auto keys = bloop::keys(key<"pk", "ORG#{org}">, key<"sk", "#NOTE">);
};
void f(bloop::Engine& e) {
    (void)e.query<Org, User>(bloop::attr<&Note::org> == "a");
}
