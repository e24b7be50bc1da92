// Sessions that expire by themselves: a Session model on an on-demand table with a TTL column and
// a keys-only GSI by_user, bound with the update option. When a Sessions table of an older
// version exists (the same key, provisioned, no GSI, no TTL) bind migrates it in place and says
// what it changed; when none exists it creates it. Then a few sessions are saved (each expiring in
// an hour) and found again by user.
//
// Region, credentials and endpoint come from the environment (AWS_REGION, AWS_ACCESS_KEY_ID, ...,
// AWS_ENDPOINT_URL), as in the quickstart. The table stays in place. `sessions --from-old-version`
// first creates (or keeps) the older version of the table, to show the migration.

#include <bloop/bloop.hpp>

#include <chrono>
#include <iostream>
#include <string>

struct Session {
    std::string token;
    std::string user;
    bloop::Timestamp expires{};  // DynamoDB deletes the item after this moment
    bloop::ObjectState state{};  // found through a keys-only index: read in part
};

template <>
struct bloop::Model<Session> {
    static constexpr Meta meta{.table_name = "Sessions", .billing = Billing::on_demand};
    static constexpr auto hash_key = &Session::token;
    static constexpr auto ttl = &Session::expires;
    static constexpr auto by_user = global_index().hash_key<&Session::user>().projection(keys_only);
    static constexpr auto indexes = bloop::indexes<&by_user>();
};

// The table as an older release of the application created it.
struct OldSession {
    std::string token;
    std::string user;
};

template <>
struct bloop::Model<OldSession> {
    static constexpr Meta meta{.table_name = "Sessions", .read_units = 1, .write_units = 1};
    static constexpr auto hash_key = &OldSession::token;
};

int main(int argc, char** argv) try {
    bloop::Engine engine;  // region, credentials and endpoint from the environment
    if (argc > 1 && std::string(argv[1]) == "--from-old-version") {
        bloop::Engine old;
        old.bind<OldSession>();
    }

    const bloop::BindReport report = engine.bind<Session>({.update = true});
    if (report.changes.empty()) std::cout << "bind: Sessions already matches the model\n";
    for (const auto& change : report.changes) std::cout << "bind: " << change << "\n";

    const auto in_an_hour = std::chrono::floor<std::chrono::seconds>(
        std::chrono::system_clock::now() + std::chrono::hours(1));
    Session a{"tok-ada-1", "ada", in_an_hour};
    Session b{"tok-ada-2", "ada", in_an_hour};
    Session c{"tok-bob-1", "bob", in_an_hour};
    engine.save(a, b, c);

    int for_ada = 0;
    for (const Session& s :
         engine.query(bloop::Model<Session>::by_user, bloop::attr<&Session::user> == "ada")) {
        (void)s;
        ++for_ada;
    }
    std::cout << "sessions: 3 saved, " << for_ada << " for ada, each expiring at "
              << std::chrono::system_clock::to_time_t(in_an_hour) << " (epoch seconds)\n";
    return 0;
} catch (const std::exception& e) {
    std::cerr << "sessions: " << e.what() << "\n";
    return 1;
}
