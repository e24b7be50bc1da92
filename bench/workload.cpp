// The Account workload (../shared/bench/WORKLOAD.md) on bloop's Engine: 8 phases, run once with
// one request in flight ("cpp") and once with the bulk operations' concurrency ("cpp-concurrent").
// Prints one JSON line per phase: peer, run, phase, wall_s, cpu_s, server_cpu_s,
// server_nojit_cpu_s, requests, items, ok.
//
//   DATASET=../shared/bench/dataset.json build/release/bench/bloop_workload
//
// Without DDB_ENDPOINT it starts a fresh DynamoDB Local for each mode (SERVER_PID is then its own).
// With DDB_ENDPOINT (and optionally SERVER_PID) it uses that server for both modes.

#include "account_model.hpp"

#include "local_server.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <dirent.h>
#include <atomic>
#include <fstream>
#include <iostream>
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

// Counts HTTP requests, retries included.
class CountingTransport : public bloop::Transport {
  public:
    // The transport the client would choose itself: sockets for http, curl for https.
    CountingTransport(const std::string& endpoint, std::size_t connections)
        : inner_(endpoint.rfind("http://", 0) == 0 ? bloop::make_socket_transport(connections)
                                                   : bloop::make_curl_transport(connections)) {}
    bloop::HttpResponse send(const bloop::HttpRequest& r, const bloop::Timeouts& t) override {
        ++count;
        return inner_->send(r, t);
    }
    std::atomic<long> count{0};

  private:
    std::shared_ptr<bloop::Transport> inner_;
};

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

// The baseline's JIT warm-up: 1,000 accounts through a table without a stream.
void warm_up(const std::string& endpoint, const std::vector<Row>& rows) {
    bloop::EngineOptions options;
    options.table_name_template = "{table_name}_warmup_" + std::to_string(getpid());
    bloop::Engine engine(bloop::Client(bloop::testing::local_client_options(endpoint)), options);
    engine.bind<bench::PlainAccount>();
    std::vector<bench::PlainAccount> accounts;
    for (std::size_t i = 0; i < std::min<std::size_t>(1000, rows.size()); ++i) {
        const Account& a = rows[i].account;
        accounts.push_back({a.id, a.name, a.email, a.created, a.balance, a.tags, a.profile});
    }
    engine.save(accounts);
    engine.load(accounts);
    engine.remove(accounts);
    bloop::json::Value drop;
    drop["TableName"] = engine.binding<bench::PlainAccount>().table_name;
    (void)engine.client().call(bloop::Operation::DeleteTable, drop);
}

// ---- one run
// -------------------------------------------------------------------------------------------

void run(const std::string& peer, bool concurrent, const std::string& endpoint, long server_pid,
         const std::vector<Row>& rows, const std::vector<std::string>& query_emails,
         long scan_expected) {
    auto transport = std::make_shared<CountingTransport>(endpoint, concurrent ? 16 : 1);
    bloop::ClientOptions options = bloop::testing::local_client_options(endpoint);
    options.transport = transport;
    options.max_in_flight = concurrent ? 16 : 1;  // sequential: one request in flight, as bloop
    bloop::EngineOptions engine_options;
    engine_options.table_name_template =
        "{table_name}_" + peer + "_r1_" + std::to_string(getpid()) + "_" +
        std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count());
    bloop::Engine engine(bloop::Client(options), engine_options);

    const auto phase = [&](const char* name, long items, auto&& body) {
        const long requests_before = transport->count;
        const ServerCpu server_before = server_cpu(server_pid);
        const double cpu_before = cpu_seconds();
        const auto start = std::chrono::steady_clock::now();
        const bool ok = body();
        const double wall =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const double cpu = cpu_seconds() - cpu_before;
        const ServerCpu server_after = server_cpu(server_pid);
        std::cout << R"({"peer":")" << peer << R"(","run":1,"phase":")" << name << R"(","wall_s":)"
                  << wall << R"(,"cpu_s":)" << cpu << R"(,"server_cpu_s":)"
                  << server_after.all - server_before.all << R"(,"server_nojit_cpu_s":)"
                  << server_after.no_jit - server_before.no_jit << R"(,"requests":)"
                  << transport->count - requests_before << R"(,"items":)" << items << R"(,"ok":)"
                  << (ok ? "true" : "false") << "}" << std::endl;
    };

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
            for (std::size_t i = 0; i < query_emails.size(); i += 64) {
                pending.push_back(std::async(std::launch::async, [&, i] {
                    bool all = true;
                    for (std::size_t j = i; j < std::min(i + 64, query_emails.size()); ++j)
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
}

}  // namespace

int main() try {
    const char* dataset = std::getenv("DATASET");
    std::vector<std::string> query_emails;
    long scan_expected = 0;
    const std::vector<Row> rows = read_dataset(
        dataset != nullptr ? dataset : "../shared/bench/dataset.json", query_emails, scan_expected);

    const char* endpoint = std::getenv("DDB_ENDPOINT");
    const char* pid = std::getenv("SERVER_PID");
    for (const bool concurrent : {false, true}) {
        const std::string peer = concurrent ? "cpp-concurrent" : "cpp";
        if (endpoint != nullptr && *endpoint != '\0') {
            warm_up(endpoint, rows);
            run(peer, concurrent, endpoint, pid != nullptr ? std::stol(pid) : 0, rows, query_emails,
                scan_expected);
        } else {
            bloop::testing::DynamoDBLocal server(
                bench::local_server_options());  // a fresh server for each mode, as the baseline
            warm_up(server.endpoint(), rows);
            run(peer, concurrent, server.endpoint(), server.pid(), rows, query_emails,
                scan_expected);
        }
    }
    return 0;
} catch (const std::exception& e) {
    std::cerr << "workload failed: " << e.what() << "\n";
    return 1;
}
