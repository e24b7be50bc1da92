#pragma once
// The benchmark's Account model (../shared/bench/WORKLOAD.md), shared by the benchmarks.

#include <bloop/bloop.hpp>

#include <random>
#include <set>
#include <string>
#include <vector>

namespace bench {

struct Profile {
    std::optional<int> age;
    std::string city;
};

struct Account {
    bloop::Uuid id;
    std::string name;
    std::string email;
    bloop::DateTime created;
    bloop::Decimal balance;
    std::set<std::string> tags;
    Profile profile;
    bloop::ObjectState state;
};

/// The same model without an ObjectState member: no snapshot is taken on load.
struct PlainAccount {
    bloop::Uuid id;
    std::string name;
    std::string email;
    bloop::DateTime created;
    bloop::Decimal balance;
    std::set<std::string> tags;
    Profile profile;
};

/// The Account model on a table without a stream (the bulk comparison's `--stream off`).
struct StreamlessAccount {
    bloop::Uuid id;
    std::string name;
    std::string email;
    bloop::DateTime created;
    bloop::Decimal balance;
    std::set<std::string> tags;
    Profile profile;
    bloop::ObjectState state;
};

}  // namespace bench

template <>
struct bloop::Model<bench::Profile> {
    static constexpr auto columns =
        bloop::columns(column<&bench::Profile::age>(), column<&bench::Profile::city>());
};

template <>
struct bloop::Model<bench::Account> {
    static constexpr Meta meta{.stream = StreamView::new_and_old_images};
    static constexpr auto columns =
        bloop::columns(column<&bench::Account::id>().hash_key(), column<&bench::Account::name>(),
                       column<&bench::Account::email>(), column<&bench::Account::created>(),
                       column<&bench::Account::balance>(), column<&bench::Account::tags>(),
                       column<&bench::Account::profile>());
    static constexpr auto by_email =
        global_index("by_email").hash_key<&bench::Account::email>().projection(keys_only);
    static constexpr auto indexes = bloop::indexes(by_email);
    static constexpr auto state = &bench::Account::state;
};

template <>
struct bloop::Model<bench::PlainAccount> {
    static constexpr Meta meta{.table_name = "Account"};
    static constexpr auto columns = bloop::columns(
        column<&bench::PlainAccount::id>().hash_key(), column<&bench::PlainAccount::name>(),
        column<&bench::PlainAccount::email>(), column<&bench::PlainAccount::created>(),
        column<&bench::PlainAccount::balance>(), column<&bench::PlainAccount::tags>(),
        column<&bench::PlainAccount::profile>());
};

template <>
struct bloop::Model<bench::StreamlessAccount> {
    static constexpr Meta meta{.table_name = "AccountNoStream"};
    static constexpr auto columns = bloop::columns(
        column<&bench::StreamlessAccount::id>().hash_key(),
        column<&bench::StreamlessAccount::name>(), column<&bench::StreamlessAccount::email>(),
        column<&bench::StreamlessAccount::created>(), column<&bench::StreamlessAccount::balance>(),
        column<&bench::StreamlessAccount::tags>(), column<&bench::StreamlessAccount::profile>());
    static constexpr auto by_email =
        global_index("by_email").hash_key<&bench::StreamlessAccount::email>().projection(keys_only);
    static constexpr auto indexes = bloop::indexes(by_email);
    static constexpr auto state = &bench::StreamlessAccount::state;
};

namespace bench {

/// `a`'s values in another model with the same columns.
template <class A>
A with_values_of(const Account& a) {
    A out{};
    out.id = a.id;
    out.name = a.name;
    out.email = a.email;
    out.created = a.created;
    out.balance = a.balance;
    out.tags = a.tags;
    out.profile = a.profile;
    return out;
}

/// Accounts shaped like the workload's data set.
template <class A = Account>
std::vector<A> make_accounts(std::size_t n) {
    std::mt19937_64 rng(20171009);
    const char* tags[] = {"admin", "beta", "ops", "eu", "us", "vip", "trial", "legacy"};
    const char* cities[] = {"Reykjavik", "Lisbon", "Osaka", "Quito", "Accra"};
    std::vector<A> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        A a{};
        a.id = bloop::Uuid::random();
        a.name = "Ada Lovelace";
        a.email = "ada.lovelace." + std::to_string(i) + "@example.com";
        a.created = bloop::DateTime(std::chrono::microseconds(
            1420070400000000LL + static_cast<long long>(rng() % 100000000000000ULL)));
        a.balance =
            bloop::Decimal(std::to_string(rng() % 1000000) + "." + std::to_string(10 + rng() % 90));
        a.tags = {tags[rng() % 8], tags[rng() % 8]};
        a.profile = {static_cast<int>(18 + rng() % 72), cities[rng() % 5]};
        out.push_back(std::move(a));
    }
    return out;
}

}  // namespace bench
