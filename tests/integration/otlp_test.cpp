// The OTLP exporter against a receiver built from the OpenTelemetry project's own OTLP types
// (tests/checkers/otlp_receiver.mjs), with the spans of real requests to DynamoDB Local.

#include <bloop/bloop.hpp>

#include "integration.hpp"
#include "loopback.hpp"
#include "otlp_receiver.hpp"

#include <gtest/gtest.h>

namespace otl {

struct Parcel {
    std::string id{};
    std::string depot{};
    std::int64_t grams = 0;
    bloop::ObjectState state{};
};

}  // namespace otl

template <>
struct bloop::Model<otl::Parcel> {
    static constexpr Meta meta{.table_name = "OtlpParcel"};
    static constexpr auto hash_key = &otl::Parcel::id;
    static constexpr auto by_depot =
        global_index().hash_key<&otl::Parcel::depot>().projection(all_attributes);
    static constexpr auto indexes = bloop::indexes<&by_depot>();
};

namespace bloop {
namespace {

using otl::Parcel;

// Every span the receiver got, in order.
std::vector<json::Value> all_spans(const json::Value& received) {
    std::vector<json::Value> out;
    for (const json::Value& request : received.at("traces").as_array()) {
        for (const json::Value& rs : request.at("resourceSpans").as_array()) {
            for (const json::Value& ss : rs.at("scopeSpans").as_array()) {
                for (const json::Value& span : ss.at("spans").as_array()) out.push_back(span);
            }
        }
    }
    return out;
}

std::vector<json::Value> spans_named(const json::Value& received, const std::string& name) {
    std::vector<json::Value> out;
    for (json::Value& span : all_spans(received)) {
        if (span.at("name").as_string() == name) out.push_back(std::move(span));
    }
    return out;
}

// A span attribute's value as JSON text ({"stringValue":"x"}); empty when absent.
std::string attribute(const json::Value& span, const std::string& key) {
    for (const json::Value& kv : span.at("attributes").as_array()) {
        if (kv.at("key").as_string() == key) return json::to_string(kv.at("value"));
    }
    return {};
}

TEST(OtlpExporter, SpansOfMapperCallsAndRequestsPassTheOpenTelemetryReceiver) {
    test::OtlpReceiver receiver;
    auto metrics = std::make_shared<Metrics>();
    auto otlp = std::make_shared<OtlpExporter>(OtlpOptions{.endpoint = receiver.url(),
                                                           .service_name = "parcels",
                                                           .metrics = metrics,
                                                           .interval = std::chrono::hours(1)});
    ClientOptions options = test::client_options();
    options.telemetry =
        std::make_shared<TelemetryFanout>(std::vector<std::shared_ptr<Telemetry>>{metrics, otlp});
    Engine engine{Client(options)};
    engine.bind<Parcel>();
    Parcel a{"p1", "north", 500};
    Parcel b{"p2", "north", 700};
    engine.save(a, b);
    Parcel stale{"p1", "north", 1};
    EXPECT_THROW(engine.save(stale, {.condition = attr<&Parcel::grams> == 1}), ConstraintViolation);
    (void)engine.client().call(
        Operation::Query,
        json::parse(
            R"({"TableName":"OtlpParcel","IndexName":"by_depot","Limit":5,"Select":"SPECIFIC_ATTRIBUTES",)"
            R"("ProjectionExpression":"id, grams","KeyConditionExpression":"depot = :d",)"
            R"("ExpressionAttributeValues":{":d":{"S":"north"}}})"));
    ASSERT_TRUE(otlp->flush());

    const json::Value received = receiver.received();
    EXPECT_EQ(json::to_string(received.at("faults")), "[]");
    ASSERT_FALSE(received.at("traces").as_array().empty());
    // Resource and scope.
    const json::Value& rs =
        received.at("traces").as_array().front().at("resourceSpans").as_array().front();
    EXPECT_EQ(json::to_string(rs.at("resource").at("attributes").as_array().front()),
              R"({"key":"service.name","value":{"stringValue":"parcels"}})");

    // The save: a mapper span with two UpdateItem children, sent from the client's threads.
    const std::vector<json::Value> saves = spans_named(received, "bloop.save");
    ASSERT_EQ(saves.size(), 2U);
    const json::Value& save = saves[0];
    EXPECT_EQ(attribute(save, "bloop.model"), R"({"stringValue":"Parcel"})");
    EXPECT_EQ(attribute(save, "bloop.objects"), R"({"intValue":"2"})");
    int children = 0;
    for (const json::Value& update : spans_named(received, "DynamoDB.UpdateItem")) {
        if (update.find("parentSpanId") == nullptr ||
            update.at("parentSpanId").as_string() != save.at("spanId").as_string())
            continue;
        ++children;
        EXPECT_EQ(update.at("traceId").as_string(), save.at("traceId").as_string());
        EXPECT_EQ(update.at("kind").as_int(), 3);
        EXPECT_EQ(attribute(update, "db.system.name"), R"({"stringValue":"aws.dynamodb"})");
        EXPECT_EQ(attribute(update, "rpc.method"), R"({"stringValue":"UpdateItem"})");
        EXPECT_EQ(attribute(update, "aws.dynamodb.table_names"),
                  R"({"arrayValue":{"values":[{"stringValue":"OtlpParcel"}]}})");
        EXPECT_EQ(attribute(update, "http.response.status_code"), R"({"intValue":"200"})");
        EXPECT_NE(attribute(update, "aws.request_id"), "");
        // Each table's capacity as a JSON object inside the string (its quotes escaped).
        const json::Value capacity =
            json::parse(attribute(update, "aws.dynamodb.consumed_capacity"));
        const json::Value table = json::parse(
            capacity.at("arrayValue").at("values").as_array().at(0).at("stringValue").as_string());
        EXPECT_EQ(table.at("TableName").as_string(), "OtlpParcel");
        EXPECT_GT(table.at("WriteCapacityUnits").as_double(), 0);
    }
    EXPECT_EQ(children, 2);

    // The refused save: an error span, and its mapper span an error too.
    const json::Value& refused = saves[1];
    EXPECT_EQ(refused.at("status").at("code").as_int(), 2);
    bool failed_update = false;
    for (const json::Value& update : spans_named(received, "DynamoDB.UpdateItem")) {
        if (update.find("parentSpanId") != nullptr &&
            update.at("parentSpanId").as_string() == refused.at("spanId").as_string()) {
            failed_update = true;
            EXPECT_EQ(attribute(update, "error.type"),
                      R"({"stringValue":"ConditionalCheckFailedException"})");
            EXPECT_EQ(update.at("status").at("code").as_int(), 2);
        }
    }
    EXPECT_TRUE(failed_update);

    // A raw query: the paging attributes of the conventions, and no parent.
    const std::vector<json::Value> queries = spans_named(received, "DynamoDB.Query");
    ASSERT_EQ(queries.size(), 1U);
    const json::Value& query = queries[0];
    EXPECT_EQ(query.find("parentSpanId"), nullptr);
    EXPECT_EQ(attribute(query, "aws.dynamodb.index_name"), R"({"stringValue":"by_depot"})");
    EXPECT_EQ(attribute(query, "aws.dynamodb.limit"), R"({"intValue":"5"})");
    EXPECT_EQ(attribute(query, "aws.dynamodb.select"), R"({"stringValue":"SPECIFIC_ATTRIBUTES"})");
    EXPECT_EQ(attribute(query, "aws.dynamodb.projection"), R"({"stringValue":"id, grams"})");

    // The metrics, as OTLP metrics the receiver decoded.
    ASSERT_FALSE(received.at("metrics").as_array().empty());
    const std::string metrics_text = json::to_string(received.at("metrics"));
    EXPECT_NE(metrics_text.find(R"("name":"bloop_requests_total")"), std::string::npos);
    EXPECT_NE(metrics_text.find(R"("name":"bloop_request_duration_seconds")"), std::string::npos);
    // No key value of any item anywhere.
    const std::string all = json::to_string(received);
    EXPECT_EQ(all.find("\"p1\""), std::string::npos);
    EXPECT_EQ(all.find("north"), std::string::npos);
}

TEST(OtlpExporter, AnUnreachableCollectorDropsSpansWithACountAndOneLineAndFailsNoRequest) {
    std::string dead;
    {
        test::LoopbackServer closed([](int) {});
        dead = closed.url();  // nothing listens there once it is gone
    }
    auto metrics = std::make_shared<Metrics>();
    std::vector<std::string> lines;
    std::mutex lines_mutex;
    auto otlp = std::make_shared<OtlpExporter>(
        OtlpOptions{.endpoint = dead,
                    .metrics = metrics,
                    .interval = std::chrono::hours(1),
                    .log = [&](LogLevel level, std::string_view line) {
                        std::lock_guard lock(lines_mutex);
                        if (level == LogLevel::warning) lines.emplace_back(line);
                    }});
    ClientOptions options = test::client_options();
    options.telemetry =
        std::make_shared<TelemetryFanout>(std::vector<std::shared_ptr<Telemetry>>{metrics, otlp});
    Engine engine{Client(options)};
    engine.bind<Parcel>();
    Parcel p{"p9", "south", 1};
    engine.save(p);
    EXPECT_FALSE(otlp->flush());
    EXPECT_FALSE(otlp->flush());
    EXPECT_GE(otlp->dropped(), 3U);  // bind's requests and span, the save's two
    std::lock_guard lock(lines_mutex);
    EXPECT_EQ(lines.size(), 1U);  // said once for the outage
    double dropped = 0;
    for (const MetricFamily& f : metrics->snapshot()) {
        if (f.name != "bloop_telemetry_dropped_total") continue;
        for (const MetricSample& s : f.samples) dropped += s.value;
    }
    EXPECT_GE(dropped, static_cast<double>(otlp->dropped()));
}

// Consumed capacity is written as escaped JSON at once; a name DynamoDB would never send (a
// quote, a backslash, a non-ASCII letter) still reaches the receiver as the same text.
TEST(OtlpExporter, ConsumedCapacityOfAnyTableNameReadsBackAsJson) {
    test::OtlpReceiver receiver;
    OtlpExporter otlp({.endpoint = receiver.url(), .interval = std::chrono::hours(1)});
    RequestEvent e;
    e.operation = "PutItem";
    e.tables = {"Plain_table-1.x"};
    e.span = SpanContext::from_hex("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331");
    e.capacity = {{"Plain_table-1.x", "", 0, 1}, {"odd\"name\\é", "by-x", 0.5, 0}};
    otlp.request(e);
    ASSERT_TRUE(otlp.flush());
    const json::Value received = receiver.received();
    EXPECT_EQ(json::to_string(received.at("faults")), "[]");
    const std::vector<json::Value> spans = spans_named(received, "DynamoDB.PutItem");
    ASSERT_EQ(spans.size(), 1U);
    const json::Value capacity = json::parse(attribute(spans[0], "aws.dynamodb.consumed_capacity"));
    const auto& values = capacity.at("arrayValue").at("values").as_array();
    ASSERT_EQ(values.size(), 2U);
    const json::Value plain = json::parse(values[0].at("stringValue").as_string());
    EXPECT_EQ(plain.at("TableName").as_string(), "Plain_table-1.x");
    EXPECT_EQ(plain.find("IndexName"), nullptr);
    EXPECT_EQ(plain.at("WriteCapacityUnits").as_double(), 1.0);
    const json::Value odd = json::parse(values[1].at("stringValue").as_string());
    EXPECT_EQ(odd.at("TableName").as_string(), "odd\"name\\é");
    EXPECT_EQ(odd.at("IndexName").as_string(), "by-x");
    EXPECT_EQ(odd.at("ReadCapacityUnits").as_double(), 0.5);
}

TEST(OtlpExporter, AFullQueueDropsWhatDoesNotFitAndCountsIt) {
    auto metrics = std::make_shared<Metrics>();
    OtlpExporter otlp({.endpoint = "http://127.0.0.1:9",
                       .metrics = metrics,
                       .interval = std::chrono::hours(1),
                       .max_queue = 3});
    MapperEvent e;
    e.name = "save";
    e.span = SpanContext::from_hex("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331");
    for (int i = 0; i < 10; ++i) otlp.mapper(e);
    EXPECT_EQ(otlp.dropped(), 7U);
}

}  // namespace
}  // namespace bloop
