// The client against a scripted transport: request shape, error mapping, retries, logging.

#include <bloop/client/client.hpp>
#include <bloop/exceptions.hpp>
#include <bloop/types/attribute_value.hpp>

#include "client/idempotency.hpp"
#include "fake_transport.hpp"
#include "util/ascii.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <thread>

namespace bloop {
namespace {

using test::FakeTransport;

constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYSECRET";
constexpr const char* kToken = "SESSIONTOKEN+/=abc";

struct Harness {
    std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
    std::vector<std::chrono::milliseconds> sleeps;
    std::vector<std::pair<LogLevel, std::string>> logs;
    std::mutex log_mutex;

    ClientOptions options() {
        ClientOptions o;
        o.region = "eu-west-1";
        o.credentials = Credentials{"AKIDTEST", kSecret, kToken};
        o.endpoint = "http://127.0.0.1:8000";
        o.transport = transport;
        o.environment = Environment(std::map<std::string, std::string, std::less<>>{
            {"AWS_EC2_METADATA_DISABLED", "true"}});  // never ask a real metadata service
        o.retry.sleep = [this](std::chrono::milliseconds d) { sleeps.push_back(d); };
        o.retry.jitter_seed = 7;
        o.log = [this](LogLevel level, std::string_view message) {
            std::lock_guard lock(log_mutex);
            logs.emplace_back(level, std::string(message));
        };
        return o;
    }
};

TEST(Client, SendsJson10RequestToTheServiceEndpoint) {
    Harness h;
    h.transport->respond(200, R"({"Item":{"id":{"S":"1"}}})");
    const Client client(h.options());
    json::Value request;
    request["TableName"] = "T";
    request["Key"] = json::to_json(Item{{"id", AttributeValue::string("1")}});
    const json::Value response = client.call(Operation::GetItem, request);
    EXPECT_EQ(json::to_item(response.at("Item")).at("id"), AttributeValue::string("1"));

    const auto requests = h.transport->requests();
    ASSERT_EQ(requests.size(), 1u);
    const HttpRequest& r = requests[0];
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.url, "http://127.0.0.1:8000/");
    EXPECT_EQ(r.body, R"({"TableName":"T","Key":{"id":{"S":"1"}}})");
    EXPECT_EQ(find_header(r.headers, "Host"), "127.0.0.1:8000");
    EXPECT_EQ(find_header(r.headers, "Content-Type"), "application/x-amz-json-1.0");
    EXPECT_EQ(find_header(r.headers, "X-Amz-Target"), "DynamoDB_20120810.GetItem");
    EXPECT_EQ(find_header(r.headers, "X-Amz-Security-Token"), kToken);
    const std::string auth(find_header(r.headers, "Authorization"));
    EXPECT_EQ(auth.rfind("AWS4-HMAC-SHA256 Credential=AKIDTEST/", 0), 0u) << auth;
    EXPECT_NE(auth.find("/eu-west-1/dynamodb/aws4_request"), std::string::npos);
    EXPECT_EQ(h.transport->timeouts()[0].connect, std::chrono::milliseconds(3000));
}

TEST(Client, StreamsOperationsUseTheStreamsEndpointAndTarget) {
    Harness h;
    h.transport->respond(200, R"({"Streams":[]})");
    ClientOptions o = h.options();
    o.streams_endpoint = "http://127.0.0.1:9000";
    const Client client(o);
    (void)client.call(Operation::ListStreams, json::Value::object());
    const HttpRequest r = h.transport->requests().at(0);
    EXPECT_EQ(r.url, "http://127.0.0.1:9000/");
    EXPECT_EQ(find_header(r.headers, "X-Amz-Target"), "DynamoDBStreams_20120810.ListStreams");
    // Streams signs as "dynamodb".
    EXPECT_NE(std::string(find_header(r.headers, "Authorization"))
                  .find("/eu-west-1/dynamodb/aws4_request"),
              std::string::npos);
}

TEST(Client, OperationNames) {
    EXPECT_EQ(operation_from_name("TransactWriteItems"), Operation::TransactWriteItems);
    EXPECT_EQ(operation_name(Operation::GetRecords), "GetRecords");
    EXPECT_EQ(service_of(Operation::GetShardIterator), Service::streams);
    EXPECT_EQ(service_of(Operation::TransactGetItems), Service::dynamodb);
    EXPECT_EQ(target_of(Operation::DescribeStream), "DynamoDBStreams_20120810.DescribeStream");
}

// Every operation of the two API models, by name, to its service with its target.
TEST(Client, EveryOperationOfTheApiModelsIsKnownByName) {
    std::size_t seen = 0;
    for (const auto& [file, service] :
         {std::pair{"dynamodb_2012-08-10_service-2.json", Service::dynamodb},
          std::pair{"dynamodbstreams_2012-08-10_service-2.json", Service::streams}}) {
        std::ifstream in(std::filesystem::path(BLOOP_AWS_API_DIR) / file);
        if (!in) GTEST_SKIP() << "no AWS API models at " << BLOOP_AWS_API_DIR;
        const json::Value model = json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
        const std::string prefix = model.at("metadata").at("targetPrefix").as_string() + ".";
        for (const auto& [name, operation] : model.at("operations").as_object()) {
            const Operation op = operation_from_name(name);
            EXPECT_EQ(operation_name(op), name);
            EXPECT_EQ(service_of(op), service) << name;
            EXPECT_EQ(target_of(op), prefix + name);
            ++seen;
        }
    }
    EXPECT_EQ(seen, operation_count) << "the enum holds operations the models do not";
}

TEST(ClientUnknownOutcome, NewOperationsAreSentAgainOnlyWhenReadingOrCarryingAToken) {
    const auto retried = [](Operation op, const char* request) {
        Harness h;
        h.transport->drop<ConnectionReset>("answer lost");
        h.transport->respond(200, "{}");
        try {
            (void)Client(h.options()).call(op, json::parse(request));
        } catch (const ConnectionReset&) {
        }
        return h.transport->requests().size() == 2;
    };
    EXPECT_TRUE(retried(Operation::ExecuteStatement, R"({"Statement":" select * from \"T\""})"));
    EXPECT_FALSE(
        retried(Operation::ExecuteStatement, R"({"Statement":"UPDATE \"T\" SET n = n + 1"})"));
    EXPECT_FALSE(retried(Operation::ExecuteStatement, R"({"Statement":"SELECTION"})"));
    EXPECT_TRUE(retried(
        Operation::BatchExecuteStatement,
        R"({"Statements":[{"Statement":"SELECT a FROM T"},{"Statement":"select b FROM T"}]})"));
    EXPECT_FALSE(retried(
        Operation::BatchExecuteStatement,
        R"({"Statements":[{"Statement":"SELECT a FROM T"},{"Statement":"DELETE FROM T"}]})"));
    EXPECT_TRUE(retried(Operation::ExecuteTransaction, R"({"ClientRequestToken":"t1"})"));
    EXPECT_FALSE(retried(Operation::ExecuteTransaction, R"({})"));
    EXPECT_TRUE(retried(Operation::ExportTableToPointInTime, R"({"ClientToken":"e1"})"));
    EXPECT_FALSE(retried(Operation::CreateBackup, R"({"TableName":"T","BackupName":"b"})"));
    EXPECT_FALSE(retried(Operation::DeleteBackup, R"({"BackupArn":"arn"})"));
    EXPECT_TRUE(retried(Operation::DescribeLimits, R"({})"));
    EXPECT_TRUE(retried(Operation::ListBackups, R"({})"));
    EXPECT_TRUE(retried(Operation::UntagResource, R"({})"));
}

TEST(Client, UnknownOperationIsRejectedBeforeSending) {
    Harness h;
    const Client client(h.options());
    try {
        (void)client.call("GetItems", json::Value::object());
        FAIL();
    } catch (const UnknownOperation& e) {
        EXPECT_STREQ(e.what(), "unknown DynamoDB operation \"GetItems\"");
    }
    EXPECT_TRUE(h.transport->requests().empty());
}

TEST(Client, BadRequestBodiesAreRejectedBeforeSending) {
    Harness h;
    const Client client(h.options());
    EXPECT_THROW((void)client.call(Operation::ListTables, json::Value("x")), InvalidJson);
    EXPECT_THROW((void)client.call_raw(Operation::ListTables, "{\"a\":"), InvalidJson);
    EXPECT_THROW((void)client.call_raw(Operation::ListTables, "[]"), InvalidJson);
    EXPECT_TRUE(h.transport->requests().empty());
}

TEST(Client, InvalidConfigurationIsRejectedAtConstruction) {
    Harness h;
    auto bad = [&](auto mutate) {
        ClientOptions o = h.options();
        mutate(o);
        return o;
    };
    EXPECT_THROW(Client(bad([](ClientOptions& o) { o.max_in_flight = 0; })), InvalidConfiguration);
    EXPECT_THROW(Client(bad([](ClientOptions& o) { o.retry.max_attempts = 0; })),
                 InvalidConfiguration);
    EXPECT_THROW(
        Client(bad([](ClientOptions& o) { o.timeouts.connect = std::chrono::milliseconds(0); })),
        InvalidConfiguration);
    EXPECT_THROW(Client(bad([](ClientOptions& o) { o.endpoint = "localhost:8000"; })),
                 InvalidEndpoint);
    EXPECT_THROW(Client(bad([](ClientOptions& o) { o.region.reset(); })), MissingRegion);
    EXPECT_THROW(Client(bad([](ClientOptions& o) { o.credentials.reset(); })), MissingCredentials);
    EXPECT_TRUE(h.transport->requests().empty());
}

template <class E>
void expect_mapped(int status, const std::string& code, bool retryable) {
    Harness h;
    ClientOptions o = h.options();
    o.retry.max_attempts = 1;
    h.transport->fail(status, code, "the message");
    const Client client(o);
    try {
        (void)client.call(Operation::PutItem, json::Value::object());
        FAIL() << "no exception for " << code;
    } catch (const E& e) {
        EXPECT_EQ(e.http_status(), status);
        EXPECT_EQ(e.error_code(), code);
        EXPECT_EQ(e.message(), "the message");
        EXPECT_EQ(e.request_id(), "REQ-" + code);
        EXPECT_EQ(e.operation(), "PutItem");
        EXPECT_EQ(e.retryable(), retryable) << code;
        EXPECT_EQ(std::string(e.what()), "PutItem failed: " + code + ": the message (HTTP " +
                                             std::to_string(status) + ", request id REQ-" + code +
                                             ")");
    }
}

TEST(Client, ErrorCodesBecomeTypedExceptions) {
    expect_mapped<ConditionalCheckFailed>(400, "ConditionalCheckFailedException", false);
    expect_mapped<ResourceNotFound>(400, "ResourceNotFoundException", false);
    expect_mapped<ResourceInUse>(400, "ResourceInUseException", false);
    expect_mapped<ValidationError>(400, "ValidationException", false);
    expect_mapped<ProvisionedThroughputExceeded>(400, "ProvisionedThroughputExceededException",
                                                 true);
    expect_mapped<Throttling>(400, "ThrottlingException", true);
    expect_mapped<Throttling>(400, "RequestLimitExceeded", true);
    expect_mapped<ExpiredIterator>(400, "ExpiredIteratorException", false);
    expect_mapped<TrimmedDataAccess>(400, "TrimmedDataAccessException", false);
    expect_mapped<InternalServerError>(500, "InternalServerError", true);
    expect_mapped<InternalServerError>(503, "ServiceUnavailable", true);
    expect_mapped<ServiceError>(400, "SomethingNewException", false);
}

TEST(Client, ServiceErrorsAreBloopRuntimeErrors) {
    Harness h;
    h.transport->fail(400, "ValidationException", "bad");
    const Client client(h.options());
    try {
        (void)client.call(Operation::PutItem, json::Value::object());
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_NE(dynamic_cast<const BloopException*>(&e), nullptr);
    }
}

TEST(Client, TransactionCanceledCarriesReasonsInOrder) {
    Harness h;
    h.transport->respond(
        400,
        R"({"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","Message":"Transaction cancelled","CancellationReasons":[{"Code":"None"},{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}]})");
    const Client client(h.options());
    try {
        (void)client.call(Operation::TransactWriteItems, json::Value::object());
        FAIL();
    } catch (const TransactionCanceled& e) {
        EXPECT_EQ(e.message(), "Transaction cancelled");
        ASSERT_EQ(e.reasons().size(), 2u);
        EXPECT_EQ(e.reasons()[0].code, "None");
        EXPECT_EQ(e.reasons()[1].code, "ConditionalCheckFailed");
        EXPECT_EQ(e.reasons()[1].message, "The conditional request failed");
    }
}

TEST(Client, ErrorCodeFromHeaderWhenBodyIsNotJson) {
    Harness h;
    ClientOptions o = h.options();
    o.retry.max_attempts = 1;
    h.transport->respond(400, "<html>nope</html>",
                         {{"x-amzn-ErrorType", "ValidationException:http://internal.amazon.com/"}});
    const Client client(o);
    try {
        (void)client.call(Operation::PutItem, json::Value::object());
        FAIL();
    } catch (const ValidationError& e) {
        EXPECT_EQ(e.message(), "<html>nope</html>");
    }
}

TEST(Client, MalformedOrTruncatedSuccessBodyIsAProtocolError) {
    for (const char* body : {R"({"Item":{"id":{"S":"1"})", "", "[1]", "\xff"}) {
        Harness h;
        h.transport->respond(200, body);
        const Client client(h.options());
        EXPECT_THROW((void)client.call(Operation::GetItem, json::Value::object()), ProtocolError)
            << body;
        EXPECT_EQ(h.transport->requests().size(), 1u) << "a malformed body is not retried";
    }
}

TEST(Client, RetriesThrottlingAnd5xxThenSucceeds) {
    Harness h;
    h.transport->fail(400, "ProvisionedThroughputExceededException", "slow down");
    h.transport->fail(500, "InternalServerError", "oops");
    h.transport->drop<ConnectionReset>("reset");
    h.transport->drop<RequestTimeout>("timeout");
    h.transport->drop<ConnectionRefused>("refused");
    h.transport->respond(200, "{}");
    ClientOptions o = h.options();
    o.retry.base_delay = std::chrono::milliseconds(10);
    o.retry.max_delay = std::chrono::milliseconds(100);
    const Client client(o);
    EXPECT_EQ(client.call(Operation::PutItem, json::Value::object()), json::Value::object());
    EXPECT_EQ(h.transport->requests().size(), 6u);
    ASSERT_EQ(h.sleeps.size(), 5u);
    const long caps[] = {10, 20, 40, 80, 100};
    for (std::size_t i = 0; i < h.sleeps.size(); ++i) {
        EXPECT_GE(h.sleeps[i].count(), 0);
        EXPECT_LE(h.sleeps[i].count(), caps[i]) << "retry " << i + 1;
    }
    // Every attempt is signed afresh: exactly one Authorization header each.
    for (const auto& r : h.transport->requests()) {
        int n = 0;
        for (const auto& [k, v] : r.headers) n += (k == "Authorization");
        EXPECT_EQ(n, 1);
    }
}

TEST(Client, FullJitterSpreadsDelaysOverTheWholeRange) {
    Harness h;
    for (int i = 0; i < 200; ++i) h.transport->fail(400, "ThrottlingException", "x");
    ClientOptions o = h.options();
    o.retry.max_attempts = 200;
    o.retry.base_delay = std::chrono::milliseconds(1000);
    o.retry.max_delay = std::chrono::milliseconds(1000);
    const Client client(o);
    EXPECT_THROW((void)client.call(Operation::PutItem, json::Value::object()), Throttling);
    ASSERT_EQ(h.sleeps.size(), 199u);
    const auto [lo, hi] = std::minmax_element(h.sleeps.begin(), h.sleeps.end());
    EXPECT_LT(lo->count(), 200);
    EXPECT_GT(hi->count(), 800);
}

TEST(Client, GivesUpAfterMaxAttemptsWithTheLastError) {
    Harness h;
    for (int i = 0; i < 3; ++i) h.transport->fail(400, "ThrottlingException", "busy");
    ClientOptions o = h.options();
    o.retry.max_attempts = 3;
    const Client client(o);
    EXPECT_THROW((void)client.call(Operation::PutItem, json::Value::object()), Throttling);
    EXPECT_EQ(h.transport->requests().size(), 3u);
    EXPECT_EQ(h.sleeps.size(), 2u);
}

TEST(Client, AttemptsComeFromAwsMaxAttemptsUnlessSetExplicitly) {
    Harness h;
    for (int i = 0; i < 5; ++i) h.transport->fail(400, "ThrottlingException", "busy");
    ClientOptions o = h.options();
    o.environment = Environment(std::map<std::string, std::string, std::less<>>{
        {"AWS_EC2_METADATA_DISABLED", "true"}, {"AWS_MAX_ATTEMPTS", "2"}});
    EXPECT_THROW((void)Client(o).call(Operation::PutItem, json::Value::object()), Throttling);
    EXPECT_EQ(h.transport->requests().size(), 2u);
    o.retry.max_attempts = 3;
    EXPECT_THROW((void)Client(o).call(Operation::PutItem, json::Value::object()), Throttling);
    EXPECT_EQ(h.transport->requests().size(), 5u);
    EXPECT_EQ(*Client(o).retry_policy().max_attempts, 3);
}

TEST(Client, TransportErrorsSurfaceTypedAfterRetries) {
    Harness h;
    ClientOptions o = h.options();
    o.retry.max_attempts = 2;
    h.transport->drop<ConnectionRefused>("refused");
    h.transport->drop<ConnectionRefused>("refused");
    const Client client(o);
    EXPECT_THROW((void)client.call(Operation::PutItem, json::Value::object()), ConnectionRefused);
    EXPECT_EQ(h.transport->requests().size(), 2u);
}

TEST(Client, ATimeoutBoundsTheWholeCallItsAttemptsAndRetries) {
    Harness h;
    const auto slow_refusal = [] {
        std::this_thread::sleep_for(std::chrono::milliseconds(120));
        return HttpResponse{};
    };
    h.transport->then([&]() -> HttpResponse {
        slow_refusal();
        throw ConnectionRefused("refused");
    });
    const Client client(h.options());
    // No retry starts past the call's timeout: the attempt's own error.
    EXPECT_THROW((void)client.call(Operation::PutItem, json::Value::object(),
                                   {.timeout = std::chrono::milliseconds(100)}),
                 ConnectionRefused);
    ASSERT_EQ(h.transport->requests().size(), 1u);
    EXPECT_TRUE(h.sleeps.empty());
    // The attempt's timeouts shrank to fit the call's.
    EXPECT_LE(h.transport->timeouts()[0].request, std::chrono::milliseconds(100));
    EXPECT_LE(h.transport->timeouts()[0].connect, std::chrono::milliseconds(100));

    // Within the timeout, retries go on as usual.
    h.transport->fail(400, "ThrottlingException", "busy");
    h.transport->respond(200, "{}");
    EXPECT_NO_THROW((void)client.call(Operation::PutItem, json::Value::object(),
                                      {.timeout = std::chrono::seconds(30)}));
    EXPECT_EQ(h.transport->requests().size(), 3u);
    EXPECT_GT(h.transport->timeouts()[2].request, std::chrono::seconds(29));
}

TEST(Client, NeverRetriesClientErrors) {
    for (const char* code : {"ValidationException", "ConditionalCheckFailedException",
                             "ResourceNotFoundException", "TransactionCanceledException"}) {
        Harness h;
        h.transport->fail(400, code, "no");
        const Client client(h.options());
        EXPECT_THROW((void)client.call(Operation::PutItem, json::Value::object()), ServiceError);
        EXPECT_EQ(h.transport->requests().size(), 1u) << code;
        EXPECT_TRUE(h.sleeps.empty()) << code;
    }
}

TEST(Client, BackoffCapDoublesUpToTheMaximum) {
    RetryPolicy p;
    p.base_delay = std::chrono::milliseconds(25);
    p.max_delay = std::chrono::milliseconds(150);
    EXPECT_EQ(p.backoff_cap(1).count(), 25);
    EXPECT_EQ(p.backoff_cap(2).count(), 50);
    EXPECT_EQ(p.backoff_cap(3).count(), 100);
    EXPECT_EQ(p.backoff_cap(4).count(), 150);
    EXPECT_EQ(p.backoff_cap(60).count(), 150);
}

TEST(Client, SecretsNeverAppearInLogsOrExceptions) {
    Harness h;
    // A throttled attempt whose message echoes the secret, then a refusal: every log line and the
    // final exception must hold neither the secret, the token nor any attempt's signature.
    h.transport->fail(400, "ThrottlingException", std::string("echo ") + kSecret);
    h.transport->respond(403, std::string("denied ") + kSecret);
    ClientOptions o = h.options();
    o.retry.max_attempts = 2;
    const Client client(o);
    std::string message;
    try {
        (void)client.call(Operation::PutItem, json::Value::object());
    } catch (const ServiceError& e) {
        message = e.what();
    }
    std::string all_logs;
    for (const auto& [level, line] : h.logs) all_logs += line + "\n";
    EXPECT_FALSE(all_logs.empty());
    for (const std::string& text : {message, all_logs}) {
        EXPECT_EQ(text.find(kSecret), std::string::npos) << text;
        EXPECT_EQ(text.find(kToken), std::string::npos) << text;
        for (const auto& r : h.transport->requests()) {
            const std::string auth(find_header(r.headers, "Authorization"));
            const std::string signature = auth.substr(auth.rfind('=') + 1);
            EXPECT_EQ(text.find(signature), std::string::npos) << text;
        }
    }
}

TEST(Client, SignatureEchoedInAnErrorIsRedacted) {
    // The service's message repeats the Authorization header it received.
    class Echo : public Transport {
      public:
        HttpResponse send(const HttpRequest& r, const Timeouts&) override {
            const std::string auth(find_header(r.headers, "Authorization"));
            const std::string token(find_header(r.headers, "X-Amz-Security-Token"));
            return {400,
                    {},
                    R"({"__type":"x#InvalidSignatureException","message":"got )" + auth +
                        " token " + token + R"("})"};
        }
    };
    Harness h;
    ClientOptions o = h.options();
    o.transport = std::make_shared<Echo>();
    const Client client(o);
    try {
        (void)client.call(Operation::PutItem, json::Value::object());
        FAIL();
    } catch (const ServiceError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("Signature=***"), std::string::npos) << m;
        EXPECT_NE(m.find("token ***"), std::string::npos) << m;
        EXPECT_EQ(m.find(kToken), std::string::npos) << m;
    }
}

