// The user guide's examples (docs/models.md, docs/types.md, docs/conditions.md, docs/engine.md,
// docs/transactions.md, docs/client.md, docs/streams.md, docs/stream-processor.md,
// docs/observability.md),
// compiled with the project so they stay true. Run it against DynamoDB Local or DynamoDB:
//   AWS_ENDPOINT_URL=http://127.0.0.1:8000 AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=x
//   AWS_SECRET_ACCESS_KEY=x build/examples/guide

#include <bloop/bloop.hpp>

#include <atomic>
#include <future>
#include <iostream>
#include <map>
#include <mutex>

// ---- models, types, indexes (docs/models.md, docs/types.md)
// ------------------------------------------

enum class Plan { free, pro };

template <>
struct bloop::TypeTraits<Plan> {  // a custom type: an enum stored as a string
    static constexpr AttributeType backing = AttributeType::S;
    static std::optional<AttributeValue> dump(const Plan& p) {
        return AttributeValue::string(p == Plan::free ? "free" : "pro");
    }
    static Plan load(AttributeValue&& v) {
        const std::string& s = v.as_string();
        if (s == "free") return Plan::free;
        if (s == "pro") return Plan::pro;
        throw InvalidValue("\"" + s + "\" is not a Plan");
    }
    static Plan missing() { return Plan::free; }
};

struct Address {  // a document
    std::string city;
    std::optional<std::string> zip;
};

struct Member {
    std::string team;
    std::string login;
    std::optional<std::string> email;
    bloop::Decimal credit;
    Plan plan = Plan::free;
    std::set<std::string> tags;
    std::vector<Address> addresses;
    bloop::DateTime joined;
    bloop::ObjectState state;
};

template <>
struct bloop::Model<Address> {
    static constexpr auto columns =
        bloop::columns(column<&Address::city>(), column<&Address::zip>());
};

template <>
struct bloop::Model<Member> {
    static constexpr Meta meta{.table_name = "GuideMember",
                               .stream = StreamView::new_and_old_images};
    static constexpr auto columns = bloop::columns(
        column<&Member::team>().hash_key(), column<&Member::login>().range_key(),
        column<&Member::email>("e"), column<&Member::credit>(), column<&Member::plan>(),
        column<&Member::tags>(), column<&Member::addresses>(), column<&Member::joined>());
    static constexpr auto by_email =
        global_index("by_email").hash_key<&Member::email>().projection(keys_only);
    static constexpr auto by_joined =
        local_index("by_joined").range_key<&Member::joined>().projection(include<&Member::credit>);
    static constexpr auto indexes = bloop::indexes(by_email, by_joined);
    static constexpr auto state = &Member::state;
};

namespace {

using bloop::attr;
using namespace bloop::literals;

Member member(std::string login) {
    Member m;
    m.team = "core";
    m.login = std::move(login);
    m.email = m.login + "@example.com";
    m.credit = "100.50"_d;
    m.plan = Plan::pro;
    m.tags = {"a"};
    m.addresses = {{"Lisbon", std::nullopt}};
    m.joined = std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
    return m;
}

// ---- conditions (docs/conditions.md)
// ------------------------------------------------------------------

bloop::ConditionOf<Member> rich_pros() {
    return (attr<&Member::credit> >= "1000"_d && attr<&Member::plan> == Plan::pro) ||
           attr<&Member::tags>.contains("vip") ||
           attr<&Member::addresses>[0].field<&Address::city>() == "Lisbon";
}

// ---- streams (docs/streams.md): a consumer that resumes where it stopped
// -------------------------------

void consume_changes(bloop::Engine& engine, std::string& saved_token) {
    auto stream = saved_token.empty()
                      ? engine.stream<Member>(bloop::trim_horizon)
                      : engine.stream<Member>(bloop::StreamPosition::from_token(saved_token));
    for (int idle = 0; idle < 3;) {
        std::optional<bloop::Record<Member>> record = stream.next();
        if (!record) {
            ++idle;  // nothing waiting right now; a real consumer would sleep and poll again
            continue;
        }
        const Member& m = record->new_image ? *record->new_image : *record->old_image;
        std::cout << "change: " << record->meta.event_type << " " << m.login << "\n";
        saved_token = stream.token();  // after handling the record: resume exactly after it
    }
}

// ---- stream processing across workers (docs/stream-processor.md): counts the changes per team,
// in one worker here; any number of processes with the consumer name share the shards
// ----------------------------------------------------------------------------------------------

std::map<std::string, int> count_changes(bloop::Engine& engine) {
    std::mutex mutex;  // handlers of different shards run concurrently
    std::map<std::string, int> changes;
    bloop::StreamProcessor processor(
        engine, {.consumer = "guide-team-changes", .idle_exit = std::chrono::seconds(2)});
    processor.subscribe<Member>([&](bloop::RecordBatch<Member>& batch) {
        std::lock_guard lock(mutex);
        for (const auto& record : batch.records) {
            const Member& m = record.new_image ? *record.new_image : *record.old_image;
            ++changes[m.team];
        }
    });               // checkpointed in bloop_stream_leases after the handler returns
    processor.run();  // until idle here; a service runs until processor.stop() (e.g. on SIGTERM)
    return changes;
}

}  // namespace

