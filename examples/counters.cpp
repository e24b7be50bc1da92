// A page-view counter without a read: 16 threads each add 1 to one item's `views` 500 times with
// an update action (DynamoDB's ADD), never loading it first. No increment is lost: the stored
// value ends at exactly 8,000.
//
// Region, credentials and endpoint come from the environment (AWS_REGION, AWS_ACCESS_KEY_ID, ...,
// AWS_ENDPOINT_URL), as in the quickstart. The table PageViews stays in place; a new run starts
// the counter afresh.

#include <bloop/bloop.hpp>

#include <cstdint>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

struct PageViews {
    std::string page;
    std::int64_t views = 0;
};

template <>
struct bloop::Model<PageViews> {
    static constexpr Meta meta{.table_name = "PageViews"};
    static constexpr auto hash_key = &PageViews::page;
};

int main() try {
    constexpr int kThreads = 16;
    constexpr int kIncrements = 500;

    bloop::Engine engine;  // region, credentials and endpoint from the environment
    engine.bind<PageViews>();
    PageViews home{"home"};
    engine.remove(home);  // start afresh

    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&engine] {
            for (int i = 0; i < kIncrements; ++i) {
                PageViews view{"home"};  // never loaded: the add needs no read
                engine.save(view, {.actions = {bloop::attr<&PageViews::views>.add(1)}});
            }
        });
    }
    for (auto& t : threads) t.join();

    // One more add, asking for the stored item back: the object then holds the counter.
    PageViews last{"home"};
    engine.save(last, {.actions = {bloop::attr<&PageViews::views>.add(0)},
                       .sync = bloop::Sync::after});
    std::cout << kThreads << " threads added 1 to PageViews(page='home').views " << kIncrements
              << " times each\n";
    std::cout << "final views: " << last.views << "\n";
    return last.views == kThreads * kIncrements ? 0 : 1;
} catch (const std::exception& e) {
    std::cerr << "counters: " << e.what() << "\n";
    return 1;
}
