// The Account workload (../shared/bench/WORKLOAD.md) on bloop's Engine: 8 phases, run with one
// request in flight ("cpp", --mode sequential) and with the bulk operations' concurrency
// ("cpp-concurrent", --mode concurrent). Prints one JSON line per phase: peer, run, phase, wall_s,
// cpu_s, server_cpu_s, server_nojit_cpu_s, requests, items, ok, latency_ms.
//
//   DATASET=../shared/bench/dataset.json build/release/bench/bloop_workload
//       [--mode sequential|concurrent] [--latency-ms N] [--warm-up N] [--transport socket|curl]
//
// Without --mode, both modes run, one after the other. Each mode runs on a fresh DynamoDB Local
// with the same warm-up (SERVER_PID is then its own), unless DDB_ENDPOINT names a server (and
// optionally SERVER_PID). Under valgrind --tool=callgrind, each phase's instructions go to a file
// of their own (callgrind.out.PID.N, "Dump reason" = the phase). --latency-ms N puts a loopback
// proxy between the client and the server that delays each request and each answer by N ms (±20%
// jitter), as a network to a DynamoDB region does; 0 (the default): no proxy. The warm-up goes to
// the server directly: the baseline's (1,000 accounts saved, loaded and removed on a table without
// a stream), or that `--warm-up N` times (in every mode, --bulk too). (It stays off the stream
// table: DynamoDB Local keeps a deleted table's stream records, and they slow every later write.)
// --transport picks the HTTP transport (default: the client's own choice, sockets for http and
// curl for https), to compare the two on the same requests. --telemetry metrics|all turns on
// bloop::Metrics, or Metrics and OTLP spans (docs/observability.md), to measure what they cost.
//
//   bloop_workload --mode floor
//
// runs the sequential mode with every request's bytes kept, then replays them on a second fresh,
// warmed-up server with a client that does nothing else (bench/floor_client.hpp: one blocking
// socket, no signing, no JSON), printing the same JSON lines as peer "floor" (the stream phase
// left out: its iterators belong to the first server). The floor's CPU per request is what the
// kernel alone costs for these requests; ours over it is what the client adds.
//
//   bloop_workload --bulk N [--latency-ms N] [--stream on|off]
//
// runs the bulk comparison instead: N Accounts (the data set's, repeated with new ids) written
// once with concurrent saves ("bulk_save", UpdateItem each) and once with batch puts ("bulk_put",
// BatchWriteItem), each on a fresh, warmed-up server and table, printing the same JSON lines, with
// at most BULK_IN_FLIGHT requests in flight (default: the client's default ceiling, 64; the client
// adapts below it). The table has the workload's stream unless `--stream off`: DynamoDB Local's
// work per stream record is the same for both ways of writing, so it narrows their gap.
//
//   bloop_workload ... --server canned [--bimodal-ms FAST,SLOW] [--answers FILE] [--in-flight N]
//
// runs any of the above against a canned-answer server (bench/canned_server.hpp) instead of
// DynamoDB Local: an unmeasured first pass records DynamoDB Local's answers (or --answers reads
// them from FILE.<mode>.<telemetry>, recording them there the first time), then the measured pass
// is answered from those recordings, `--latency-ms` each way or FAST or SLOW ms at random. Peers
// end in
// "-canned"; concurrent lines add `in_flight_limit` and, behind a delay, `ideal_ratio` (requests a
// second over in-flight ceiling / mean round trip). --in-flight sets the concurrent ceiling.

#include "account_model.hpp"

#include "canned_server.hpp"
#include "floor_client.hpp"
#include "latency_proxy.hpp"
#include "local_server.hpp"

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>  // under callgrind, each phase is dumped on its own
#else
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_DUMP_STATS_AT(name)
#endif

#include <sys/resource.h>
#include <unistd.h>

#include <dirent.h>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <sstream>

