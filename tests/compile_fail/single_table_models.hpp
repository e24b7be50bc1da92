#pragma once
// The shared table and structs the single-table compile-fail cases declare wrongly.

#include <bloop/model/model.hpp>

#include <cstdint>
#include <string>

struct App {
    static constexpr bloop::Meta meta{.table_name = "App"};
    static constexpr bloop::TableKeys keys{.hash = "pk", .range = "sk"};
};
struct Other {
    static constexpr bloop::Meta meta{.table_name = "Other"};
    static constexpr bloop::TableKeys keys{.hash = "pk", .range = "sk"};
};
struct Org {
    std::string org;
    std::string name;
    std::int64_t seq = 0;
    bloop::Decimal amount;
};
struct User {
    std::string org;
    std::string email;
};
struct Sale {
    std::string id;
    std::string tenant;
    std::string region;
    std::string day;
    std::int64_t seq = 0;
};
template <>
struct bloop::Model<User> {
    using table = App;
    static constexpr auto keys = bloop::keys(key<"pk", "ORG#{org}">, key<"sk", "USER#{email}">);
};
template <>
struct bloop::Model<Sale> {
    static constexpr Meta meta{};
    static constexpr auto hash_key = &Sale::id;
    static constexpr auto by_region = global_index()
                                          .hash_key<&Sale::tenant, &Sale::region>()
                                          .range_key<&Sale::day, &Sale::seq>()
                                          .projection(keys_only);
    static constexpr auto indexes = bloop::indexes<&by_region>();
};
