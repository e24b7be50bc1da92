// The body of a C++ AWS Lambda function on the stream of `Orders` (examples/stream_worker.cpp's
// table: hash key `id`, a number `n`, NEW_AND_OLD_IMAGES). It reads one DynamoDB Streams event
// from standard input, handles each record in order and prints what it saw:
//
//   INSERT <id> n=<n>
//   MODIFY <id> n=<old>-><new>
//   REMOVE <id>
//
// An order whose id starts with "fail" stands in for a handler error: the handler throws, and that
// record and every one after it go into Lambda's partial batch response (ReportBatchItemFailures),
// printed as the last line: {"batchItemFailures":[{"itemIdentifier":"<SequenceNumber>"},...]},
// an empty array when every record was handled. The error goes to standard error.
//
//   lambda_handler < event.json
//
// Region and credentials come from the environment, as in the quickstart and as Lambda sets them;
// reading an event sends no request. docs/lambda.md shows the same body under the AWS Lambda C++
// runtime (aws-lambda-cpp). Exit status 1 when the input is not a DynamoDB Streams event (Lambda
// would retry the whole batch).

#include <bloop/bloop.hpp>

#include <cstdint>
#include <exception>
#include <iostream>
#include <iterator>
#include <stdexcept>
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

namespace {

void on_record(bloop::Record<Order>& record) {
    const Order& order = record.new_image ? *record.new_image : *record.old_image;
    if (order.id.starts_with("fail")) throw std::runtime_error("cannot handle order " + order.id);
    if (record.meta.event_type == "insert") {
        std::cout << "INSERT " << order.id << " n=" << record.new_image->n << "\n";
    } else if (record.meta.event_type == "modify") {
        std::cout << "MODIFY " << order.id << " n=" << record.old_image->n << "->"
                  << record.new_image->n << "\n";
    } else {
        std::cout << "REMOVE " << order.id << "\n";
    }
}

}  // namespace

int main() try {
    const std::string event{std::istreambuf_iterator<char>(std::cin),
                            std::istreambuf_iterator<char>()};
    bloop::Engine engine;
    const bloop::lambda::BatchResponse response =
        bloop::lambda::handle<Order>(engine, event, on_record);
    if (response.error) {
        std::cout.flush();  // the records handled, then why the rest is left
        try {
            std::rethrow_exception(response.error);
        } catch (const std::exception& e) {
            std::cerr << "lambda_handler: " << e.what() << "; " << response.failures.size()
                      << " records left for Lambda to retry\n";
        }
    }
    std::cout << response.json() << std::endl;
} catch (const std::exception& e) {
    std::cerr << "lambda_handler: " << e.what() << "\n";
    return 1;
}