namespace {

using bench::Account;
using bloop::attr;

// ---- measuring
// ---------------------------------------------------------------------------------------

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// utime + stime of a /proc stat line (fields 14 and 15, after the parenthesised name).
double stat_seconds(const std::string& path, std::string* name = nullptr) {
    std::ifstream in(path);
    std::string line;
    if (!std::getline(in, line)) return 0;
    const auto open = line.find('('), close = line.rfind(')');
    if (name != nullptr && open != std::string::npos)
        *name = line.substr(open + 1, close - open - 1);
    std::istringstream rest(line.substr(close + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; rest >> field; ++i) {
        if (i == 14 || i == 15) ticks += std::stod(field);
        if (i == 15) break;
    }
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

struct ServerCpu {
    double all = 0;
    double no_jit = 0;
};

ServerCpu server_cpu(long pid) {
    ServerCpu out;
    if (pid <= 0) return out;
    out.all = stat_seconds("/proc/" + std::to_string(pid) + "/stat");
    const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
    if (DIR* dir = opendir(tasks.c_str())) {
        while (const dirent* e = readdir(dir)) {
            if (e->d_name[0] == '.') continue;
            std::string name;
            const double s = stat_seconds(tasks + "/" + e->d_name + "/stat", &name);
            if (name.rfind("C1 CompilerThre", 0) != 0 && name.rfind("C2 CompilerThre", 0) != 0)
                out.no_jit += s;
        }
        closedir(dir);
    }
    return out;
}

// A request as sent, for the floor to replay: its bytes and the status the server answered.
struct Recorded {
    std::string wire;
    int status = 0;
};

// The HTTP transport, from --transport: "" for the client's own choice.
std::string transport_choice;          // NOLINT: set once by main before any request
std::string telemetry_choice = "off";  // NOLINT: set once by main: off, metrics or all
bool canned_tables = false;            // NOLINT: set once by main: table names the same each run
std::size_t ceiling_choice = 0;        // NOLINT: set once by main: --in-flight (0: the default)
// NOLINTNEXTLINE: set by main: the mean round trip a canned server adds (0: none, or a proxy's)
std::chrono::microseconds round_trip{0};

// The telemetry of --telemetry: none; bloop::Metrics; or Metrics and spans sent over OTLP (to a
// port nothing listens on, once a second: every span is built and sent, none taken). The OTLP
// exporter is not given the metrics: sending them is work per interval, not per request, and under
// callgrind's slowdown an interval holds fifty times fewer requests than it would.
std::shared_ptr<bloop::Telemetry> telemetry_of_choice() {
    if (telemetry_choice == "off") return nullptr;
    auto metrics = std::make_shared<bloop::Metrics>();
    if (telemetry_choice == "metrics") return metrics;
    auto otlp = std::make_shared<bloop::OtlpExporter>(
        bloop::OtlpOptions{.endpoint = "http://127.0.0.1:9", .interval = std::chrono::seconds(1)});
    return std::make_shared<bloop::TelemetryFanout>(
        std::vector<std::shared_ptr<bloop::Telemetry>>{metrics, otlp});
}

// Counts HTTP requests, retries included; keeps each one's bytes in `recorded` when that is set.
class CountingTransport : public bloop::Transport {
  public:
    // The transport the client would choose itself (sockets for http, curl for https), unless
    // --transport says otherwise.
    CountingTransport(const std::string& endpoint, std::size_t connections)
        : inner_(transport_choice == "socket" ||
                         (transport_choice.empty() && endpoint.rfind("http://", 0) == 0)
                     ? bloop::make_socket_transport(connections)
                     : bloop::make_curl_transport(connections)) {}
    bloop::HttpResponse send(const bloop::HttpRequest& r, const bloop::Timeouts& t) override {
        ++count;
        bloop::HttpResponse response = inner_->send(r, t);
        if (recorded != nullptr || canned != nullptr) {
            std::lock_guard lock(mutex_);
            if (recorded != nullptr) recorded->push_back({bench::wire_text(r), response.status});
            if (canned != nullptr) canned->add(bench::request_key(r), response);
        }
        return response;
    }
    std::atomic<long> count{0};
    std::vector<Recorded>* recorded = nullptr;  // set before the first request
    bench::CannedAnswers* canned = nullptr;     // set before the first request

  private:
    std::shared_ptr<bloop::Transport> inner_;
    std::mutex mutex_;
};

// This program's path, for the canned server's process (under valgrind, /proc/self/exe itself
// names the tool; its link names the program).
std::string self_path() {
    std::error_code error;
    const auto path = std::filesystem::read_symlink("/proc/self/exe", error);
    return error ? std::string("/proc/self/exe") : path.string();
}

// ---- the data set
// --------------------------------------------------------------------------------------

struct Row {
    Account account;
    bloop::Decimal new_balance;
};

std::vector<Row> read_dataset(const std::string& path, std::vector<std::string>& query_emails,
                              long& expected) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    const bloop::json::Value d = bloop::json::parse(text.str());
    std::vector<Row> rows;
    for (const auto& a : d.at("accounts").as_array()) {
        Row r;
        r.account.id = bloop::Uuid(a.at("id").as_string());
        r.account.name = a.at("name").as_string();
        r.account.email = a.at("email").as_string();
        r.account.created = bloop::parse_datetime(a.at("created").as_string());
        r.account.balance = bloop::Decimal(a.at("balance").as_string());
        for (const auto& t : a.at("tags").as_array()) r.account.tags.insert(t.as_string());
        r.account.profile = {static_cast<int>(a.at("profile").at("age").as_int()),
                             a.at("profile").at("city").as_string()};
        r.new_balance = bloop::Decimal(a.at("new_balance").as_string());
        rows.push_back(std::move(r));
    }
    for (const auto& i : d.at("query_indexes").as_array()) {
        query_emails.push_back(rows[static_cast<std::size_t>(i.as_int())].account.email);
    }
    expected = d.at("scan_expected_count").as_int();
    return rows;
}

bool same(const Account& a, const Account& b) {
    return a.id == b.id && a.name == b.name && a.email == b.email && a.created == b.created &&
           a.balance.identical(b.balance) && a.tags == b.tags && a.profile.age == b.profile.age &&
           a.profile.city == b.profile.city;
}

// The baseline's JIT warm-up: 1,000 accounts through a table without a stream, `rounds` times
// (the baseline's: once). With `batches`, BatchWriteItem is warmed up too (the bulk comparison uses
// both paths).
void warm_up(const std::string& endpoint, const std::vector<Row>& rows, int rounds, bool batches) {
    bloop::EngineOptions options;
    options.table_name_template = "{table_name}_warmup_" + std::to_string(getpid());
    bloop::Engine engine(bloop::Client(bloop::testing::local_client_options(endpoint)), options);
    engine.bind<bench::PlainAccount>();
    std::vector<bench::PlainAccount> accounts;
    for (std::size_t i = 0; i < std::min<std::size_t>(1000, rows.size()); ++i) {
        const Account& a = rows[i].account;
        accounts.push_back({a.id, a.name, a.email, a.created, a.balance, a.tags, a.profile});
    }
    for (int round = 0; round < rounds; ++round) {
        engine.save(accounts);
        engine.load(accounts);
        engine.remove(accounts);
    }
    if (batches) {
        bloop::BatchWrite(engine).put(std::span(accounts)).commit();
        bloop::BatchWrite(engine).remove(std::span(accounts)).commit();
    }
    bloop::json::Value drop;
    drop["TableName"] = engine.binding<bench::PlainAccount>().table_name;
    (void)engine.client().call(bloop::Operation::DeleteTable, drop);
}

// ---- measuring one phase
// ---------------------------------------------------------------------------------

// Which requests a phase sent: [first, end) in the order sent.
struct PhaseSpan {
    std::string name;
    long items = 0;
    long first = 0;
    long end = 0;
};

// Prints one phase's JSON line: wall and client CPU, the server's CPU, requests sent (counted by
// `requests`); keeps each phase's span of requests in `spans`.
class PhaseMeter {
  public:
    /// An empty `peer` prints nothing (a capture run). `ideal_per_s` > 0: each phase of at least
    /// 100 requests also says its throughput over that ideal (requests in flight / round trip).
    PhaseMeter(std::string peer, const std::atomic<long>& requests, long server_pid, int latency_ms,
               double ideal_per_s = 0)
        : peer_(std::move(peer)),
          requests_(requests),
          server_pid_(server_pid),
          latency_ms_(latency_ms),
          ideal_per_s_(ideal_per_s) {}

    template <class Body>
    void operator()(const char* name, long items, Body&& body) {
        const long requests_before = requests_;
        const ServerCpu server_before = server_cpu(server_pid_);
        const double cpu_before = cpu_seconds();
        const auto start = std::chrono::steady_clock::now();
        CALLGRIND_ZERO_STATS;
        const bool ok = body();
        CALLGRIND_DUMP_STATS_AT(name);
        const double wall =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const double cpu = cpu_seconds() - cpu_before;
        const ServerCpu server_after = server_cpu(server_pid_);
        spans.push_back({name, items, requests_before, requests_});
        if (peer_.empty()) return;
        const long requests = requests_ - requests_before;
        std::string ideal;
        if (limit) ideal += R"(,"in_flight_limit":)" + std::to_string(limit());
        if (ideal_per_s_ > 0 && requests >= 100) {
            ideal += R"(,"ideal_ratio":)" +
                     std::to_string(static_cast<double>(requests) / wall / ideal_per_s_);
        }
        std::cout << R"({"peer":")" << peer_ << R"(","run":1,"phase":")" << name << R"(","wall_s":)"
                  << wall << R"(,"cpu_s":)" << cpu << R"(,"server_cpu_s":)"
                  << server_after.all - server_before.all << R"(,"server_nojit_cpu_s":)"
                  << server_after.no_jit - server_before.no_jit << R"(,"requests":)"
                  << requests_ - requests_before << R"(,"items":)" << items << R"(,"ok":)"
                  << (ok ? "true" : "false") << R"(,"latency_ms":)" << latency_ms_ << ideal << "}"
                  << std::endl;
    }

    std::vector<PhaseSpan> spans;
    /// When set, each line also says the client's in-flight limit at the phase's end.
    std::function<std::size_t()> limit;

  private:
    std::string peer_;
    const std::atomic<long>& requests_;
    long server_pid_;
    int latency_ms_;
    double ideal_per_s_;
};

// Behind a latency, concurrent phases are judged against the ideal: every request in flight
// answered after one round trip (twice the latency, or a canned server's mean). 0: no latency.
double ideal_per_second(std::size_t in_flight, int latency_ms) {
    const double seconds = round_trip.count() > 0 ? static_cast<double>(round_trip.count()) / 1e6
                                                  : 2.0 * latency_ms / 1000.0;
    return seconds > 0 ? static_cast<double>(in_flight) / seconds : 0;
}

std::string run_tables(const std::string& peer) {
    if (canned_tables) return "{table_name}_canned";  // the same requests in capture and replay
    return "{table_name}_" + peer + "_r1_" + std::to_string(getpid()) + "_" +
           std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count());
}

// ---- one run
// -------------------------------------------------------------------------------------------

// One run of the 8 phases; each phase's span of requests. With `recording`, every request's bytes
// and status are kept there (for the floor to replay).
std::vector<PhaseSpan> run(const std::string& peer, bool concurrent, const std::string& endpoint,
                           long server_pid, int latency_ms, const std::vector<Row>& rows,
                           const std::vector<std::string>& query_emails, long scan_expected,
                           std::vector<Recorded>* recording = nullptr,
                           bench::CannedAnswers* canned = nullptr) {
    // Concurrent: the client's default ceiling (or --in-flight), under which it adapts to the
    // latency.
    const std::size_t ceiling =
        ceiling_choice != 0 ? ceiling_choice : bloop::ClientOptions{}.max_in_flight;
    const std::size_t in_flight = concurrent ? ceiling : 1;
    auto transport = std::make_shared<CountingTransport>(endpoint, in_flight);
    bloop::ClientOptions options = bloop::testing::local_client_options(endpoint);
    transport->recorded = recording;
    transport->canned = canned;
    options.transport = transport;
    options.telemetry = telemetry_of_choice();
    options.max_in_flight = in_flight;  // sequential: one request in flight, as bloop
    bloop::EngineOptions engine_options;
    engine_options.table_name_template = run_tables(peer);
    bloop::Engine engine(bloop::Client(options), engine_options);
    PhaseMeter phase(peer, transport->count, server_pid, latency_ms,
                     concurrent ? ideal_per_second(in_flight, latency_ms) : 0);
    if (concurrent) phase.limit = [&engine] { return engine.client().in_flight_limit(); };

    const long n = static_cast<long>(rows.size());
    phase("bind", 1, [&] {
        engine.bind<Account>();
        return true;
    });

    phase("save", n, [&] {
        if (concurrent) {
            std::vector<Account> accounts;
            accounts.reserve(rows.size());
            for (const auto& r : rows) accounts.push_back(r.account);
            engine.save(accounts);
        } else {
            for (const auto& r : rows) {
                Account a = r.account;
                engine.save(a);
            }
        }
        return true;
    });

    std::vector<Account> loaded(rows.size());
    phase("load", n, [&] {
        for (std::size_t i = 0; i < rows.size(); ++i) loaded[i].id = rows[i].account.id;
        engine.load(loaded);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (!same(loaded[i], rows[i].account)) return false;
        }
        return true;
    });

