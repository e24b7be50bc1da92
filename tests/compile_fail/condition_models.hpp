#pragma once
// The models the condition compile-fail cases misuse.

#include <bloop/conditions/attr.hpp>

#include <set>
#include <vector>
struct User {
    std::string id;
    int age = 0;
    std::set<std::string> tags;
    std::vector<int> history;
    std::string not_a_column;
};
struct Other {
    std::string id;
};
template <>
struct bloop::Model<User> {
    static constexpr Meta meta{};
    static constexpr auto columns =
        bloop::columns(column<&User::id>().hash_key(), column<&User::age>(), column<&User::tags>(),
                       column<&User::history>());
};
template <>
struct bloop::Model<Other> {
    static constexpr Meta meta{};
    static constexpr auto columns = bloop::columns(column<&Other::id>().hash_key());
};
