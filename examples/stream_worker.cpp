// A stream worker: counts, per order, the changes it sees on the stream of `Orders` and keeps the
// counts in `OrderChangeCounts`. Run as many as you like, on as many machines as you like, with
// one consumer name: they share the stream's shards through leases in DynamoDB
// (bloop_stream_leases), and when one dies or stops, the others continue from its checkpoints.
//
// Delivery is at least once, so a record may be seen twice (after a worker died before its
// checkpoint). The count is still exact: each count remembers the sequence number of the last
// record it counted, and a write for a record at or before it is refused by its condition.
//
//   stream_worker --consumer NAME [--idle-exit SECONDS] [--write N] [--worker NAME]
//
// --idle-exit: stop once no record arrived for that long (default: run until SIGTERM or SIGINT,
// which stop cleanly: checkpoint, release the leases). --write N: first make N changes to 20
// orders, for a demonstration. Region, credentials and endpoint come from the environment
// (AWS_REGION, AWS_ACCESS_KEY_ID, ..., AWS_ENDPOINT_URL), as in the quickstart. Tables stay.

#include <bloop/bloop.hpp>

#include <atomic>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

struct Order {
    std::string id;
    std::int64_t n = 0;
};

struct OrderChangeCounts {
    std::string id;
    std::int64_t changes = 0;
    /// The last record counted: its sequence number, zero-padded to 40 digits so that strings
    /// compare like the numbers.
    std::string last_sequence;
};

template <>
struct bloop::Model<Order> {
    static constexpr Meta meta{.table_name = "Orders", .stream = StreamView::new_and_old_images};
    static constexpr auto hash_key = &Order::id;
};

template <>
struct bloop::Model<OrderChangeCounts> {
    static constexpr Meta meta{.table_name = "OrderChangeCounts"};
    static constexpr auto hash_key = &OrderChangeCounts::id;
};

namespace {

bloop::StreamProcessor* running = nullptr;

extern "C" void on_signal(int) {
    if (running != nullptr) running->stop();  // an atomic store: safe in a signal handler
}

std::string padded(const std::string& sequence_number) {
    return std::string(40 - std::min<std::size_t>(40, sequence_number.size()), '0') +
           sequence_number;
}

struct Options {
    std::string consumer;
    std::string worker;
    double idle_exit = 0;
    int write = 0;
};

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--consumer")
            o.consumer = argv[i + 1];
        else if (flag == "--worker")
            o.worker = argv[i + 1];
        else if (flag == "--idle-exit")
            o.idle_exit = std::atof(argv[i + 1]);
        else if (flag == "--write")
            o.write = std::atoi(argv[i + 1]);
        else
            throw std::invalid_argument("unknown option " + flag);
    }
    if (o.consumer.empty())
        throw std::invalid_argument(
            "usage: stream_worker --consumer NAME [--idle-exit SECONDS] [--write N] [--worker "
            "NAME]");
    return o;
}

}  // namespace

int main(int argc, char** argv) try {
    using bloop::attr;
    const Options options = parse(argc, argv);
    bloop::ClientOptions client;  // everything else from the environment
    client.log = [](bloop::LogLevel, std::string_view line) {
        // The processor's lines: lease changes, handler failures, trouble reading.
        if (line.rfind("stream processor", 0) == 0) std::cerr << line << std::endl;
    };
    bloop::Engine engine{bloop::Client(client)};
    engine.bind<Order>();
    engine.bind<OrderChangeCounts>();

    if (options.write > 0) {  // a demonstration: N changes to 20 orders
        std::vector<Order> orders;
        for (int i = 0; i < 20; ++i) orders.push_back({"order-" + std::to_string(i), 0});
        for (int made = 0; made < options.write; made += 20) {
            for (auto& o : orders) ++o.n;
            const auto count =
                std::min<std::size_t>(20, static_cast<std::size_t>(options.write - made));
            engine.save(std::span(orders.data(), count));
        }
    }

    bloop::ProcessorOptions settings{.consumer = options.consumer, .worker = options.worker};
    if (options.idle_exit > 0) {
        settings.idle_exit =
            std::chrono::milliseconds(static_cast<std::int64_t>(options.idle_exit * 1000));
    }
    bloop::StreamProcessor processor(engine, settings);
    std::atomic<std::int64_t> records{0}, counted{0}, duplicates{0};
    processor.subscribe<Order>([&](bloop::RecordBatch<Order>& batch) {
        for (const auto& record : batch.records) {
            ++records;
            const Order& order = record.new_image ? *record.new_image : *record.old_image;
            // One more change, unless this record (or a later one) was counted already. The
            // condition makes the write safe to send again when its answer was lost.
            OrderChangeCounts count{order.id, 0, padded(record.meta.sequence_number)};
            for (int attempt = 1;; ++attempt) {
                try {
                    engine.save(
                        count, {.condition =
                                    attr<&OrderChangeCounts::last_sequence>.is_missing() ||
                                    (attr<&OrderChangeCounts::last_sequence> < count.last_sequence),
                                .actions = {attr<&OrderChangeCounts::changes>.add(1)}});
                    ++counted;
                } catch (const bloop::ConstraintViolation&) {
                    ++duplicates;  // counted before (delivery is at least once), or by the
                                   // attempt whose answer was lost
                } catch (const bloop::RuntimeError&) {
                    if (attempt == 10) throw;  // the batch is handed to us again later
                    continue;
                }
                break;
            }
        }
    });
    running = &processor;
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    std::cout << "worker  " << processor.worker() << " reads the stream of "
              << engine.binding<Order>().table_name << " as consumer " << options.consumer
              << std::endl;
    processor.run();  // until SIGTERM / SIGINT or the idle exit
    running = nullptr;
    std::int64_t total = 0;
    int orders = 0;
    for (const OrderChangeCounts& c : engine.scan<OrderChangeCounts>({.consistent = true})) {
        total += c.changes;
        ++orders;
    }
    std::cout << "worker " << processor.worker() << ": " << records << " records handled, "
              << counted << " counted, " << duplicates << " duplicates skipped; "
              << engine.binding<OrderChangeCounts>().table_name << " holds " << total
              << " changes of " << orders << " orders" << std::endl;
    return 0;
} catch (const std::exception& e) {
    std::cerr << "stream_worker: " << e.what() << "\n";
    return 1;
}
