// The client's policies one at a time (src/client/policies/), each over a scripted policy below
// it: retries on an injected clock and sleep (no real time passes), signing and routing, the
// in-flight limit, error mapping, the request log, and the pipeline's order.

#include <bloop/client/client.hpp>
#include <bloop/client/credentials.hpp>
#include <bloop/exceptions.hpp>

#include "client/adaptive_limit.hpp"
#include "client/policies/error_mapping.hpp"
#include "client/policies/in_flight_limit.hpp"
#include "client/policies/policy.hpp"
#include "client/policies/request_log.hpp"
#include "client/policies/retries.hpp"
#include "client/policies/router.hpp"
#include "client/policies/signing.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bloop::detail {
namespace {

using std::chrono::milliseconds;

// The policy below the one under test: answers from a script and records what it saw.
class Scripted final : public Policy {
  public:
    std::deque<std::function<HttpResponse(Exchange&)>> script;
    std::vector<Exchange> seen;

    void answer(int status, std::string body = "{}") {
        script.emplace_back([=](Exchange&) { return HttpResponse{status, {}, body}; });
    }
    void fail(int status, const std::string& code, const std::string& message) {
        answer(status, R"({"__type":"com.amazonaws.dynamodb.v20120810#)" + code +
                           R"(","message":")" + message + R"("})");
    }
    template <class E>
    void drop(const std::string& message) {
        script.emplace_back([=](Exchange&) -> HttpResponse { throw E(message); });
    }
    HttpResponse send(Exchange& exchange, const Next&) override {
        seen.push_back(exchange);
        auto step = std::move(script.front());
        script.pop_front();
        return step(exchange);
    }
};

// `policy` over the scripted one, as a pipeline.
struct Over {
    Scripted* below;
    Pipeline pipeline;
    HttpResponse send(Exchange& e) const { return pipeline.send(e); }
};

Over over(std::unique_ptr<Policy> policy, std::vector<std::unique_ptr<Policy>> between = {}) {
    auto scripted = std::make_unique<Scripted>();
    Scripted* below = scripted.get();
    std::vector<std::unique_ptr<Policy>> policies;
    policies.push_back(std::move(policy));
    for (auto& p : between) policies.push_back(std::move(p));
    policies.push_back(std::move(scripted));
    return {below, Pipeline(std::move(policies))};
}

// An ErrorMapping policy, to put between the policy under test and the scripted one.
std::vector<std::unique_ptr<Policy>> error_mapping() {
    std::vector<std::unique_ptr<Policy>> v;
    v.push_back(std::make_unique<ErrorMapping>());
    return v;
}

Exchange exchange_of(Operation op, const CallOptions& call, bool idempotent = true) {
    Exchange e;
    e.op = op;
    e.call = &call;
    e.idempotent = idempotent;
    e.request.body = "{}";
    return e;
}

Environment empty_environment() {
    return Environment(std::map<std::string, std::string, std::less<>>{});
}

// A clock that moves only when told, and a sleep that moves it.
struct FakeTime {
    std::chrono::steady_clock::time_point now{std::chrono::hours(1)};
    std::vector<milliseconds> sleeps;
};

RetryPolicy parameters(FakeTime& time, int attempts) {
    RetryPolicy p = resolve_retry_policy(RetryPolicy{}, std::nullopt, empty_environment());
    p.max_attempts = attempts;
    p.base_delay = milliseconds(100);
    p.max_delay = milliseconds(1000);
    p.jitter_seed = 7;
    p.sleep = [&time](milliseconds d) {
        time.sleeps.push_back(d);
        time.now += d;
    };
    return p;
}

std::unique_ptr<Retries> retries(FakeTime& time, int attempts, LogListener log = {}) {
    return std::make_unique<Retries>(parameters(time, attempts),
                                     Timeouts{milliseconds(1000), milliseconds(5000)},
                                     std::move(log), [&time] { return time.now; });
}

// ---- Retries