    phase("query", static_cast<long>(query_emails.size()), [&] {
        bool ok = true;
        const auto one = [&](const std::string& email) {
            return engine.query(bloop::Model<Account>::by_email, attr<&Account::email> == email)
                       .first()
                       .email == email;
        };
        if (concurrent) {
            std::vector<std::future<bool>> pending;
            for (std::size_t i = 0; i < query_emails.size(); i += 8) {
                pending.push_back(std::async(std::launch::async, [&, i] {
                    bool all = true;
                    for (std::size_t j = i; j < std::min(i + 8, query_emails.size()); ++j)
                        all = one(query_emails[j]) && all;
                    return all;
                }));
            }
            for (auto& p : pending) ok = p.get() && ok;
        } else {
            for (const auto& email : query_emails) ok = one(email) && ok;
        }
        return ok;
    });

    phase("scan", scan_expected, [&] {
        long count = 0;
        for (const Account& a :
             engine.scan<Account>({.filter = attr<&Account::balance> >= bloop::Decimal("5000")})) {
            count += a.balance >= bloop::Decimal("5000") ? 1 : 0;
        }
        return count == scan_expected;
    });

    phase("stream", n, [&] {
        auto stream = engine.stream<Account>(bloop::trim_horizon);
        long inserts = 0;
        for (int idle = 0; inserts < n && idle < 10;) {
            auto record = stream.next();
            if (!record) {
                ++idle;
                continue;
            }
            inserts +=
                record->meta.event_type == "insert" && !record->new_image->email.empty() ? 1 : 0;
        }
        return inserts == n;
    });

