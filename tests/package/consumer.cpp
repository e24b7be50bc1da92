#include <bloop/bloop.hpp>
#include <bloop/testing/dynamodb_local.hpp>

#include <iostream>

int main() {
    std::string out;
    bloop::json::write_attribute(out, bloop::AttributeValue::string("installed"));
    const bloop::Client client(bloop::testing::local_client_options("http://127.0.0.1:1"));
    std::cout << out << " " << client.region() << "\n";
}
