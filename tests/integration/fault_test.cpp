// The Engine through a proxy that injects faults into a tenth of the requests (throttling, 5xx,
// resets, cut and held answers, answers lost after the server applied the request), with both
// transports. Read back directly: nothing lost, nothing written twice, no false violation, and
// every error that surfaces is typed and names its object.

#include <bloop/engine/engine.hpp>
#include <bloop/exceptions.hpp>

#include "fault_proxy.hpp"
#include "integration.hpp"

#include <gtest/gtest.h>

#include <iostream>
#include <map>

namespace fault_app {
struct Entry {
    std::string id;
    std::string owner;
    std::int64_t n = 0;
    bloop::ObjectState state;
};
}  // namespace fault_app

using fault_app::Entry;

template <>
struct bloop::Model<Entry> {
    static constexpr Meta meta{.table_name = "FaultEntry"};
    static constexpr auto columns = bloop::columns(column<&Entry::id>().hash_key(),
                                                   column<&Entry::owner>(), column<&Entry::n>());
    static constexpr auto state = &Entry::state;
};

namespace bloop {
namespace {

using test::Fault;
using test::FaultProxy;

constexpr int kObjects = 300;

std::string id_of(int i) {
    std::string s = std::to_string(i);
    return "e" + std::string(4 - s.size(), '0') + s;
}

class FaultTest : public ::testing::TestWithParam<std::string> {
  protected:
    FaultProxy proxy{test::endpoint(),
                     {.rate = 0.1,
                      .seed = GetParam() == "curl" ? 7u : 11u,
                      .faults = {},
                      .hold = std::chrono::milliseconds(2000)}};

    ClientOptions faulty_options() const {
        ClientOptions o = testing::local_client_options(proxy.url());
        o.transport = GetParam() == "curl" ? make_curl_transport(16) : make_socket_transport(16);
        // Long enough for a cold DynamoDB Local on a busy machine; `held` holds past it.
        o.timeouts.request = std::chrono::milliseconds(1500);
        o.retry.base_delay = std::chrono::milliseconds(2);
        o.retry.max_delay = std::chrono::milliseconds(50);
        return o;
    }
    EngineOptions tables() const {
        EngineOptions e;
        e.table_name_template =
            "{table_name}_" + GetParam() + "_" + testing::unique_table_name("t");
        return e;
    }

    const EngineOptions names = tables();
    Engine direct{Client(test::client_options()), names};
    Engine faulty{Client(faulty_options()), names};

    void SetUp() override {
        direct.bind<Entry>();
        faulty.bind<Entry>();
    }

    // What the table holds, read without the proxy.
    std::map<std::string, std::int64_t> stored() {
        std::map<std::string, std::int64_t> out;
        for (const Entry& e : direct.scan<Entry>({.consistent = true})) {
            EXPECT_TRUE(out.emplace(e.id, e.n).second) << e.id;
        }
        return out;
    }

