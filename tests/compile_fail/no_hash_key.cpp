// Must not compile: see tests/CMakeLists.txt for the expected diagnostic.
#include <bloop/model.hpp>
#include <map>
struct Thing {
    std::string id;
    std::string sort;
    std::string other;
    std::map<std::string, int> data;
    std::set<bool> flags;
    int state;
};
struct Unstorable {};
struct WithUnstorable {
    std::string id;
    Unstorable u;
};
template <>
struct bloop::Model<Thing> {
    static constexpr Meta meta{};
    static constexpr auto columns = bloop::columns(column<&Thing::id>());
};
const auto& info = bloop::model_info<Thing>();
