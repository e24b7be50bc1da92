// Writes changes to the `Orders` table of examples/stream_worker.cpp (creating it when missing)
// and prints the Lambda event of their stream records, as DynamoDB Local recorded them (see
// lambda_events.hpp): the input of examples/lambda_handler.cpp in its test.
//
//   orders_event [--fail]
//
// The changes: o1 inserted (n=1), o2 inserted (n=5), o1 modified (n=2), o2 removed; with --fail
// then fail-3 inserted (n=7) and o4 inserted (n=1). Endpoint, region and credentials come from the
// AWS_* variables.

#include <bloop/bloop.hpp>

#include "lambda_events.hpp"

#include <cstdint>
#include <iostream>
#include <string>

struct Order {
    std::string id;
    std::int64_t n = 0;
};

template <>
struct bloop::Model<Order> {
    static constexpr Meta meta{.table_name = "Orders", .stream = StreamView::new_and_old_images};
    static constexpr auto hash_key = &Order::id;
};

int main(int argc, char** argv) try {
    const bool fail = argc > 1 && std::string(argv[1]) == "--fail";
    bloop::Engine engine;
    engine.bind<Order>();
    const std::string arn = engine.binding<Order>().stream_arn;
    bloop::test::StreamTail tail(engine.client(), arn);
    Order o1{"o1", 1}, o2{"o2", 5};
    engine.save(o1);
    engine.save(o2);
    o1.n = 2;
    engine.save(o1);
    engine.remove(o2);
    std::size_t count = 4;
    if (fail) {
        Order f{"fail-3", 7}, o4{"o4", 1};
        engine.save(f);
        engine.save(o4);
        count += 2;
    }
    std::cout << bloop::json::to_string(bloop::test::lambda_event(tail.read(count), arn)) << "\n";
} catch (const std::exception& e) {
    std::cerr << "orders_event: " << e.what() << "\n";
    return 1;
}