    phase("update", n, [&] {
        for (std::size_t i = 0; i < rows.size(); ++i) loaded[i].balance = rows[i].new_balance;
        if (concurrent) {
            engine.save(loaded);
        } else {
            for (auto& a : loaded) engine.save(a);
        }
        return true;
    });

    phase("delete", n, [&] {
        if (concurrent) {
            engine.remove(loaded);
        } else {
            for (auto& a : loaded) engine.remove(a);
        }
        return true;
    });

    bloop::json::Value drop;
    drop["TableName"] = engine.binding<Account>().table_name;
    (void)engine.client().call(bloop::Operation::DeleteTable, drop);
    return phase.spans;
}

// ---- the floor
// ------------------------------------------------------------------------------------------

// Replays a sequential run's requests (`recorded`, by phase in `spans`) with a FloorClient: the
// bind phase (creating the table) and the final DeleteTable unmeasured, the stream phase not at
// all (its shard iterators belong to the recording's server), every other phase measured as the
// run's was. A phase is ok when every answer has the status the recording got.
void replay(const std::string& peer, const std::string& endpoint, long server_pid,
            const std::vector<Recorded>& recorded, const std::vector<PhaseSpan>& spans) {
    bench::FloorClient client(endpoint);
    std::atomic<long> requests{0};
    PhaseMeter phase(peer, requests, server_pid, 0);
    const auto send = [&](long first, long end) {
        bool same = true;
        for (long i = first; i < end; ++i) {
            const Recorded& r = recorded[static_cast<std::size_t>(i)];
            same = client.exchange(r.wire) == r.status && same;
            ++requests;
        }
        return same;
    };
    for (const PhaseSpan& span : spans) {
        if (span.name == "bind" && !send(span.first, span.end))
            throw std::runtime_error("floor: the table could not be created as recorded");
        if (span.name == "bind" || span.name == "stream") continue;
        phase(span.name.c_str(), span.items, [&] { return send(span.first, span.end); });
    }
    (void)send(spans.back().end, static_cast<long>(recorded.size()));
}