TEST(RetriesPolicy, RetriesARetryableErrorWithTheBackoffThenReturnsTheAnswer) {
    FakeTime time;
    auto [below, pipeline] = over(retries(time, 4), error_mapping());
    below->fail(400, "ThrottlingException", "slow down");
    below->drop<ConnectionReset>("reset");
    below->answer(200, R"({"ok":1})");
    const CallOptions call;
    Exchange e = exchange_of(Operation::GetItem, call);
    EXPECT_EQ(pipeline.send(e).body, R"({"ok":1})");
    ASSERT_EQ(below->seen.size(), 3u);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(below->seen[i].attempt, i + 1);
    ASSERT_EQ(time.sleeps.size(), 2u);
    EXPECT_LE(time.sleeps[0], milliseconds(100));
    EXPECT_LE(time.sleeps[1], milliseconds(200));
}

TEST(RetriesPolicy, AWriteIsNotSentAgainAfterAnUnknownOutcomeButARefusalIsRetried) {
    FakeTime time;
    auto [below, pipeline] = over(retries(time, 5));
    below->drop<ConnectionReset>("reset after sending");
    const CallOptions call;
    Exchange write = exchange_of(Operation::UpdateItem, call, /*idempotent=*/false);
    EXPECT_THROW((void)pipeline.send(write), ConnectionReset);
    EXPECT_EQ(below->seen.size(), 1u);

    below->drop<ConnectionRefused>("refused: never sent");
    below->answer(200);
    Exchange again = exchange_of(Operation::UpdateItem, call, /*idempotent=*/false);
    EXPECT_EQ(pipeline.send(again).status, 200);
    EXPECT_EQ(below->seen.size(), 3u);
    EXPECT_FALSE(again.earlier_attempt_unknown);
}

TEST(RetriesPolicy, AnErrorAfterAnUnknownAttemptSaysSo) {
    FakeTime time;
    auto [below, pipeline] = over(retries(time, 5), error_mapping());
    below->answer(500, R"({"__type":"InternalServerError","message":"oops"})");
    below->fail(400, "ConditionalCheckFailedException", "no");
    const CallOptions call;
    Exchange e = exchange_of(Operation::PutItem, call);
    try {
        (void)pipeline.send(e);
        FAIL();
    } catch (const ConditionalCheckFailed& error) {
        EXPECT_TRUE(error.outcome_unknown());
        EXPECT_TRUE(error.info().earlier_attempt_unknown);
    }
    EXPECT_FALSE(below->seen[0].earlier_attempt_unknown);
    EXPECT_TRUE(below->seen[1].earlier_attempt_unknown);
}

TEST(RetriesPolicy, ACallTimeoutShrinksEachAttemptAndStopsRetriesOnTheInjectedClock) {
    FakeTime time;
    auto [below, pipeline] = over(retries(time, 10));
    // Each attempt takes 150 ms of the call's 400.
    for (int i = 0; i < 10; ++i) {
        below->script.emplace_back([&time](Exchange&) -> HttpResponse {
            time.now += milliseconds(150);
            throw ConnectionRefused("refused");
        });
    }
    const CallOptions call{.timeout = milliseconds(400)};
    Exchange e = exchange_of(Operation::GetItem, call);
    EXPECT_THROW((void)pipeline.send(e), TransportError);
    ASSERT_GE(below->seen.size(), 2u);
    EXPECT_EQ(below->seen[0].timeouts.request, milliseconds(400));
    EXPECT_EQ(below->seen[0].timeouts.connect, milliseconds(400));
    EXPECT_LT(below->seen[1].timeouts.request, milliseconds(400 - 150 + 1));
    // Nothing ran past the deadline: no attempt started after it, no sleep ended after it.
    const auto start = std::chrono::steady_clock::time_point{std::chrono::hours(1)};
    milliseconds slept{0};
    for (auto s : time.sleeps) slept += s;
    EXPECT_LE(milliseconds(150) * static_cast<long>(below->seen.size() - 1) + slept,
              milliseconds(400));
    EXPECT_LE(time.now - start, milliseconds(400) + milliseconds(150));
}

