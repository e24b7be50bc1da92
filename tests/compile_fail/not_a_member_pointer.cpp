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
int free_variable = 0;
constexpr auto c = bloop::column<&free_variable>();