// ---- the bulk comparison
// --------------------------------------------------------------------------------

// `n` Accounts as model A: the data set's, repeated with new ids — the same in every run, so a
// canned server finds every request it recorded.
template <class A>
std::vector<A> bulk_accounts(const std::vector<Row>& rows, long n) {
    std::vector<A> out;
    out.reserve(static_cast<std::size_t>(n));
    for (long i = 0; i < n; ++i) {
        A a = bench::with_values_of<A>(rows[static_cast<std::size_t>(i) % rows.size()].account);
        if (i >= static_cast<long>(rows.size())) {
            char id[48];
            std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012ld", i);
            a.id = bloop::Uuid(id);
        }
        out.push_back(std::move(a));
    }
    return out;
}

// Writes n objects of model A (Account, or the same on a table without a stream).
// Prints its line as `peer` (none when empty), records the answers in `canned` when given.
template <class A>
void bulk(const std::string& endpoint, long server_pid, int latency_ms,
          const std::vector<Row>& rows, long n, bool batch, const std::string& peer,
          bench::CannedAnswers* canned = nullptr) {
    const char* in_flight_env = std::getenv("BULK_IN_FLIGHT");
    const std::size_t in_flight =
        in_flight_env != nullptr ? std::stoul(in_flight_env) : bloop::ClientOptions{}.max_in_flight;
    auto transport = std::make_shared<CountingTransport>(endpoint, in_flight);
    transport->canned = canned;
    bloop::ClientOptions options = bloop::testing::local_client_options(endpoint);
    options.transport = transport;
    options.max_in_flight = in_flight;
    bloop::EngineOptions engine_options;
    engine_options.table_name_template = run_tables(batch ? "bulk_put" : "bulk_save");
    bloop::Engine engine(bloop::Client(options), engine_options);
    engine.bind<A>();
    std::vector<A> accounts = bulk_accounts<A>(rows, n);
    PhaseMeter phase(peer, transport->count, server_pid, latency_ms,
                     ideal_per_second(in_flight, latency_ms));
    phase.limit = [&engine] { return engine.client().in_flight_limit(); };
    phase(batch ? "bulk_put" : "bulk_save", n, [&] {
        if (batch) {
            bloop::BatchWrite(engine).put(std::span(accounts)).commit();
        } else {
            engine.save(accounts);
        }
        return true;
    });
    bloop::json::Value count;
    count["TableName"] = engine.binding<A>().table_name;
    count["Select"] = "COUNT";
    long stored = 0;
    for (;;) {
        bloop::json::Value page = engine.client().call(bloop::Operation::Scan, count);
        stored += page.at("Count").as_int();
        const bloop::json::Value* last = page.find("LastEvaluatedKey");
        if (last == nullptr) break;
        count["ExclusiveStartKey"] = *last;
    }
    if (stored != n) throw std::runtime_error("bulk: the table holds " + std::to_string(stored));
    bloop::json::Value drop;
    drop["TableName"] = engine.binding<A>().table_name;
    (void)engine.client().call(bloop::Operation::DeleteTable, drop);
}

