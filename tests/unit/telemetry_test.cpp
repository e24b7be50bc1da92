// Telemetry without a server: what the pipeline reports for scripted answers (retries, throttles,
// transport failures, renewed credentials, the Lambda trace header), what it reads off request and
// answer bodies, how Metrics aggregates, and the EMF lines it writes.

#include <bloop/bloop.hpp>

#include "client/telemetry/request_facts.hpp"
#include "fake_transport.hpp"

#include <gtest/gtest.h>

#include <mutex>

namespace bloop {
namespace {

using test::FakeTransport;

class Recorder final : public Telemetry {
  public:
    void request(const RequestEvent& e) override {
        std::lock_guard lock(mutex);
        requests.push_back(e);
    }
    void credentials(bool ok) override {
        std::lock_guard lock(mutex);
        (ok ? renewals : failures) += 1;
    }
    std::mutex mutex;
    std::vector<RequestEvent> requests;
    int renewals = 0;
    int failures = 0;
};

ClientOptions scripted(std::shared_ptr<FakeTransport> transport, std::shared_ptr<Telemetry> t,
                       std::map<std::string, std::string, std::less<>> env = {}) {
    ClientOptions o;
    o.region = "eu-west-1";
    o.credentials = Credentials{"AKIDTEST", "SECRET", ""};
    o.endpoint = "http://127.0.0.1:8000";
    o.transport = std::move(transport);
    env.emplace("AWS_EC2_METADATA_DISABLED", "true");
    o.environment = Environment(std::move(env));
    o.retry.sleep = [](std::chrono::milliseconds) {};
    o.telemetry = std::move(t);
    return o;
}

double value(const std::vector<MetricFamily>& all, std::string_view name,
             std::vector<std::pair<std::string, std::string>> labels) {
    double total = 0;
    for (const MetricFamily& f : all) {
        if (f.name != name) continue;
        for (const MetricSample& s : f.samples) {
            bool match = true;
            for (const auto& l : labels)
                match = match && std::find(s.labels.begin(), s.labels.end(), l) != s.labels.end();
            if (match) total += s.value;
        }
    }
    return total;
}

TEST(Telemetry, RetriesAreAttemptsWithTheirReasonsAndThrottlesCountedOnce) {
    auto transport = std::make_shared<FakeTransport>();
    auto recorder = std::make_shared<Recorder>();
    transport->fail(400, "ThrottlingException", "slow down");
    transport->drop<ConnectionReset>("reset by peer");
    transport->respond(200, R"({"Item":{"id":{"S":"1"}}})", {{"x-amzn-RequestId", "REQ-OK"}});
    const Client client(scripted(transport, recorder));
    (void)client.call(Operation::GetItem,
                      json::parse(R"({"TableName":"T","Key":{"id":{"S":"1"}}})"));

    ASSERT_EQ(recorder->requests.size(), 1U);
    const RequestEvent& e = recorder->requests[0];
    EXPECT_EQ(e.operation, "GetItem");
    EXPECT_EQ(e.service, "dynamodb");
    EXPECT_EQ(e.tables, std::vector<std::string>{"T"});
    ASSERT_EQ(e.attempts.size(), 3U);
    EXPECT_EQ(e.attempts[0].error_type, "ThrottlingException");
    EXPECT_TRUE(e.attempts[0].throttled);
    EXPECT_EQ(e.attempts[0].http_status, 400);
    EXPECT_EQ(e.attempts[1].error_type, "ConnectionReset");
    EXPECT_EQ(e.attempts[1].http_status, 0);
    EXPECT_EQ(e.attempts[2].error_type, "");
    EXPECT_EQ(e.http_status, 200);
    EXPECT_EQ(e.error_type, "");
    EXPECT_EQ(e.request_id, "REQ-OK");
    EXPECT_TRUE(e.span.valid());
    EXPECT_FALSE(e.parent.valid());

    Metrics metrics;
    metrics.request(e);
    const auto m = metrics.snapshot();
    EXPECT_EQ(value(m, "bloop_requests_total", {{"operation", "GetItem"}}), 1);
    EXPECT_EQ(value(m, "bloop_retries_total", {{"reason", "ThrottlingException"}}), 1);
    EXPECT_EQ(value(m, "bloop_retries_total", {{"reason", "ConnectionReset"}}), 1);
    EXPECT_EQ(value(m, "bloop_throttles_total", {{"table", "T"}}), 1);
    EXPECT_EQ(value(m, "bloop_request_errors_total", {}), 0);
}

TEST(Telemetry, AFailedCallIsReportedWithItsErrorAndRequestId) {
    auto transport = std::make_shared<FakeTransport>();
    auto recorder = std::make_shared<Recorder>();
    transport->fail(400, "ResourceNotFoundException", "no table");
    const Client client(scripted(transport, recorder));
    EXPECT_THROW(
        (void)client.call(Operation::PutItem, json::parse(R"({"TableName":"Gone","Item":{}})")),
        ServiceError);
    ASSERT_EQ(recorder->requests.size(), 1U);
    EXPECT_EQ(recorder->requests[0].error_type, "ResourceNotFoundException");
    EXPECT_EQ(recorder->requests[0].request_id, "REQ-ResourceNotFoundException");
    EXPECT_EQ(recorder->requests[0].http_status, 400);
}

TEST(Telemetry, CapacityIsAskedForOnlyWhileTelemetryWantsItAndAUsersOwnIsKept) {
    auto transport = std::make_shared<FakeTransport>();
    transport->respond(200, "{}");
    transport->respond(200, "{}");
    transport->respond(200, "{}");
    const Client with(scripted(transport, std::make_shared<Recorder>()));
    (void)with.call(Operation::PutItem, json::parse(R"({"TableName":"T","Item":{}})"));
    (void)with.call(Operation::PutItem,
                    json::parse(R"({"TableName":"T","Item":{},"ReturnConsumedCapacity":"TOTAL"})"));
    const Client without(scripted(transport, nullptr));
    (void)without.call(Operation::PutItem, json::parse(R"({"TableName":"T","Item":{}})"));
    const auto sent = transport->requests();
    EXPECT_EQ(sent[0].body, R"({"ReturnConsumedCapacity":"INDEXES","TableName":"T","Item":{}})");
    EXPECT_EQ(sent[1].body, R"({"TableName":"T","Item":{},"ReturnConsumedCapacity":"TOTAL"})");
    EXPECT_EQ(sent[2].body, R"({"TableName":"T","Item":{}})");
}

TEST(Telemetry, InLambdaEachRequestCarriesTheInvocationsTraceHeader) {
    auto transport = std::make_shared<FakeTransport>();
    transport->respond(200, "{}");
    const Client client(
        scripted(transport, nullptr,
                 {{"AWS_LAMBDA_FUNCTION_NAME", "orders"},
                  {"_X_AMZN_TRACE_ID", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"}}));
    (void)client.call(Operation::ListTables, json::Value::object());
    EXPECT_EQ(find_header(transport->requests()[0].headers, "X-Amzn-Trace-Id"),
              "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");

    auto outside = std::make_shared<FakeTransport>();
    outside->respond(200, "{}");
    const Client elsewhere(scripted(outside, nullptr, {{"_X_AMZN_TRACE_ID", "Root=1-x"}}));
    (void)elsewhere.call(Operation::ListTables, json::Value::object());
    EXPECT_EQ(find_header(outside->requests()[0].headers, "X-Amzn-Trace-Id"), "");
}

// Hands out credentials that expire later on each call.
class Rotating final : public CredentialsProvider {
  public:
    Credentials credentials() override {
        ++calls_;
        if (calls_ == 3) throw CredentialsUnavailable("the source failed");
        return {"AKID", "SECRET", "TOKEN",
                std::chrono::system_clock::time_point(std::chrono::hours(1000 + calls_ / 2))};
    }
    std::string name() const override { return "rotating"; }

  private:
    int calls_ = 0;
};

TEST(Telemetry, RenewedCredentialsAndCredentialFailuresAreReported) {
    auto transport = std::make_shared<FakeTransport>();
    for (int i = 0; i < 4; ++i) transport->respond(200, "{}");
    auto recorder = std::make_shared<Recorder>();
    ClientOptions o = scripted(transport, recorder);
    o.credentials.reset();
    o.credentials_provider = std::make_shared<Rotating>();
    o.retry.max_attempts = 1;
    const Client client(o);
    (void)client.call(Operation::ListTables, json::Value::object());  // expiry 1000 h
    (void)client.call(Operation::ListTables, json::Value::object());  // 1001 h: renewed
    EXPECT_THROW((void)client.call(Operation::ListTables, json::Value::object()),
                 CredentialsUnavailable);
    (void)client.call(Operation::ListTables, json::Value::object());  // 1002 h: renewed
    EXPECT_EQ(recorder->renewals, 2);
    EXPECT_EQ(recorder->failures, 1);
    EXPECT_EQ(recorder->requests[2].error_type, "CredentialsUnavailable");
}

TEST(Telemetry, EachCallsEventHoldsOnlyItsOwnFactsEvenWhenAnotherCallRunsInsideIt) {
    auto transport = std::make_shared<FakeTransport>();
    auto recorder = std::make_shared<Recorder>();
    transport->fail(400, "ValidationException", "bad");
    transport->respond(200, "{}", {{"x-amzn-RequestId", "REQ-2"}});
    const Client client(scripted(transport, recorder));
    EXPECT_THROW(
        (void)client.call(Operation::Query,
                          json::parse(R"({"TableName":"First","IndexName":"ix","Limit":3})")),
        ServiceError);
    (void)client.call(Operation::PutItem, json::parse(R"({"TableName":"Second","Item":{}})"));
    ASSERT_EQ(recorder->requests.size(), 2U);
    const RequestEvent& second = recorder->requests[1];
    EXPECT_EQ(second.tables, std::vector<std::string>{"Second"});
    EXPECT_EQ(second.index, "");
    EXPECT_EQ(second.limit, -1);
    EXPECT_EQ(second.error_type, "");
    EXPECT_EQ(second.request_id, "REQ-2");
    EXPECT_EQ(second.attempts.size(), 1U);
    EXPECT_TRUE(second.capacity.empty());

    // A credentials provider that calls a client of its own (same telemetry, same thread).
    class Calling final : public CredentialsProvider {
      public:
        explicit Calling(Client inner) : inner_(std::move(inner)) {}
        Credentials credentials() override {
            (void)inner_.call(Operation::ListTables, json::Value::object());
            return {"AKID", "SECRET", ""};
        }
        std::string name() const override { return "calling"; }

      private:
        Client inner_;
    };
    auto inner_transport = std::make_shared<FakeTransport>();
    inner_transport->respond(200, "{}", {{"x-amzn-RequestId", "REQ-INNER"}});
    ClientOptions outer_options = scripted(transport, recorder);
    outer_options.credentials.reset();
    outer_options.credentials_provider =
        std::make_shared<Calling>(Client(scripted(inner_transport, recorder)));
    transport->respond(200, "{}", {{"x-amzn-RequestId", "REQ-OUTER"}});
    (void)Client(outer_options)
        .call(Operation::DeleteItem, json::parse(R"({"TableName":"Outer","Key":{}})"));
    ASSERT_EQ(recorder->requests.size(), 4U);
    EXPECT_EQ(recorder->requests[2].operation, "ListTables");
    EXPECT_EQ(recorder->requests[2].request_id, "REQ-INNER");
    EXPECT_EQ(recorder->requests[3].operation, "DeleteItem");
    EXPECT_EQ(recorder->requests[3].tables, std::vector<std::string>{"Outer"});
    EXPECT_EQ(recorder->requests[3].request_id, "REQ-OUTER");
}

TEST(RequestFacts, NamesTablesIndexesAndPagingWithoutReadingItems) {
    const auto request_facts = [](Operation op, std::string_view body) {
        RequestEvent e;
        detail::read_request(op, body, e);
        return e;
    };
    auto q =
        request_facts(Operation::Query,
                      R"({"TableName":"Orders","IndexName":"by_day","Limit":25,"Select":"COUNT",)"
                      R"("ExpressionAttributeValues":{":v":{"S":"\"TableName\":\"x\""}}})");
    EXPECT_EQ(q.tables, std::vector<std::string>{"Orders"});
    EXPECT_EQ(q.index, "by_day");
    EXPECT_EQ(q.limit, 25);
    EXPECT_EQ(q.select, "COUNT");
    EXPECT_EQ(q.projection, "");
    auto batch = request_facts(
        Operation::BatchWriteItem,
        R"({"RequestItems":{"A":[{"PutRequest":{"Item":{"TableName":{"S":"B"}}}}],"C":[]}})");
    EXPECT_EQ(batch.tables, (std::vector<std::string>{"A", "C"}));
    auto transact = request_facts(
        Operation::TransactWriteItems,
        R"({"TransactItems":[{"Put":{"TableName":"A","Item":{}}},{"Delete":{"TableName":"B"}},{"Put":{"TableName":"A"}}]})");
    EXPECT_EQ(transact.tables, (std::vector<std::string>{"A", "B"}));
    auto stream = request_facts(
        Operation::DescribeStream,
        R"({"StreamArn":"arn:aws:dynamodb:ddblocal:000000000000:table/Orders/stream/2026-12-07T19:00:00.000"})");
    EXPECT_EQ(stream.tables, std::vector<std::string>{"Orders"});
}

TEST(RequestFacts, ReadsCapacityPerTableAndIndexAndSkipsAnItemsAttributeOfThatName) {
    std::string query =
        R"({"Items":[{"ConsumedCapacity":{"S":"not this"}}],"Count":1,)"
        R"("ConsumedCapacity":{"TableName":"Orders","CapacityUnits":1.5,"Table":{"CapacityUnits":0.5},)"
        R"("GlobalSecondaryIndexes":{"by_day":{"CapacityUnits":1.0}}}})";
    const auto capacity = [](Operation op, std::string& answer, bool strip) {
        std::vector<CapacityUse> uses{{"stale", "stale", 9, 9}};  // overwritten, not appended to
        detail::consumed_capacity(op, answer, strip, uses);
        return uses;
    };
    const auto uses = capacity(Operation::Query, query, false);
    ASSERT_EQ(uses.size(), 2U);
    EXPECT_EQ(uses[0].table, "Orders");
    EXPECT_EQ(uses[0].index, "");
    EXPECT_EQ(uses[0].read_units, 0.5);
    EXPECT_EQ(uses[1].index, "by_day");
    EXPECT_EQ(uses[1].read_units, 1.0);
    EXPECT_EQ(uses[1].write_units, 0);
    std::string transact =
        R"({"ConsumedCapacity":[{"TableName":"A","CapacityUnits":4,"WriteCapacityUnits":4},)"
        R"({"TableName":"B","CapacityUnits":2,"WriteCapacityUnits":2}]})";
    const auto both = capacity(Operation::TransactWriteItems, transact, false);
    ASSERT_EQ(both.size(), 2U);
    EXPECT_EQ(both[1].table, "B");
    EXPECT_EQ(both[1].write_units, 2);
    std::string none = R"({"Item":{}})";
    EXPECT_TRUE(capacity(Operation::GetItem, none, false).empty());
    std::string garbage = R"({"ConsumedCapacity":{"TableName":"A","CapacityUnits":"x"}})";
    EXPECT_TRUE(capacity(Operation::GetItem, garbage, false).empty());
}

TEST(RequestFacts, CapacityAskedForByTelemetryIsTakenOutOfTheAnswer) {
    const auto capacity = [](Operation op, std::string& answer, bool strip) {
        std::vector<CapacityUse> uses;
        detail::consumed_capacity(op, answer, strip, uses);
        return uses;
    };
    std::string last =
        R"({"Attributes":{"id":{"S":"1"}},"ConsumedCapacity":{"TableName":"T","CapacityUnits":1.0}})";
    EXPECT_EQ(capacity(Operation::UpdateItem, last, true).size(), 1U);
    EXPECT_EQ(last, R"({"Attributes":{"id":{"S":"1"}}})");
    std::string first =
        R"({"ConsumedCapacity":{"TableName":"T","CapacityUnits":1.0},"Count":0,"Items":[]})";
    EXPECT_EQ(capacity(Operation::Query, first, true).size(), 1U);
    EXPECT_EQ(first, R"({"Count":0,"Items":[]})");
    std::string only = R"({"ConsumedCapacity":{"TableName":"T","CapacityUnits":1.0}})";
    EXPECT_EQ(capacity(Operation::PutItem, only, true)[0].write_units, 1.0);
    EXPECT_EQ(only, "{}");
    std::string kept = R"({"ConsumedCapacity":{"TableName":"T","CapacityUnits":1.0}})";
    (void)capacity(Operation::PutItem, kept, false);
    EXPECT_EQ(kept, R"({"ConsumedCapacity":{"TableName":"T","CapacityUnits":1.0}})");
}

TEST(EmfExporter, WritesEachChangedSeriesAsAnEmfDocumentWithDeltasAndSafeDimensions) {
    auto metrics = std::make_shared<Metrics>();
    std::vector<std::string> lines;
    EmfExporter emf(metrics, {.name_space = "shop",
                              .sink = [&](std::string_view l) { lines.emplace_back(l); },
                              .interval = std::chrono::milliseconds(0)});
    RequestEvent e;
    e.service = "dynamodb";
    e.operation = "PutItem";
    e.tables = {"Orders"};
    e.model = "Order\n\xff";
    e.duration = std::chrono::milliseconds(4);
    e.attempts.push_back({});
    e.capacity.push_back({"Orders", "", 0, 2});
    metrics->request(e);
    metrics->request(e);
    emf.flush();
    std::vector<json::Value> docs;
    for (const std::string& l : lines) docs.push_back(json::parse(l));
    const auto find = [&](std::string_view metric) -> const json::Value* {
        for (const json::Value& d : docs) {
            if (d.find(metric) != nullptr) return &d;
        }
        return nullptr;
    };
    const json::Value* requests = find("requests");
    ASSERT_NE(requests, nullptr);
    EXPECT_EQ(requests->at("requests").as_int(), 2);
    EXPECT_EQ(requests->at("operation").as_string(), "PutItem");
    const json::Value& directive = requests->at("_aws").at("CloudWatchMetrics").as_array().at(0);
    EXPECT_EQ(directive.at("Namespace").as_string(), "shop");
    EXPECT_EQ(json::to_string(directive.at("Dimensions")), R"([["service","operation","table"]])");
    EXPECT_EQ(json::to_string(directive.at("Metrics")), R"([{"Name":"requests","Unit":"Count"}])");
    EXPECT_GT(requests->at("_aws").at("Timestamp").as_int(), 1700000000000);
    const json::Value* units = find("consumed_write_units");
    ASSERT_NE(units, nullptr);
    EXPECT_EQ(units->at("consumed_write_units").as_int(), 4);
    EXPECT_EQ(units->at("index").as_string(), "none");
    EXPECT_EQ(units->at("model").as_string(), "Order__");
    const json::Value* latency = find("request_duration");
    ASSERT_NE(latency, nullptr);
    EXPECT_EQ(latency->at("request_duration").as_double(), 4);

    // Large counts are written exactly (not to six digits).
    lines.clear();
    metrics->dropped("otlp", 1234567);
    emf.flush();
    docs.clear();
    for (const std::string& l : lines) docs.push_back(json::parse(l));
    ASSERT_NE(find("telemetry_dropped"), nullptr);
    EXPECT_EQ(find("telemetry_dropped")->at("telemetry_dropped").as_int(), 1234567);

    lines.clear();
    metrics->request(e);
    emf.flush();  // only what changed: one more request
    docs.clear();
    for (const std::string& l : lines) docs.push_back(json::parse(l));
    ASSERT_NE(find("requests"), nullptr);
    EXPECT_EQ(find("requests")->at("requests").as_int(), 1);
}

}  // namespace
}  // namespace bloop
