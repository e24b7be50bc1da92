// Models and types without a server: declare a model once (its columns derived from the struct),
// dump an object to the item DynamoDB would store, and load it back. docs/models.md walks through
// the same code.

#include <bloop/bloop.hpp>

#include <iostream>

struct Address {  // a document: stored as M with exactly these keys
    std::string street;
    std::string city;
};

struct Customer {
    bloop::Uuid id;
    std::string name;
    std::optional<std::string> email;
    bloop::Decimal credit;
    std::set<std::string> tags;
    std::vector<Address> addresses;
    bloop::DateTime joined;
    bloop::ObjectState state{};  // exact save tracking; `{}`: initializers may leave it out
};

template <>
struct bloop::Model<Address> {};  // every member is a column

template <>
struct bloop::Model<Customer> {
    static constexpr Meta meta{.table_name = "Customers", .stream = StreamView::new_and_old_images};
    static constexpr auto hash_key = &Customer::id;
    static constexpr auto column_options = bloop::column_options(column<&Customer::email>("e"));
    static constexpr auto by_email =
        global_index().hash_key<&Customer::email>().projection(include<&Customer::name>);
    static constexpr auto indexes = bloop::indexes<&by_email>();
};

int main() {
    using namespace bloop::literals;
    Customer c{.id = bloop::Uuid("0e3c7f4a-5b1d-4c2e-9f8a-7b6c5d4e3f21"),
               .name = "Grace Hopper",
               .email = "grace@example.com",
               .credit = "1000.50"_d,
               .tags = {"admiral", "cobol"},
               .addresses = {{"1 Navy Way", "Arlington"}},
               .joined = std::chrono::sys_days(std::chrono::year(1952) / 5 / 1)};

    const bloop::Item item = bloop::dump_item(c);
    std::cout << "item:   " << item << "\n";

    const Customer back = bloop::load_item<Customer>(item);
    std::cout << "loaded: " << back.name << ", credit " << back.credit << ", "
              << back.addresses.at(0).city << ", synced " << std::boolalpha << back.state.synced()
              << "\n";

    const bloop::ModelInfo& info = bloop::model_info<Customer>();
    std::cout << "table:  " << info.table_name << ", hash key "
              << info.columns[*info.hash_key].dynamo_name << ", index "
              << info.indexes[0].dynamo_name << " projects "
              << info.indexes[0].projection.included.size() << " columns\n";
}