TEST(RetriesPolicy, NoAttemptStartsOnceTheCallIsOutOfTime) {
    FakeTime time;
    auto [below, pipeline] = over(retries(time, 3));
    const CallOptions call{.timeout = milliseconds(0)};
    Exchange e = exchange_of(Operation::GetItem, call);
    EXPECT_THROW((void)pipeline.send(e), RequestTimeout);
    EXPECT_TRUE(below->seen.empty());
}

TEST(RetriesPolicy, ExpectedErrorsAreLoggedAtDebugOthersAsWarnings) {
    FakeTime time;
    std::vector<std::pair<LogLevel, std::string>> lines;
    auto [below, pipeline] = over(
        retries(time, 1,
                [&](LogLevel l, std::string_view m) { lines.emplace_back(l, std::string(m)); }),
        error_mapping());
    below->fail(400, "ResourceInUseException", "exists");
    below->fail(400, "ResourceInUseException", "exists");
    const CallOptions expected{.expected_errors = {"ResourceInUseException"}};
    Exchange a = exchange_of(Operation::CreateTable, expected);
    EXPECT_THROW((void)pipeline.send(a), ResourceInUse);
    const CallOptions plain;
    Exchange b = exchange_of(Operation::CreateTable, plain);
    EXPECT_THROW((void)pipeline.send(b), ResourceInUse);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].first, LogLevel::debug);
    EXPECT_EQ(lines[1].first, LogLevel::warning);
    EXPECT_EQ(lines[1].second, "CreateTable failed: ResourceInUseException: exists");
}

TEST(RetriesPolicy, TheEnginesOwnRoundsWaitTheSameBackoff) {
    FakeTime time;
    auto policy = retries(time, 3);
    policy->wait_before_retry(1);
    policy->wait_before_retry(4);
    ASSERT_EQ(time.sleeps.size(), 2u);
    EXPECT_LE(time.sleeps[0], milliseconds(100));
    EXPECT_LE(time.sleeps[1], milliseconds(800));
}

// ---- Signing

class Rotating final : public CredentialsProvider {
  public:
    Credentials credentials() override {
        ++calls;
        return Credentials{"AKID" + std::to_string(calls), "secret", "", {}, account};
    }
    std::string name() const override { return "rotating"; }
    int calls = 0;
    std::string account;
};

TEST(SigningPolicy, EveryAttemptIsSignedWithTheCredentialsOfThatMomentAndItsHeaders) {
    auto provider = std::make_shared<Rotating>();
    Router router("http://localhost:8000", std::nullopt, "us-east-1", EndpointSettings{},
                  empty_environment());
    auto [below, pipeline] = over(
        std::make_unique<Signing>(provider, router, SigV4Signer("us-east-1", "dynamodb"),
                                  Environment(std::map<std::string, std::string, std::less<>>{})));
    below->answer(200);
    below->answer(200);
    const CallOptions call;
    for (int i = 0; i < 2; ++i) {
        Exchange e = exchange_of(Operation::GetItem, call);
        (void)pipeline.send(e);
    }
    ASSERT_EQ(below->seen.size(), 2u);
    for (int i = 0; i < 2; ++i) {
        const HttpRequest& r = below->seen[i].request;
        EXPECT_EQ(r.url, "http://localhost:8000/");
        EXPECT_EQ(find_header(r.headers, "X-Amz-Target"), "DynamoDB_20120810.GetItem");
        EXPECT_EQ(find_header(r.headers, "Host"), "localhost:8000");
        const std::string auth(find_header(r.headers, "Authorization"));
        EXPECT_NE(auth.find("Credential=AKID" + std::to_string(i + 1) + "/"), std::string::npos)
            << auth;
        EXPECT_EQ(below->seen[i].credentials.access_key_id, "AKID" + std::to_string(i + 1));
        EXPECT_NE(auth.find(below->seen[i].signature), std::string::npos);
    }
}