    void report(const char* phase) {
        std::cout << "[faults " << GetParam() << " after " << phase << "]";
        for (const auto& [fault, count] : proxy.injected())
            std::cout << " " << test::fault_name(fault) << "=" << count;
        std::cout << "\n";
    }
};

TEST_P(FaultTest, NothingLostNothingDoubledNoFalseViolation) {
    std::vector<Entry> entries(kObjects);
    for (int i = 0; i < kObjects; ++i)
        entries[i] = {id_of(i), "owner" + std::to_string(i % 7), i, {}};

    // Bulk save: every object written, none reported failed.
    faulty.save(entries);
    auto table = stored();
    ASSERT_EQ(table.size(), static_cast<std::size_t>(kObjects));
    for (int i = 0; i < kObjects; ++i) EXPECT_EQ(table[id_of(i)], i);

    // Bulk load through the faults.
    std::vector<Entry> loaded(kObjects);
    for (int i = 0; i < kObjects; ++i) loaded[i].id = id_of(i);
    faulty.load(loaded);
    for (int i = 0; i < kObjects; ++i) EXPECT_EQ(loaded[i].n, i);

    // Atomic saves one by one: a retry that meets its own unanswered write is a success.
    int false_violations = 0;
    for (Entry& e : loaded) {
        e.n += 1000;
        try {
            faulty.save(e, {.atomic = true});
        } catch (const ConstraintViolation& v) {
            ++false_violations;
            ADD_FAILURE() << v.what();
        }
    }
    EXPECT_EQ(false_violations, 0);
    table = stored();
    for (int i = 0; i < kObjects; ++i) EXPECT_EQ(table[id_of(i)], i + 1000);

    // True violations stay violations: another writer changed these first.
    int true_violations = 0;
    for (int i = 0; i < 20; ++i) {
        Entry other{id_of(i), "someone else", -1, {}};
        direct.save(other);
        loaded[i].n += 1;
        try {
            faulty.save(loaded[i], {.atomic = true});
        } catch (const ConstraintViolation& v) {
            ++true_violations;
            EXPECT_NE(std::string(v.what()).find(id_of(i)), std::string::npos) << v.what();
        }
    }
    EXPECT_EQ(true_violations, 20);

    // Query and scan through the faults see every item once.
    std::set<std::string> seen;
    for (const Entry& e : faulty.scan<Entry>()) EXPECT_TRUE(seen.insert(e.id).second);
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(kObjects));
    EXPECT_EQ(faulty.query<Entry>(attr<&Entry::id> == id_of(42)).one().n, 1042);

    // Atomic removes in bulk of the even objects past the first 20: all gone, the rest intact.
    std::vector<Entry> doomed;
    for (int i = 20; i < kObjects; i += 2) doomed.push_back(loaded[i]);
    faulty.remove(doomed, {.atomic = true});
    table = stored();
    EXPECT_EQ(table.size(), static_cast<std::size_t>(kObjects - (kObjects - 20) / 2));
    for (int i = 0; i < kObjects; ++i) {
        const bool gone = i >= 20 && i % 2 == 0;
        EXPECT_EQ(table.count(id_of(i)), gone ? 0u : 1u) << id_of(i);
        if (!gone) {
            EXPECT_EQ(table[id_of(i)], i < 20 ? -1 : i + 1000) << id_of(i);
        }
    }
    report("workload");
    const auto injected = proxy.injected();
    for (const Fault f : {Fault::throttle, Fault::unavailable, Fault::error_after, Fault::reset,
                          Fault::truncated, Fault::held, Fault::lost_response}) {
        EXPECT_GT(injected.count(f) ? injected.at(f) : 0, 0) << test::fault_name(f);
    }
}

TEST_P(FaultTest, ALostAnswerToAConditionalWriteIsItsSuccess) {
    proxy.set_rate(0);
    Entry e{id_of(1), "ada", 1, {}};
    faulty.save(e);
    for (const Fault f :
         {Fault::lost_response, Fault::held, Fault::truncated, Fault::error_after}) {
        e.n += 1;
        proxy.script({f});
        faulty.save(e, {.condition = attr<&Entry::n> < 100, .atomic = true});
        EXPECT_EQ(stored()[e.id], e.n) << test::fault_name(f);
    }
    proxy.script({Fault::lost_response});
    faulty.remove(e, {.atomic = true});
    EXPECT_TRUE(stored().empty());
}

TEST_P(FaultTest, ARelativeUpdateWhoseAnswerWasLostIsNotAppliedTwice) {
    proxy.set_rate(0);
    const std::string table = faulty.binding<Entry>().table_name;
    const json::Value add = json::parse(
        R"({"TableName":")" + table +
        R"(","Key":{"id":{"S":"counter"}},"UpdateExpression":"ADD #n :one","ExpressionAttributeNames":{"#n":"n"},"ExpressionAttributeValues":{":one":{"N":"1"}}})");
    proxy.script({Fault::lost_response});
    try {
        (void)faulty.client().call(Operation::UpdateItem, add);
        FAIL();
    } catch (const TransportError& e) {
        EXPECT_TRUE(e.outcome_unknown());
    }
    EXPECT_EQ(stored()["counter"], 1) << "applied once, not retried";
}

INSTANTIATE_TEST_SUITE_P(Transports, FaultTest, ::testing::Values("socket", "curl"),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace bloop