// ---- streams in AWS Lambda (docs/lambda.md): the function's event as typed records, and the
// partial batch response
// ----------------------------------------------------------------------------------------------

std::string on_lambda_event(bloop::Engine& engine, const std::string& payload) {
    bloop::lambda::BatchResponse response =
        bloop::lambda::handle<Member>(engine, payload, [](bloop::Record<Member>& record) {
            const Member& m = record.new_image ? *record.new_image : *record.old_image;
            std::cout << "lambda: " << record.meta.event_type << " " << m.login
                      << (record.meta.ttl_expired ? " (expired)" : "") << "\n";
        });  // a throw fails this record and every one after it
    return response.json();  // {"batchItemFailures":[...]}
}

// ---- your own credentials provider (docs/client.md, "Credentials")
// ---------------------------------

bloop::Credentials fetch_from_vault() {  // stands in for a call to your secrets service
    return {"AKIDVAULT", "vault-secret", "vault-token",
            std::chrono::system_clock::now() + std::chrono::hours(1)};
}

class VaultCredentials : public bloop::CredentialsProvider {
  public:
    bloop::Credentials credentials() override { return cache_->credentials(); }
    std::string name() const override { return "vault"; }

  private:
    std::shared_ptr<bloop::CredentialsProvider> cache_ =
        bloop::refreshing_credentials_provider("vault", [] { return fetch_from_vault(); });
};

[[maybe_unused]] bloop::ClientOptions with_vault_credentials() {
    bloop::ClientOptions options;
    options.credentials_provider = std::make_shared<VaultCredentials>();
    return options;
}

// ---- telemetry (docs/observability.md): metrics and spans; a telemetry of your own
// ----------------------------------------------------------

[[maybe_unused]] bloop::ClientOptions observed(std::shared_ptr<bloop::Metrics>& metrics) {
    metrics = std::make_shared<bloop::Metrics>();
    auto otlp = std::make_shared<bloop::OtlpExporter>(bloop::OtlpOptions{.metrics = metrics});
    bloop::ClientOptions client;
    client.telemetry = std::make_shared<bloop::TelemetryFanout>(
        std::vector<std::shared_ptr<bloop::Telemetry>>{metrics, otlp});
    return client;
}

// Counts throttled attempts per table, and nothing else.
class ThrottleCounter final : public bloop::Telemetry {
  public:
    void request(const bloop::RequestEvent& e) override {
        for (const bloop::AttemptEvent& a : e.attempts) {
            if (a.throttled && !e.tables.empty()) {
                std::lock_guard lock(mutex_);
                ++throttled_[e.tables.front()];
            }
        }
    }
    bool wants_capacity() const override { return false; }

  private:
    std::mutex mutex_;
    std::map<std::string, int> throttled_;
};

[[maybe_unused]] void save_under(bloop::Engine& engine, Member& m) {
    // A span of the caller's (ids from its tracing library) as the parent of bloop's.
    bloop::TraceParent parent(
        bloop::SpanContext::from_hex("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"));
    engine.save(m);
}