TEST(Client, LogsNothingWithoutAListener) {
    Harness h;
    h.transport->respond(200, "{}");
    ClientOptions o = h.options();
    o.log = nullptr;
    const Client client(o);
    (void)client.call(Operation::ListTables, json::Value::object());
    EXPECT_TRUE(h.logs.empty());
}

TEST(Client, AsyncCallsRunConcurrentlyAndDeliverResults) {
    Harness h;
    for (int i = 0; i < 20; ++i) h.transport->respond(200, R"({"n":1})");
    ClientOptions o = h.options();
    o.max_in_flight = 4;
    std::vector<std::future<json::Value>> futures;
    {
        const Client client(o);
        for (int i = 0; i < 20; ++i)
            futures.push_back(client.call_async(Operation::GetItem, json::Value::object()));
    }  // the last handle waits for queued calls
    for (auto& f : futures) EXPECT_EQ(f.get().at("n").as_int(), 1);
    EXPECT_EQ(h.transport->requests().size(), 20u);
}

TEST(Client, AsyncErrorsArriveThroughTheFuture) {
    Harness h;
    h.transport->fail(400, "ValidationException", "bad");
    const Client client(h.options());
    auto f = client.call_async(Operation::PutItem, json::Value::object());
    EXPECT_THROW((void)f.get(), ValidationError);
}