// How the server is prepared and reached.
struct Setup {
    int latency_ms = 0;      // > 0: through a latency proxy
    int warm_up_rounds = 1;  // the baseline's warm-up, this many times
};

// Runs `body(endpoint, server pid)` against DDB_ENDPOINT or a fresh DynamoDB Local, warmed up
// directly, then reached through a latency proxy when `setup.latency_ms` > 0.
template <class Body>
void on_server(const std::vector<Row>& rows, bool batches, const Setup& setup, Body&& body) {
    const auto with = [&](const std::string& endpoint, long pid) {
        warm_up(endpoint, rows, setup.warm_up_rounds, batches);
        if (setup.latency_ms <= 0) return body(endpoint, pid);
        const bench::LatencyProxy proxy(endpoint, std::chrono::milliseconds(setup.latency_ms));
        body(proxy.url(), pid);
    };
    const char* endpoint = std::getenv("DDB_ENDPOINT");
    if (endpoint != nullptr && *endpoint != '\0') {
        const char* pid = std::getenv("SERVER_PID");
        with(endpoint, pid != nullptr ? std::stol(pid) : 0);
    } else {
        bloop::testing::DynamoDBLocal server(bench::local_server_options());
        with(server.endpoint(), server.pid());
    }
}

}  // namespace