TEST(SigningPolicy, DynamoDbRequestsGoToTheEndpointOfTheCredentialsAccount) {
    auto provider = std::make_shared<Rotating>();
    provider->account = "111122223333";
    Router router(std::nullopt, std::nullopt, "us-east-1", EndpointSettings{}, empty_environment());
    auto [below, pipeline] = over(
        std::make_unique<Signing>(provider, router, SigV4Signer("us-east-1", "dynamodb"),
                                  Environment(std::map<std::string, std::string, std::less<>>{})));
    below->answer(200);
    below->answer(200);
    const CallOptions call;
    Exchange get = exchange_of(Operation::GetItem, call);
    (void)pipeline.send(get);
    Exchange records = exchange_of(Operation::GetRecords, call);
    (void)pipeline.send(records);
    EXPECT_EQ(below->seen[0].request.url, "https://111122223333.ddb.us-east-1.amazonaws.com/");
    EXPECT_EQ(below->seen[1].request.url, "https://streams.dynamodb.us-east-1.amazonaws.com/");
}

// ---- InFlightLimit

TEST(InFlightLimitPolicy, AnAnswerTeachesItsLatencyAThrottleHalvesTheLimitNoAnswerTeachesNothing) {
    AdaptiveLimit limit(64);
    std::vector<std::string> lines;
    // Named members, not a structured binding: the lambdas below capture them (clang 14 cannot
    // capture structured bindings).
    // Every answer takes half a millisecond on the test's own clock (real microseconds vary too
    // much under sanitizers to be judged).
    auto now = InFlightLimit::Clock::now();
    Over setup = over(std::make_unique<InFlightLimit>(
                          limit, [&](LogLevel, std::string_view m) { lines.emplace_back(m); },
                          [&now] { return now += std::chrono::microseconds(500); }),
                      error_mapping());
    Scripted* below = setup.below;
    Pipeline& pipeline = setup.pipeline;
    const CallOptions call;
    // Sends `n` PutItems, each answered as `answer` sets up, each throwing E.
    const auto send = [&]<class E>(int n, const std::function<void()>& answer) {
        for (int i = 0; i < n; ++i) {
            answer();
            Exchange e = exchange_of(Operation::PutItem, call);
            EXPECT_THROW((void)pipeline.send(e), E);
        }
    };
    const auto refused = [&] { below->fail(400, "ConditionalCheckFailedException", "no"); };
    // Error answers are answers: the first 32 are the first probe (the base), then a cohort as
    // fast as the base, and the limit grows (slow start: by the cohort).
    send.operator()<ConditionalCheckFailed>(32, refused);
    EXPECT_EQ(limit.current(), 16u);
    send.operator()<ConditionalCheckFailed>(32, refused);
    const std::size_t grown = limit.current();
    EXPECT_EQ(grown, 48u);
    // No answer: nothing learnt, however many.
    send.operator()<ConnectionReset>(48, [&] { below->drop<ConnectionReset>("reset"); });
    EXPECT_EQ(limit.current(), grown);
    EXPECT_TRUE(lines.empty());
    // A 5xx answer may come from a front end that never reached the service: nothing learnt
    // (a 503 in microseconds taken as the base would make every later answer look queued).
    send.operator()<ServiceError>(48, [&] { below->fail(503, "ServiceUnavailable", "busy"); });
    EXPECT_EQ(limit.current(), grown);
    // A throttle halves it, and says so.
    send.operator()<Throttling>(1, [&] { below->fail(400, "ThrottlingException", "slow down"); });
    EXPECT_EQ(limit.current(), grown / 2);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0], "PutItem was throttled: at most " + std::to_string(grown / 2) +
                            " requests in flight now");
}