// ---- attempts whose outcome is unknown ----

json::Value update_request(const std::string& expression) {
    json::Value r;
    r["TableName"] = "T";
    r["UpdateExpression"] = expression;
    return r;
}

TEST(ClientUnknownOutcome, RelativeUpdatesAreNotSentTwice) {
    // Each may reach the server and apply: sending it again could count twice.
    for (const char* expression : {"ADD #n0 :v0", "SET #n0 = #n0 + :v0", "set #a = #a - :v",
                                   "SET #l = list_append(#l, :v)", "REMOVE #x ADD #c :one"}) {
        Harness h;
        h.transport->drop<ConnectionReset>("reset after sending");
        h.transport->respond(200, "{}");
        const Client client(h.options());
        EXPECT_THROW((void)client.call(Operation::UpdateItem, update_request(expression)),
                     ConnectionReset)
            << expression;
        EXPECT_EQ(h.transport->requests().size(), 1u) << expression;
    }
    Harness h;
    h.transport->fail(500, "InternalServerError", "maybe applied");
    h.transport->drop<RequestTimeout>("timed out");
    const Client client(h.options());
    // Either way the error says the update may have been applied.
    try {
        (void)client.call(Operation::UpdateItem, update_request("ADD #c :v"));
        FAIL();
    } catch (const InternalServerError& e) {
        EXPECT_TRUE(e.outcome_unknown());
    }
    try {
        (void)client.call(Operation::UpdateItem, update_request("ADD #c :v"));
        FAIL();
    } catch (const RequestTimeout& e) {
        EXPECT_TRUE(e.outcome_unknown());
    }
    EXPECT_EQ(h.transport->requests().size(), 2u);
}

