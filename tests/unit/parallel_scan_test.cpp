// Engine::scan_all_segments against a transport that answers each Scan by its Segment: every
// segment read once on a bounded number of threads, the limit over all segments, a failed segment
// stopping the rest, and bad segment counts refused before anything is sent.

#include <bloop/engine/engine.hpp>
#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>

#include "scripted_engine.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace parallel_scan_unit {
struct Row {
    std::string id;
    std::string group;
};
}  // namespace parallel_scan_unit

using parallel_scan_unit::Row;

template <>
struct bloop::Model<Row> {
    static constexpr Meta meta{.table_name = "SegmentRow"};
    static constexpr auto hash_key = &Row::id;
    static constexpr auto by_group =
        global_index("by_group").hash_key<&Row::group>().projection(all_attributes);
    static constexpr auto indexes = bloop::indexes(by_group);
};

namespace {

// Segment s holds "s-0", "s-1" (the first page) and "s-2" (the second); segment `failing` answers
// a ValidationException. Records each request's segment, whether it continued a page, and the
// thread that sent it.
class SegmentTransport : public bloop::Transport {
  public:
    explicit SegmentTransport(std::int64_t failing = -1) : failing_(failing) {}

    bloop::HttpResponse send(const bloop::HttpRequest& request, const bloop::Timeouts&) override {
        const bloop::json::Value body = bloop::json::parse(request.body);
        const std::int64_t s = body.at("Segment").as_int();
        const bool second = body.find("ExclusiveStartKey") != nullptr;
        const bloop::json::Value* index = body.find("IndexName");
        {
            std::lock_guard lock(mutex_);
            sent_.push_back({s, second, body.at("TotalSegments").as_int(),
                             index != nullptr ? index->as_string() : ""});
            threads_.insert(std::this_thread::get_id());
        }
        if (s == failing_) {
            return {400,
                    {},
                    R"({"__type":"com.amazonaws.dynamodb.v20120810#ValidationException",)"
                    R"("message":"segment )" +
                        std::to_string(s) + R"( failed"})"};
        }
        const auto item = [&](int i) {
            return R"({"id":{"S":")" + std::to_string(s) + "-" + std::to_string(i) + R"("}})";
        };
        if (second)
            return {200, {}, R"({"Items":[)" + item(2) + R"(],"Count":1,"ScannedCount":1})"};
        return {200,
                {},
                R"({"Items":[)" + item(0) + "," + item(1) +
                    R"(],"Count":2,"ScannedCount":2,"LastEvaluatedKey":)" + item(1) + "}"};
    }

    struct Sent {
        std::int64_t segment;
        bool second_page;
        std::int64_t total;
        std::string index;  // IndexName, if any
    };
    std::vector<Sent> sent() const {
        std::lock_guard lock(mutex_);
        return sent_;
    }
    std::size_t threads() const {
        std::lock_guard lock(mutex_);
        return threads_.size();
    }

  private:
    std::int64_t failing_;
    mutable std::mutex mutex_;
    std::vector<Sent> sent_;
    std::set<std::thread::id> threads_;
};

struct Harness {
    std::shared_ptr<SegmentTransport> transport;
    bloop::Engine engine;

    Harness(std::size_t max_in_flight, std::int64_t failing = -1)
        : transport(std::make_shared<SegmentTransport>(failing)),
          engine(bloop::Client(options(transport, max_in_flight))) {
        engine.bind<Row>({.skip_table_setup = true});
    }

    static bloop::ClientOptions options(std::shared_ptr<SegmentTransport> transport,
                                        std::size_t max_in_flight) {
        bloop::ClientOptions o = bloop::test::scripted_client_options(std::move(transport));
        o.max_in_flight = max_in_flight;
        return o;
    }
};

std::vector<std::string> ids(const std::vector<Row>& rows) {
    std::vector<std::string> out;
    for (const Row& r : rows) out.push_back(r.id);
    return out;
}

TEST(ParallelScan, ReadsEverySegmentOnceOnNoMoreThreadsThanMaxInFlight) {
    Harness h(3);
    const auto rows = h.engine.scan_all_segments<Row>(20);
    std::vector<std::string> expected;
    for (int s = 0; s < 20; ++s) {
        for (int i = 0; i < 3; ++i) expected.push_back(std::to_string(s) + "-" + std::to_string(i));
    }
    EXPECT_EQ(ids(rows), expected) << "every item once, in segment order";
    std::map<std::pair<std::int64_t, bool>, int> pages;
    for (const auto& sent : h.transport->sent()) {
        ++pages[{sent.segment, sent.second_page}];
        EXPECT_EQ(sent.total, 20);
    }
    ASSERT_EQ(pages.size(), 40u);
    for (const auto& [page, times] : pages) EXPECT_EQ(times, 1) << page.first;
    EXPECT_GE(h.transport->threads(), 1u);
    EXPECT_LE(h.transport->threads(), 3u) << "one thread per segment would be 20";
}

TEST(ParallelScan, AnIndexIsScannedInSegmentsToo) {
    Harness h(2);
    const auto rows = h.engine.scan_all_segments(bloop::Model<Row>::by_group, 3);
    EXPECT_EQ(ids(rows), (std::vector<std::string>{"0-0", "0-1", "0-2", "1-0", "1-1", "1-2", "2-0",
                                                   "2-1", "2-2"}));
    const auto sent = h.transport->sent();
    ASSERT_EQ(sent.size(), 6u);
    for (const auto& one : sent) {
        EXPECT_EQ(one.index, "by_group");
        EXPECT_EQ(one.total, 3);
    }
}