TEST(InFlightLimitPolicy, TheSlotIsGivenBackWhateverHappens) {
    AdaptiveLimit limit(1);  // one request at a time: a slot not given back would block
    auto [below, pipeline] = over(std::make_unique<InFlightLimit>(limit, LogListener{}));
    below->drop<ConnectionReset>("reset");
    below->script.emplace_back([](Exchange&) -> HttpResponse { throw std::runtime_error("x"); });
    below->answer(200);
    const CallOptions call;
    Exchange a = exchange_of(Operation::GetItem, call);
    EXPECT_THROW((void)pipeline.send(a), ConnectionReset);
    Exchange b = exchange_of(Operation::GetItem, call);
    EXPECT_THROW((void)pipeline.send(b), std::runtime_error);
    Exchange c = exchange_of(Operation::GetItem, call);
    EXPECT_EQ(pipeline.send(c).status, 200);
}

// ---- ErrorMapping

TEST(ErrorMappingPolicy, PassesA200AndThrowsTheTypedErrorOfAnyOtherWithSecretsRedacted) {
    auto [below, pipeline] = over(std::make_unique<ErrorMapping>());
    below->answer(200, "{}");
    below->answer(400, R"({"__type":"com.amazon.coral.validate#ValidationException",)"
                       R"("message":"bad key s3cr3t and sig0123"})");
    const CallOptions call;
    Exchange ok = exchange_of(Operation::GetItem, call);
    EXPECT_EQ(pipeline.send(ok).body, "{}");
    Exchange bad = exchange_of(Operation::GetItem, call);
    bad.credentials.secret_access_key = "s3cr3t";
    bad.signature = "sig0123";
    bad.earlier_attempt_unknown = true;
    try {
        (void)pipeline.send(bad);
        FAIL();
    } catch (const ValidationError& e) {
        EXPECT_EQ(e.message(), "bad key *** and ***");
        EXPECT_EQ(e.operation(), "GetItem");
        EXPECT_TRUE(e.info().earlier_attempt_unknown);
    }
}

// ---- RequestLog

TEST(RequestLogPolicy, OneLineOutAndOneLineBackAtDebug) {
    std::vector<std::pair<LogLevel, std::string>> lines;
    auto [below, pipeline] = over(std::make_unique<RequestLog>(
        [&](LogLevel l, std::string_view m) { lines.emplace_back(l, std::string(m)); }));
    below->script.emplace_back([](Exchange&) {
        return HttpResponse{200, {{"x-amzn-RequestId", "REQ1"}}, "{}"};
    });
    const CallOptions call;
    Exchange e = exchange_of(Operation::Query, call);
    e.request.url = "http://localhost:8000/";
    e.attempt = 2;
    (void)pipeline.send(e);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0],
              std::make_pair(LogLevel::debug,
                             std::string("Query -> http://localhost:8000/ (2 bytes, attempt 2)")));
    EXPECT_EQ(lines[1],
              std::make_pair(LogLevel::debug, std::string("Query <- HTTP 200 (request id REQ1)")));
}

// ---- The pipeline

class Marking final : public Policy {
  public:
    Marking(std::vector<std::string>& trace, std::string name)
        : trace_(trace), name_(std::move(name)) {}
    HttpResponse send(Exchange& e, const Next& next) override {
        trace_.push_back(name_ + " down");
        HttpResponse r = next(e);
        trace_.push_back(name_ + " up");
        return r;
    }

  private:
    std::vector<std::string>& trace_;
    std::string name_;
};

TEST(Pipeline, PoliciesRunInOrderDownAndInReverseUp) {
    std::vector<std::string> trace;
    std::vector<std::unique_ptr<Policy>> between;
    between.push_back(std::make_unique<Marking>(trace, "b"));
    auto [below, pipeline] = over(std::make_unique<Marking>(trace, "a"), std::move(between));
    below->answer(200);
    const CallOptions call;
    Exchange e = exchange_of(Operation::GetItem, call);
    (void)pipeline.send(e);
    EXPECT_EQ(trace, (std::vector<std::string>{"a down", "b down", "b up", "a up"}));
}

}  // namespace
}  // namespace bloop::detail