TEST(ClientUnknownOutcome, AServiceErrorSaysWhetherTheRequestMayHaveBeenApplied) {
    Harness h;
    h.transport->fail(400, "ValidationException", "refused outright");
    h.transport->drop<ConnectionReset>("response lost");
    h.transport->fail(400, "ValidationException", "after a lost answer");
    ClientOptions o = h.options();
    o.retry.max_attempts = 2;
    const Client client(o);
    try {
        (void)client.call(Operation::PutItem, json::Value::object());
        FAIL();
    } catch (const ValidationError& e) {
        EXPECT_FALSE(e.outcome_unknown());
    }
    try {
        (void)client.call(Operation::PutItem, json::Value::object());
        FAIL();
    } catch (const ValidationError& e) {
        EXPECT_TRUE(e.outcome_unknown()) << "its first attempt may have been applied";
    }
}

TEST(ClientUnknownOutcome, RelativeUpdatesAreFoundAsWordsInAnyCase) {
    for (const char* relative :
         {"ADD #c :v", "add #c :v", "SET #n0=#n0+:v1", "SET #n0 = :v0 - #n1",
          "SET #l=LIST_APPEND(#l,:v)", "SET #a=:b,#l=list_append(:v, #l)", "REMOVE #x ADD #c :one",
          "DELETE #s :v ADD #c :v", "SET #a = :b ADD", "SET #a=:b\tAdd\n#c :d"}) {
        EXPECT_FALSE(detail::update_is_idempotent(relative)) << relative;
    }
    for (const char* absolute :
         {"", "SET #n0 = :v0 REMOVE #n1", "SET #n0=:v1, #n2=if_not_exists(#n2, :v3)",
          "SET #add = :add", "SET #ADD0=:vADD, #list_append=:list_append",
          "REMOVE #n0[2] DELETE #s :v", "SET #adds = :v", "SET #a=:add_"}) {
        EXPECT_TRUE(detail::update_is_idempotent(absolute)) << absolute;
    }
}

