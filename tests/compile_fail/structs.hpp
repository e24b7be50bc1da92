#pragma once
// The structs the model compile-fail cases map wrongly.

#include <bloop/model/model.hpp>
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
struct Versioned {
    std::string id;
    std::string label;
    std::int64_t version = 0;
};
