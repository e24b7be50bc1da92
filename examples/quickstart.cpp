// bloop's quickstart in C++: an Account model with a GSI on email and a stream; bind it, save two
// accounts, query by email, scan, and read the inserts back from the table's stream.
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

namespace {

// The stream reader arrives with bloop's Stream; until then the low-level client reads the shards.
std::vector<std::string> stream_inserts(bloop::Engine& engine) {
    using bloop::json::Value;
    const bloop::Client& client = engine.client();
    Value describe;
    describe["StreamArn"] = engine.binding<Account>().stream_arn;
    std::vector<std::string> emails;
    const Value stream = client.call(bloop::Operation::DescribeStream, describe);
    for (const auto& shard : stream.at("StreamDescription").at("Shards").as_array()) {
        Value iterator;
        iterator["StreamArn"] = describe.at("StreamArn");
        iterator["ShardId"] = shard.at("ShardId");
        iterator["ShardIteratorType"] = "TRIM_HORIZON";
        Value records;
        records["ShardIterator"] =
            client.call(bloop::Operation::GetShardIterator, iterator).at("ShardIterator");
        const Value page =
            client.call(bloop::Operation::GetRecords, records, bloop::json::ParseMode::items);
        for (const auto& record : page.at("Records").as_array()) {
            if (record.at("eventName").as_string() != "INSERT") continue;
            const Account a =
                bloop::load_item<Account>(record.at("dynamodb").at("NewImage").as_item());
            emails.push_back(*a.email);
        }
    }
    return emails;
}

}  // namespace

int main() try {
    using bloop::attr;
    bloop::Engine engine;  // region, credentials and endpoints from the environment
    engine.bind<Account>();
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

    const auto inserts = stream_inserts(engine);
    for (const auto& email : inserts) std::cout << "stream  INSERT " << email << "\n";

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