TEST(Ascii, CaseFoldsOnlyAToZ) {
    EXPECT_TRUE(detail::ascii_iequals("Content-Length", "content-LENGTH"));
    EXPECT_FALSE(detail::ascii_iequals("Content-Length", "Content-Lengths"));
    EXPECT_FALSE(detail::ascii_iequals("[", "{")) << "'[' is 'A'-'Z' shifted, but not a letter";
    EXPECT_FALSE(detail::ascii_iequals("\xc3\x84", "\xc3\xa4"))
        << "non-ASCII bytes compare exactly";
    EXPECT_EQ(detail::ascii_lower("X-Amz-Date \xc3\x84@[Z]"), "x-amz-date \xc3\x84@[z]");
}

TEST(ClientUnknownOutcome, WhatWasNeverSentOrWasRefusedIsRetriedForEveryRequest) {
    Harness h;
    h.transport->drop<ConnectionRefused>("refused");
    h.transport->drop<ConnectTimeout>("connect timed out");
    h.transport->fail(400, "ThrottlingException", "slow down");
    h.transport->respond(200, "{}");
    const Client client(h.options());
    (void)client.call(Operation::UpdateItem, update_request("ADD #c :v"));
    EXPECT_EQ(h.transport->requests().size(), 4u);
}

TEST(ClientUnknownOutcome, AbsoluteWritesAreRetriedAndAFailureAfterwardsSaysSo) {
    for (const Operation op : {Operation::UpdateItem, Operation::PutItem, Operation::DeleteItem}) {
        Harness h;
        h.transport->drop<ConnectionReset>("response lost");
        h.transport->respond(
            400,
            R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed","Item":{"id":{"S":"1"},"n":{"N":"2"}}})");
        const Client client(h.options());
        try {
            (void)client.call(op, update_request("SET #n0 = :v0 REMOVE #n1"));
            FAIL();
        } catch (const ConditionalCheckFailed& e) {
            EXPECT_TRUE(e.info().earlier_attempt_unknown);
            ASSERT_NE(e.item(), nullptr);
            EXPECT_EQ(e.item()->at("n"), AttributeValue::number("2"));
        }
        EXPECT_EQ(h.transport->requests().size(), 2u);
    }
}

