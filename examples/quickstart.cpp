// bloop's quickstart in C++: an Account model with a GSI on email and a stream; bind it, save two
// accounts ("Admin McAdminFace" and "this-is-fine.jpg"), query by email, scan, and read the inserts
// back from the table's stream — bloop's own walkthrough, step by step. The accounts stay in the
// table so you can look at them; another run adds two more.
//
// Region, credentials and endpoint come from the environment (AWS_REGION, AWS_ACCESS_KEY_ID, ...,
// AWS_ENDPOINT_URL); `scripts/quickstart` runs it against a DynamoDB Local it starts itself.

#include <bloop/bloop.hpp>

#include <iostream>

// The model: the struct, and beside it only what differs from its members — the table's
// settings, the hash key and the index. Every member is a column; `state` tracks what was loaded.
struct Account {
    bloop::Uuid id;
    std::optional<std::string> name;
    std::optional<std::string> email;
    bloop::ObjectState state{};
};

template <>
struct bloop::Model<Account> {
    static constexpr Meta meta{.table_name = "QuickstartAccount",
                               .stream = StreamView::new_and_old_images};
    static constexpr auto hash_key = &Account::id;
    static constexpr auto by_email =
        global_index().hash_key<&Account::email>().projection(keys_only);
    static constexpr auto indexes = bloop::indexes<&by_email>();  // named after the member
};

int main() try {
    using bloop::attr;
    // engine = Engine(); engine.bind(Account)
    bloop::Engine engine;  // region, credentials and endpoints from the environment
    engine.bind<Account>();
    auto stream = engine.stream<Account>(bloop::trim_horizon);
    std::cout << "bound   " << engine.binding<Account>().table_name << " in "
              << engine.client().region() << "\n";

    // admin = Account(id=uuid.uuid4(), email="admin@domain.com"); admin.name = "Admin McAdminFace"
    Account admin{};
    admin.id = bloop::Uuid::random();
    admin.email = "admin@domain.com";
    admin.name = "Admin McAdminFace";
    // support = Account(name="this-is-fine.jpg", email="support@domain.com"); support.id = uuid4()
    Account support{};
    support.name = "this-is-fine.jpg";
    support.email = "support@domain.com";
    support.id = bloop::Uuid::random();
    engine.save(admin, support);
    std::cout << "saved   " << *admin.name << " " << admin.id << " and " << *support.name << " "
              << support.id << "\n";

    // q = engine.query(Account.by_email, key=Account.email == "support@domain.com"); q.first()
    auto q = engine.query(bloop::Model<Account>::by_email,
                          attr<&Account::email> == "support@domain.com");
    const Account found = q.first();  // keys only: the GSI projects id and email
    std::cout << "query   by_email: Account(email='" << *found.email << "', id=" << found.id
              << ")\n";

    // s = engine.scan(Account, filter=Account.email.begins_with("admin")); s.first()
    auto s = engine.scan<Account>({.filter = attr<&Account::email>.begins_with("admin")});
    const Account scanned = s.first();
    std::cout << "scan    begins_with admin: Account(email='" << *scanned.email
              << "', id=" << scanned.id << ", name='" << *scanned.name << "')\n";

    // stream = engine.stream(Account, "trim_horizon"); next(stream); next(stream)
    // (accounts left by earlier runs against the same server come first; skip them)
    std::vector<bloop::Uuid> inserted;
    for (int poll = 0; poll < 10 && inserted.size() < 2; ++poll) {
        while (auto record = stream.next()) {
            if (record->meta.event_type != "insert") continue;
            const Account& now = *record->new_image;
            if (now.id != admin.id && now.id != support.id) continue;
            std::cout << "stream  " << record->meta.event_type << " "
                      << record->meta.sequence_number << ": Account(email='" << *now.email
                      << "', id=" << now.id << ", name='" << *now.name << "')\n";
            inserted.push_back(now.id);
        }
    }

    if (found.id != support.id || scanned.email->rfind("admin", 0) != 0 || inserted.size() != 2) {
        std::cerr << "quickstart: unexpected results\n";
        return 1;
    }
    std::cout << "done: bound, saved, queried, scanned, read the stream; both accounts are left in "
              << engine.binding<Account>().table_name << "\n";
    return 0;
} catch (const bloop::BloopException& e) {
    std::cerr << "quickstart failed: " << e.what() << "\n";
    return 1;
}