int main(int argc, char** argv) try {
    if (argc == 6 && std::string(argv[1]) == "--serve-canned") {
        const auto us = [&](int i) { return std::chrono::microseconds(std::stol(argv[i])); };
        return bench::canned_server_main(argv[2], {us(3), us(4), us(5)});
    }
    const char* dataset = std::getenv("DATASET");
    std::vector<std::string> query_emails;
    long scan_expected = 0;
    const std::vector<Row> rows = read_dataset(
        dataset != nullptr ? dataset : "../shared/bench/dataset.json", query_emails, scan_expected);

    long bulk_n = 0;
    bool bulk_stream = true;
    Setup setup;
    bool floor = false;
    bool canned = false;
    std::pair<int, int> bimodal_ms{0, 0};  // a canned server's answers: held FAST or SLOW ms
    std::string answers_file;              // --answers: where canned answers are kept
    std::vector<bool> modes{false, true};  // concurrent?
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (i + 1 >= argc) throw std::invalid_argument(flag + " needs a value");
        const std::string value = argv[++i];
        if (flag == "--bulk") {
            bulk_n = std::stol(value);
        } else if (flag == "--stream" && (value == "on" || value == "off")) {
            bulk_stream = value == "on";
        } else if (flag == "--latency-ms") {
            setup.latency_ms = std::stoi(value);
        } else if (flag == "--warm-up") {
            setup.warm_up_rounds = std::stoi(value);
            if (setup.warm_up_rounds < 1) throw std::invalid_argument("--warm-up needs N >= 1");
        } else if (flag == "--mode" && (value == "sequential" || value == "concurrent")) {
            modes = {value == "concurrent"};
        } else if (flag == "--mode" && value == "floor") {
            floor = true;
        } else if (flag == "--server" && (value == "local" || value == "canned")) {
            canned = value == "canned";
        } else if (flag == "--bimodal-ms") {
            const auto comma = value.find(',');
            if (comma == std::string::npos) throw std::invalid_argument("--bimodal-ms FAST,SLOW");
            bimodal_ms = {std::stoi(value.substr(0, comma)), std::stoi(value.substr(comma + 1))};
        } else if (flag == "--answers") {
            answers_file = value;
        } else if (flag == "--in-flight") {
            ceiling_choice = std::stoul(value);
            if (ceiling_choice == 0) throw std::invalid_argument("--in-flight needs N >= 1");
        } else if (flag == "--transport" && (value == "socket" || value == "curl")) {
            transport_choice = value;
        } else if (flag == "--telemetry" &&
                   (value == "off" || value == "metrics" || value == "all")) {
            telemetry_choice = value;
        } else {
            throw std::invalid_argument(
                "usage: bloop_workload [--mode sequential|concurrent] [--latency-ms N] [--server "
                "local|canned [--bimodal-ms FAST,SLOW] [--answers FILE]] [--in-flight N] | --mode "
                "floor [--server local|canned] | --bulk N [--latency-ms N] [--stream on|off] "
                "[--server local|canned]; each with [--warm-up N] "
                "[--transport socket|curl] [--telemetry off|metrics|all]");
        }
    }
    canned_tables = canned;
    if (floor) {
        if (setup.latency_ms != 0) throw std::invalid_argument("--mode floor runs without a proxy");
        std::vector<Recorded> recorded;
        std::vector<PhaseSpan> spans;
        bench::CannedAnswers answers;
        on_server(rows, false, setup, [&](const std::string& endpoint, long pid) {
            spans = run(canned ? "" : "cpp", false, endpoint, pid, 0, rows, query_emails,
                        scan_expected, &recorded, canned ? &answers : nullptr);
        });
        if (canned) {  // both clients against the recorded answers
            const bench::CannedServerProcess server(self_path(), answers, bench::Delay{});
            (void)run("cpp-canned", false, server.url(), server.pid(), 0, rows, query_emails,
                      scan_expected);
            replay("floor-canned", server.url(), server.pid(), recorded, spans);
            return 0;
        }
        on_server(rows, false, setup, [&](const std::string& endpoint, long pid) {
            replay("floor", endpoint, pid, recorded, spans);
        });
        return 0;
    }
    // The bulk comparison's writes, of the model --stream asks for.
    const auto write_bulk = [&](const std::string& endpoint, long pid, int latency_ms, bool batch,
                                const std::string& peer, bench::CannedAnswers* answers) {
        if (bulk_stream) {
            bulk<Account>(endpoint, pid, latency_ms, rows, bulk_n, batch, peer, answers);
        } else {
            bulk<bench::StreamlessAccount>(endpoint, pid, latency_ms, rows, bulk_n, batch, peer,
                                           answers);
        }
    };
    if (canned) {
        bench::Delay delay{std::chrono::milliseconds(setup.latency_ms)};
        if (bimodal_ms.second > 0) {
            delay.fast = std::chrono::milliseconds(bimodal_ms.first);
            delay.slow = std::chrono::milliseconds(bimodal_ms.second);
        }
        round_trip = delay.mean();
        // Captured from DynamoDB Local without a proxy (and unmeasured), then replayed with the
        // delay.
        const Setup capture{0, setup.warm_up_rounds};
        if (bulk_n > 0) {
            bench::CannedAnswers answers;
            for (const bool batch : {true, false}) {
                on_server(rows, true, capture, [&](const std::string& endpoint, long pid) {
                    write_bulk(endpoint, pid, 0, batch, "", &answers);
                });
            }
            const bench::CannedServerProcess server(self_path(), answers, delay);
            for (const bool batch : {true, false})
                write_bulk(server.url(), server.pid(), setup.latency_ms, batch,
                           "cpp-concurrent-canned", nullptr);
            return 0;
        }
        for (const bool concurrent : modes) {
            // --answers FILE: captured once into FILE.<mode>.<telemetry> (with telemetry on, the
            // requests ask for consumed capacity), read back by later runs (a run under callgrind
            // then needs no DynamoDB Local and no capture pass).
            const std::string file = answers_file.empty()
                                         ? ""
                                         : answers_file +
                                               (concurrent ? ".concurrent." : ".sequential.") +
                                               telemetry_choice;
            bench::CannedAnswers answers;
            if (!file.empty() && std::filesystem::exists(file)) {
                answers = bench::CannedAnswers::load(file);
            } else {
                on_server(rows, false, capture, [&](const std::string& endpoint, long pid) {
                    (void)run("", concurrent, endpoint, pid, 0, rows, query_emails, scan_expected,
                              nullptr, &answers);
                });
                if (!file.empty()) answers.save(file);
            }
            const bench::CannedServerProcess server(self_path(), answers, delay);
            (void)run(concurrent ? "cpp-concurrent-canned" : "cpp-canned", concurrent, server.url(),
                      server.pid(), setup.latency_ms, rows, query_emails, scan_expected);
        }
        return 0;
    }
    if (bulk_n > 0) {
        for (const bool batch : {true, false}) {
            on_server(rows, true, setup, [&](const std::string& endpoint, long pid) {
                write_bulk(endpoint, pid, setup.latency_ms, batch, "cpp-concurrent", nullptr);
            });
        }
        return 0;
    }
    for (const bool concurrent : modes) {
        on_server(rows, false, setup, [&](const std::string& endpoint, long pid) {
            (void)run(concurrent ? "cpp-concurrent" : "cpp", concurrent, endpoint, pid,
                      setup.latency_ms, rows, query_emails, scan_expected);
        });
    }
    return 0;
} catch (const std::exception& e) {
    std::cerr << "workload failed: " << e.what() << "\n";
    return 1;
}