TEST(ClientUnknownOutcome, AFailureAfterAnAttemptThatWasNeverSentIsPlain) {
    Harness h;
    h.transport->drop<ConnectionRefused>("refused");
    h.transport->fail(400, "ConditionalCheckFailedException", "The conditional request failed");
    const Client client(h.options());
    try {
        (void)client.call(Operation::PutItem, json::Value::object());
        FAIL();
    } catch (const ConditionalCheckFailed& e) {
        EXPECT_FALSE(e.info().earlier_attempt_unknown);
        EXPECT_EQ(e.item(), nullptr);
    }
}

TEST(ClientUnknownOutcome, TransactionsAreRetriedOnlyWithAClientRequestToken) {
    Harness h;
    h.transport->drop<ConnectionReset>("lost");
    h.transport->drop<ConnectionReset>("lost");
    h.transport->respond(200, "{}");
    const Client client(h.options());
    EXPECT_THROW((void)client.call(Operation::TransactWriteItems, json::Value::object()),
                 ConnectionReset);
    json::Value with_token;
    with_token["ClientRequestToken"] = "token-1";
    (void)client.call(Operation::TransactWriteItems, with_token);
    EXPECT_EQ(h.transport->requests().size(), 3u);
}

TEST(ClientUnknownOutcome, TransportErrorsSayWhetherTheRequestMayHaveBeenApplied) {
    EXPECT_FALSE(ConnectionRefused("x").outcome_unknown());
    EXPECT_FALSE(ConnectTimeout("x").outcome_unknown());
    EXPECT_TRUE(ConnectionReset("x").outcome_unknown());
    EXPECT_TRUE(RequestTimeout("x").outcome_unknown());
    EXPECT_TRUE(TransportError("x").outcome_unknown());
}