TEST(ParallelScan, TheLimitCapsTheResultsOfAllSegmentsAndStopsReading) {
    Harness one(1);  // one thread: segments in order, so exactly which are read is known
    EXPECT_EQ(ids(one.engine.scan_all_segments<Row>(5, {.limit = 4})),
              (std::vector<std::string>{"0-0", "0-1", "0-2", "1-0"}));
    const auto sent = one.transport->sent();
    ASSERT_EQ(sent.size(), 3u) << "segment 0's two pages and segment 1's first; 2-4 never";
    EXPECT_EQ(sent[2].segment, 1);

    Harness none(4);
    EXPECT_TRUE(none.engine.scan_all_segments<Row>(8, {.limit = 0}).empty());
    EXPECT_TRUE(none.transport->sent().empty()) << "a limit of 0 needs no request";

    Harness four(4);
    EXPECT_EQ(four.engine.scan_all_segments<Row>(8, {.limit = 5}).size(), 5u);
    EXPECT_EQ(four.engine.scan_all_segments<Row>(8, {.limit = 100}).size(), 24u);
}

TEST(ParallelScan, AFailedSegmentStartsNoOtherAndItsErrorIsThrown) {
    Harness h(1, 2);
    try {
        (void)h.engine.scan_all_segments<Row>(6);
        FAIL() << "segment 2 failed";
    } catch (const bloop::ValidationError& e) {
        EXPECT_NE(std::string(e.what()).find("segment 2 failed"), std::string::npos) << e.what();
    }
    std::vector<std::int64_t> segments;
    for (const auto& sent : h.transport->sent()) segments.push_back(sent.segment);
    EXPECT_EQ(segments, (std::vector<std::int64_t>{0, 0, 1, 1, 2}));

    Harness many(4, 5);  // the others stop; the error is the one thrown
    EXPECT_THROW((void)many.engine.scan_all_segments<Row>(40), bloop::ValidationError);
}

TEST(ParallelScan, EachResultCanBeHandedOnInsteadOfKept) {
    Harness h(3);
    std::mutex mutex;
    std::multiset<std::string> seen;
    h.engine.scan_all_segments<Row>(10, {}, [&](Row&& r) {
        std::lock_guard lock(mutex);
        seen.insert(std::move(r.id));
    });
    ASSERT_EQ(seen.size(), 30u);
    for (int s = 0; s < 10; ++s) {
        for (int i = 0; i < 3; ++i)
            EXPECT_EQ(seen.count(std::to_string(s) + "-" + std::to_string(i)), 1u) << s << i;
    }

    std::atomic<int> indexed{0};
    h.engine.scan_all_segments(bloop::Model<Row>::by_group, 4, {.limit = 7},
                               [&](const Row&) { ++indexed; });
    EXPECT_EQ(indexed.load(), 7);
}

TEST(ParallelScan, AnExceptionFromTheCallbackStopsTheScanAndIsRethrown) {
    struct Enough : std::runtime_error {
        using std::runtime_error::runtime_error;
    };
    Harness h(1);  // one thread: segments in order
    std::vector<std::string> handed;
    EXPECT_THROW(h.engine.scan_all_segments<Row>(6, {},
                                                 [&](Row&& r) {
                                                     handed.push_back(r.id);
                                                     if (r.id == "1-1") throw Enough("stop");
                                                 }),
                 Enough);
    EXPECT_EQ(handed, (std::vector<std::string>{"0-0", "0-1", "0-2", "1-0", "1-1"}));
    std::vector<std::int64_t> segments;
    for (const auto& sent : h.transport->sent()) segments.push_back(sent.segment);
    EXPECT_EQ(segments, (std::vector<std::int64_t>{0, 0, 1})) << "no segment after the throw";
}

TEST(ParallelScan, BadSegmentsAndOptionsAreRefusedBeforeSending) {
    Harness h(4);
    for (const std::int64_t segments :
         {std::int64_t{0}, std::int64_t{-3}, std::int64_t{1'000'001}}) {
        try {
            (void)h.engine.scan_all_segments<Row>(segments);
            FAIL() << segments;
        } catch (const bloop::InvalidArgument& e) {
            EXPECT_NE(std::string(e.what()).find("scan of Row"), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find(std::to_string(segments)), std::string::npos)
                << e.what();
        }
    }
    EXPECT_THROW((void)h.engine.scan_all_segments<Row>(4, {.parallel = bloop::Segment{0, 4}}),
                 bloop::InvalidArgument);
    EXPECT_THROW((void)h.engine.scan_all_segments<Row>(4, {.projection = bloop::count_only()}),
                 bloop::InvalidArgument);
    EXPECT_THROW((void)h.engine.scan<Row>({.parallel = bloop::Segment{0, 1'000'001}}).next(),
                 bloop::InvalidArgument);
    EXPECT_THROW(h.engine.scan_all_segments<Row>(0, {}, [](Row&&) {}), bloop::InvalidArgument);
    EXPECT_TRUE(h.transport->sent().empty());
}

}  // namespace
