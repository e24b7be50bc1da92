// Single-table design: organizations, their users and their orders in one table `App`, keys built
// from members with templates, each item marked with its entity type (`_et`), one Query fetching
// an organization with everything in it, and a GSI (`gsi1`) overloaded for users' profiles and
// orders. docs/single-table.md walks through the same code.
//
// It writes 3 organizations x 20 users x 50 orders (3,063 items, batch writes), then prints
//   collection ORG#acme: 1 organization, 20 users, 1000 orders
//   user user07@acme.example: 4 orders in 2026-05
// Region, credentials and endpoint come from the environment (AWS_REGION, AWS_ACCESS_KEY_ID, ...,
// AWS_ENDPOINT_URL), as in the quickstart. The table stays; another run writes the same items.

#include <bloop/bloop.hpp>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

// The table, declared once: its settings, its keys and its index. Every model in it says
// `using table = App;` and how it fills each key.
struct App {
    static constexpr bloop::Meta meta{.table_name = "App", .billing = bloop::Billing::on_demand};
    static constexpr bloop::TableKeys keys{.hash = "pk", .range = "sk"};
    static constexpr bloop::TableIndex gsi1{.name = "gsi1", .hash = "gsi1pk", .range = "gsi1sk"};
    static constexpr auto indexes = bloop::table_indexes<&gsi1>();
};

struct Organization {
    std::string org;  // kept in the keys: pk = ORG#<org>
    std::string name;
};

struct User {
    std::string org;    // pk = ORG#<org>
    std::string email;  // sk = USER#<email>, gsi1pk = USER#<email>
    std::string name;
    std::string role;
};

struct Order {
    std::string org;         // pk = ORG#<org>
    std::string date;        // sk = ORDER#<date>#<id>, gsi1sk = ORDER#<date>
    std::string id;          //
    std::string user_email;  // gsi1pk = USER#<email>
    bloop::Decimal total;
};

template <>
struct bloop::Model<Organization> {
    using table = App;
    static constexpr auto keys = bloop::keys(key<"pk", "ORG#{org}">, key<"sk", "#META">);
};

template <>
struct bloop::Model<User> {
    using table = App;
    static constexpr auto keys =
        bloop::keys(key<"pk", "ORG#{org}">, key<"sk", "USER#{email}">,
                    key<"gsi1pk", "USER#{email}">, key<"gsi1sk", "#PROFILE">);
};

template <>
struct bloop::Model<Order> {
    using table = App;
    static constexpr auto keys =
        bloop::keys(key<"pk", "ORG#{org}">, key<"sk", "ORDER#{date}#{id}">,
                    key<"gsi1pk", "USER#{user_email}">, key<"gsi1sk", "ORDER#{date}">);
};

namespace {

std::string two_digits(int n) {
    char out[3];
    std::snprintf(out, sizeof out, "%02d", n);
    return out;
}

}  // namespace

int main() try {
    using bloop::attr;
    bloop::Engine engine;
    engine.bind<Organization, User, Order>();  // one table, created once, checked for each

    std::vector<Organization> organizations;
    std::vector<User> users;
    std::vector<Order> orders;
    for (const std::string org : {"acme", "globex", "initech"}) {
        organizations.push_back({org, "The " + org + " company"});
        for (int u = 0; u < 20; ++u) {
            const std::string email = "user" + two_digits(u) + "@" + org + ".example";
            users.push_back({org, email, "User " + two_digits(u), u == 0 ? "admin" : "member"});
            for (int o = 0; o < 50; ++o) {
                // Orders spread over the months of 2026.
                const std::string date =
                    "2026-" + two_digits(1 + o % 12) + "-" + two_digits(1 + o % 28);
                orders.push_back({org, date, org + "-" + two_digits(u) + "-" + two_digits(o), email,
                                  bloop::Decimal(std::to_string(10 + o) + ".50")});
            }
        }
    }
    bloop::BatchWrite batch(engine);
    batch.put(std::span(organizations)).put(std::span(users)).put(std::span(orders));
    batch.commit();  // 25 items a request, concurrently

    // One Query of the partition ORG#acme: every item comes back as its own struct.
    auto acme = engine.query<Organization, User, Order>(attr<&Organization::org> == "acme");
    const auto found = acme.collect();
    std::cout << "collection ORG#acme: " << found.of<Organization>().size() << " organization, "
              << found.of<User>().size() << " users, " << found.of<Order>().size() << " orders\n";

    // A user's orders of one month, through gsi1: gsi1pk = USER#<email> AND
    // begins_with(gsi1sk, ORDER#2026-05).
    const std::string email = "user07@acme.example";
    auto may = engine.query(
        App::gsi1, attr<&Order::user_email> == email && attr<&Order::date>.begins_with("2026-05"));
    std::size_t count = 0;
    for (const Order& order : may) {
        if (order.user_email != email || order.date.rfind("2026-05", 0) != 0) {
            std::cerr << "single_table: unexpected order " << order.id << "\n";
            return 1;
        }
        ++count;
    }
    std::cout << "user " << email << ": " << count << " orders in 2026-05\n";
    return 0;
} catch (const bloop::BloopException& e) {
    std::cerr << "single_table failed: " << e.what() << "\n";
    return 1;
}