int main() try {
    // ---- the engine (docs/engine.md)
    // -------------------------------------------------------------------
    bloop::Engine engine;
    engine.bind<Member>();
    bloop::Connection saved = engine.object_saved.connect(
        [](const bloop::ObjectEvent& e) { std::cout << "saved a " << e.model.name << "\n"; });

    std::vector<Member> members{member("ada"), member("bob"), member("cy")};
    engine.save(members);  // concurrently
    Member& ada = members[0];
    ada.credit = "2000"_d;
    engine.save(ada, {.condition = attr<&Member::plan> == Plan::pro, .atomic = true});
    saved.disconnect();

    Member copy;
    copy.team = "core";
    copy.login = "ada";
    engine.load(copy);
    std::cout << "loaded " << copy.login << " credit " << copy.credit << "\n";

    // ---- transactions (docs/transactions.md)
    // ------------------------------------------------------------
    Member& bob = members[1];
    Member& cy = members[2];
    bob.credit = "90.50"_d;
    cy.credit = "110.50"_d;
    bloop::WriteTransaction tx(engine);
    tx.save(bob, {.condition = attr<&Member::credit> >= "100"_d, .atomic = true})
        .save(cy)
        .check(copy, attr<&Member::plan> == Plan::pro);
    try {
        tx.commit();  // both or neither
    } catch (const bloop::TransactionFailed& e) {
        if (const auto* f = e.failure_of(bob)) std::cout << f->code << ": " << f->message << "\n";
    }
    bloop::ReadTransaction(engine).load(bob, cy).commit();  // one consistent snapshot
    std::cout << "after the transfer: " << bob.credit << " and " << cy.credit << "\n";

    // ---- update actions, returned values, batch writes (docs/engine.md)
    // ---------------------------------
    engine.save(cy,
                {.actions = {attr<&Member::credit>.add("5"_d), attr<&Member::tags>.add({"vip"})},
                 .sync = bloop::Sync::after});  // no read; cy then holds what is stored
    std::cout << "cy now has " << cy.credit << "\n";
    std::vector<Member> guests{member("guest1"), member("guest2")};
    bloop::BatchWrite(engine).put(std::span(guests)).commit();  // whole items, 25 a request
    bloop::BatchWrite(engine).remove(std::span(guests)).commit();

    for (const Member& m : engine.query(attr<&Member::team> == "core", {.filter = rich_pros()})) {
        std::cout << "rich or pro: " << m.login << "\n";
    }
    const Member by_email =
        engine.query(bloop::Model<Member>::by_email, attr<&Member::email> == "bob@example.com")
            .one();
    std::cout << "by email: " << by_email.login << "\n";
    auto page = engine.query(attr<&Member::team> == "core", {.limit = 2});
    for (const Member& m : page) std::cout << "first two: " << m.login << "\n";
    auto rest = engine.query(attr<&Member::team> == "core");
    rest.resume(page.token());
    for (const Member& m : rest) std::cout << "then: " << m.login << "\n";
    std::cout << "count " << engine.scan<Member>({.projection = bloop::count_only()}).count()
              << "\n";
    // async calls: start them all, then collect the outcomes
    std::vector<bloop::Future<void>> pending;
    for (Member& m : members) pending.push_back(engine.load_async(m));
    for (auto& p : pending) p.get();  // rethrows what load would have thrown
    int gently = 0;                   // 2 items a request, at most 50 read capacity units a second
    for (const Member& m : engine.scan<Member>({.page_size = 2, .read_rate = 50.0}))
        gently += m.login.empty() ? 0 : 1;
    std::cout << "scanned gently: " << gently << "\n";
    // page by page, the next page's request in flight while this one is used
    auto pages = engine.scan<Member>({.page_size = 2});
    std::size_t paged = 0;
    for (auto next = pages.next_page_async();;) {
        const std::vector<Member> got = next.get();
        if (got.empty()) break;
        next = pages.next_page_async();
        paged += got.size();
    }
    std::cout << "scanned by pages: " << paged << "\n";
    // every segment of a parallel scan, of the table and of an index
    const auto everyone = engine.scan_all_segments<Member>(4);
    const auto emails = engine.scan_all_segments(bloop::Model<Member>::by_email, 4, {.limit = 100});
    std::cout << "scanned in segments: " << everyone.size() << ", emails " << emails.size() << "\n";
    std::atomic<int> logins{0};  // handed on as they come (from several threads), not kept
    engine.scan_all_segments<Member>(4, {}, [&](Member&& m) { logins += m.login.empty() ? 0 : 1; });
    std::cout << "handed on in segments: " << logins << "\n";

    try {
        engine.save(copy, {.condition = attr<&Member::credit> < 0});
    } catch (const bloop::ConstraintViolation& e) {
        std::cout << "as expected: " << e.what() << "\n";
    }
    std::string token;
    consume_changes(engine, token);  // every change so far
    Member late = member("dee");
    engine.save(late);
    consume_changes(engine, token);  // resumes: only dee's insert
    members.push_back(late);
    std::cout << "changes of core: " << count_changes(engine)["core"] << "\n";
    std::cout << "lambda answer: " << on_lambda_event(engine, R"({"Records":[]})") << "\n";

    engine.remove(members);
    return 0;
} catch (const bloop::BloopException& e) {
    std::cerr << "guide failed: " << e.what() << "\n";
    return 1;
}
