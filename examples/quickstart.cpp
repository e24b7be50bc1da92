// bloop's quickstart in C++: an Account model with a GSI on email and a stream; bind it, save two
// accounts, query by email, scan, and read the inserts back from the table's stream.
// (A table left by an earlier run against the same server only adds records to skip.)
//
// Region, credentials and endpoint come from the environment (AWS_REGION, AWS_ACCESS_KEY_ID, ...,
// AWS_ENDPOINT_URL); `scripts/quickstart` runs it against a DynamoDB Local it starts itself.

#include <bloop/bloop.hpp>

#include <iostream>

struct Account {
    bloop::Uuid id;
    std::optional<std::string> name;
    std::optional<std::string> email;
    bloop::ObjectState state;
};

template <>
struct bloop::Model<Account> {
    static constexpr Meta meta{.table_name = "QuickstartAccount",
                               .stream = StreamView::new_and_old_images};
    static constexpr auto columns = bloop::columns(
        column<&Account::id>().hash_key(), column<&Account::name>(), column<&Account::email>());
    static constexpr auto by_email =
        global_index("by_email").hash_key<&Account::email>().projection(keys_only);
    static constexpr auto indexes = bloop::indexes(by_email);
    static constexpr auto state = &Account::state;
};

int main() try {
    using bloop::attr;
    bloop::Engine engine;  // region, credentials and endpoints from the environment
    engine.bind<Account>();
    auto stream = engine.stream<Account>(bloop::trim_horizon);
    std::cout << "bound   " << engine.binding<Account>().table_name << " in "
              << engine.client().region() << "\n";

    Account admin{.id = bloop::Uuid::random(),
                  .name = "admin-user",
                  .email = "admin@domain.com",
                  .state = {}};
    Account support{.id = bloop::Uuid::random(),
                    .name = "support-user",
                    .email = "support@domain.com",
                    .state = {}};
    engine.save(admin, support);
    std::cout << "saved   " << admin.id << " and " << support.id << "\n";

    // Query the GSI by email: keys only, then load the rest.
    auto by_email = engine.query(bloop::Model<Account>::by_email,
                                 attr<&Account::email> == "support@domain.com");
    Account found = by_email.first();
    engine.load(found);
    std::cout << "query   by_email support@domain.com -> " << found.id << " " << *found.name
              << "\n";

    std::size_t accounts = 0;
    for (const Account& a :
         engine.scan<Account>({.filter = attr<&Account::name>.begins_with("admin")})) {
        std::cout << "scan    " << *a.name << " <" << *a.email << ">\n";
        ++accounts;
    }

    std::vector<std::string> inserts;
    for (int poll = 0; poll < 10 && inserts.size() < 2; ++poll) {
        while (auto record = stream.next()) {
            if (record->meta.event_type != "insert") continue;
            std::cout << "stream  " << record->meta.event_type << " " << *record->new_image->email
                      << "\n";
            inserts.push_back(*record->new_image->email);
        }
    }

    engine.remove(admin, support);
    if (found.id != support.id || accounts < 1 || inserts.size() < 2) {
        std::cerr << "quickstart: unexpected results\n";
        return 1;
    }
    std::cout << "done: bound, saved, queried, scanned, read the stream, deleted\n";
    return 0;
} catch (const bloop::BloopException& e) {
    std::cerr << "quickstart failed: " << e.what() << "\n";
    return 1;
}