TEST(Client, NonJsonErrorBodyIsRedactedBeforeItIsCut) {
    // The session token straddles the 200-character cut.
    Harness h;
    ClientOptions o = h.options();
    o.retry.max_attempts = 1;
    h.transport->respond(400, std::string(195, '.') + kToken + " and more",
                         {{"x-amzn-ErrorType", "ValidationException"}});
    const Client client(o);
    try {
        (void)client.call(Operation::PutItem, json::Value::object());
        FAIL();
    } catch (const ValidationError& e) {
        const std::string prefix = std::string(kToken).substr(0, 5);
        EXPECT_EQ(e.message().find(prefix), std::string::npos) << e.message();
        EXPECT_EQ(std::string(e.what()).find(prefix), std::string::npos) << e.what();
    }
}

TEST(Client, EveryAttemptIsSignedWithTheProvidersCurrentCredentials) {
    // Credentials renewed between two attempts sign the retry.
    class Rotating : public CredentialsProvider {
      public:
        Credentials credentials() override {
            ++calls;
            return {"KEY" + std::to_string(calls), "secret", ""};
        }
        std::string name() const override { return "rotating"; }
        int calls = 0;
    };
    Harness h;
    auto rotating = std::make_shared<Rotating>();
    ClientOptions o = h.options();
    o.credentials.reset();
    o.credentials_provider = rotating;
    h.transport->fail(500, "InternalServerError", "retry me");
    h.transport->respond(200, "{}");
    const Client client(o);
    (void)client.call(Operation::ListTables, json::Value::object());
    const auto requests = h.transport->requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_NE(
        std::string(find_header(requests[0].headers, "Authorization")).find("Credential=KEY1/"),
        std::string::npos);
    EXPECT_NE(
        std::string(find_header(requests[1].headers, "Authorization")).find("Credential=KEY2/"),
        std::string::npos);
}

TEST(Client, AProviderThatCannotSupplyCredentialsFailsTheCallNamingIt) {
    Harness h;
    ClientOptions o = h.options();
    o.credentials_provider = refreshing_credentials_provider(
        "vault", []() -> Credentials { throw CredentialsUnavailable("vault: sealed"); });
    const Client client(o);
    try {
        (void)client.call(Operation::ListTables, json::Value::object());
        FAIL();
    } catch (const CredentialsUnavailable& e) {
        EXPECT_STREQ(e.what(), "no credentials from vault: vault: sealed");
    }
    EXPECT_TRUE(h.transport->requests().empty());
}

TEST(Client, NoRequestIsSignedWithCredentialsPastTheirExpiration) {
    Harness h;
    auto now = std::chrono::system_clock::now();
    const auto expiry = now + std::chrono::hours(1);
    bool fail = false;
    ClientOptions o = h.options();
    o.credentials.reset();
    o.credentials_provider = refreshing_credentials_provider(
        "ec2-instance-metadata",
        [&]() -> Credentials {
            if (fail) throw CredentialsUnavailable("ec2-instance-metadata: HTTP 500");
            return {"ASIAOLD", "secret", "token", expiry};
        },
        RefreshOptions{.jitter = std::chrono::seconds(0), .clock = [&] { return now; }});
    h.transport->respond(200, "{}");
    h.transport->respond(200, "{}");
    const Client client(o);
    (void)client.call(Operation::ListTables, json::Value::object());
    fail = true;
    now = expiry - std::chrono::seconds(2);  // renewal fails; the old keys still work
    (void)client.call(Operation::ListTables, json::Value::object());
    now = expiry + std::chrono::seconds(1);
    EXPECT_THROW((void)client.call(Operation::ListTables, json::Value::object()),
                 CredentialsUnavailable);
    EXPECT_EQ(h.transport->requests().size(), 2u) << "a request went out with expired keys";
}

TEST(Client, DynamoDbRequestsGoToTheAccountEndpointOfTheCredentials) {
    class Accounts : public CredentialsProvider {
      public:
        Credentials credentials() override { return {"AKID", "secret", "", std::nullopt, account}; }
        std::string name() const override { return "accounts"; }
        std::string account;
    };
    Harness h;
    auto accounts = std::make_shared<Accounts>();
    ClientOptions o = h.options();
    o.endpoint.reset();
    o.credentials.reset();
    o.credentials_provider = accounts;
    for (int i = 0; i < 4; ++i) h.transport->respond(200, "{}");
    const Client client(o);
    EXPECT_EQ(client.endpoint(Service::dynamodb).url(),
              "https://dynamodb.eu-west-1.amazonaws.com/");
    (void)client.call(Operation::ListTables, json::Value::object());
    accounts->account = "111122223333";
    (void)client.call(Operation::ListTables, json::Value::object());
    (void)client.call(Operation::GetRecords, json::Value::object());  // Streams: no account form
    accounts->account = "444455556666";
    (void)client.call(Operation::ListTables, json::Value::object());
    const auto requests = h.transport->requests();
    ASSERT_EQ(requests.size(), 4u);
    EXPECT_EQ(requests[0].url, "https://dynamodb.eu-west-1.amazonaws.com/");
    EXPECT_EQ(requests[1].url, "https://111122223333.ddb.eu-west-1.amazonaws.com/");
    EXPECT_EQ(find_header(requests[1].headers, "Host"), "111122223333.ddb.eu-west-1.amazonaws.com");
    EXPECT_EQ(requests[2].url, "https://streams.dynamodb.eu-west-1.amazonaws.com/");
    EXPECT_EQ(requests[3].url, "https://444455556666.ddb.eu-west-1.amazonaws.com/");

    // Required, with credentials that name no account: refused before sending.
    o.account_id_endpoint_mode = AccountIdEndpointMode::required;
    accounts->account.clear();
    const Client strict(o);
    EXPECT_THROW((void)strict.call(Operation::ListTables, json::Value::object()), InvalidEndpoint);
    EXPECT_EQ(h.transport->requests().size(), 4u);
}

}  // namespace
}  // namespace bloop
