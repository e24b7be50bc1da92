// The stream processor across processes, against DynamoDB Local: three worker processes share the
// shards of four tables' streams (one shard per table on DynamoDB Local) while 6,000 writes go
// in. Midway one worker is killed (SIGKILL) and later restarted under its name, one is stopped
// (SIGTERM) and later restarted, and one is cut off from the lease table — first answered with
// errors, then stalled — while DynamoDB Streams still answers it. From the workers' own logs
// (one monotonic clock for every process): every record was handled; no two workers delivered
// one shard at overlapping times; within each holding of a shard records came in order and after
// the checkpoint the holding started from; a released lease's checkpoint covers everything its
// holder handled; a stopped worker's leases were taken within a take interval plus a poll of
// their release, a killed worker's within the lease duration plus a take interval; each worker's
// own metrics, exported as CloudWatch EMF, count the leases its log says it took and lost; the
// counts the workers kept are exact.

#include <bloop/bloop.hpp>

#include "fault_proxy.hpp"
#include "integration.hpp"
#include "proc_orders.hpp"

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;

constexpr int kKeys = 25;    // orders per table
constexpr int kRounds = 60;  // changes per order: 4 tables x 25 orders x 60 = 6,000 writes
constexpr std::int64_t kLeaseMs = 3000;
constexpr std::int64_t kTakeMs = kLeaseMs / 3;  // the worker's take interval
constexpr std::int64_t kPollMs = 100;           // its idle poll
// Room for a loaded two-core machine on top of the stated bounds (the answers themselves).
constexpr std::int64_t kSlackMs = 1000;

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

bool sequence_less(const std::string& a, const std::string& b) {
    const auto digits = [](const std::string& s) {
        return s.substr(std::min(s.find_first_not_of('0'), s.size()));
    };
    const std::string x = digits(a), y = digits(b);
    return x.size() != y.size() ? x.size() < y.size() : x < y;
}

// `dynamodb`: where the worker sends DynamoDB requests (its lease table among them); its
// DynamoDB Streams requests go to DynamoDB Local directly.
pid_t start_worker(const std::string& name, const std::string& log, const std::string& dynamodb) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::setenv("AWS_ENDPOINT_URL_DYNAMODB", dynamodb.c_str(), 1);
        ::setenv("AWS_ENDPOINT_URL_DYNAMODB_STREAMS", bloop::test::endpoint().c_str(), 1);
        const std::string lease_ms = std::to_string(kLeaseMs);
        ::execl(BLOOP_STREAM_TEST_WORKER, BLOOP_STREAM_TEST_WORKER, "--consumer", "proc-test",
                "--worker", name.c_str(), "--log", log.c_str(), "--lease-ms", lease_ms.c_str(),
                "--idle-exit", "10", static_cast<char*>(nullptr));
        std::_Exit(127);
    }
    return pid;
}

int wait_exit(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return status;
}

struct Handled {
    std::string table, shard, sequence, id;
    std::int64_t n;
};

// One worker's holding of one shard: from taking its lease to releasing, handing over or losing
// it.
struct Holding {
    std::string worker, table, start;  // start: the checkpoint the lease was taken at
    std::string how;                   // "free", "expired, from w0", "handed over", ...
    std::int64_t taken_ms = 0;
    std::vector<Handled> records;
    std::string released_at;  // the checkpoint written on release or handover; empty if none
    std::int64_t released_ms = 0;
    bool handed_over = false;  // to a worker that asked for it (else released: free)
};

struct Batch {
    std::string worker, table;
    std::int64_t start_ms, end_ms;
};

// One process of a worker, from its "started" line: the lease events its log lines report, and
// what its own metrics exported as EMF say of them.
struct WorkerRun {
    std::string worker;
    bool stopped = false;  // ran to its end (not killed): its last metrics were written
    int took = 0;          // "took the lease" lines
    int lost = 0;          // "lost the lease" and "could not renew" lines
    std::map<std::string, double> lease_events;  // the EMF lease_events by kind, added up
};

struct WorkerLog {
    std::vector<Holding> holdings;
    std::vector<Batch> batches;
    std::vector<WorkerRun> runs;
};

// "<stream arn>/<shard id>" -> the table, from the stream arn ("arn:...:table/ProcOrders0/...").
std::string table_of(const std::string& lease_key) {
    const auto at = lease_key.find("table/");
    if (at == std::string::npos) return lease_key;
    return lease_key.substr(at + 6, lease_key.find('/', at + 6) - at - 6);
}

void read_log(const std::string& worker, const std::string& path, WorkerLog& out) {
    std::map<std::string, std::size_t> current;  // table -> its holding
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string kind;
        words >> kind;
        if (kind == "L" && line.ends_with(" started"))
            out.runs.push_back({worker, false, 0, 0, {}});
        if (out.runs.empty()) continue;
        WorkerRun& run = out.runs.back();
        if (kind == "L" && line.ends_with(" stopped")) run.stopped = true;
        if (kind == "L" && line.find("took the lease of ") != std::string::npos) ++run.took;
        if (kind == "L" && (line.find("lost the lease of ") != std::string::npos ||
                            line.find("could not renew the lease of ") != std::string::npos))
            ++run.lost;
        if (kind == "M") {
            bloop::json::Value document;
            try {
                document = bloop::json::parse(line.substr(2));
            } catch (const bloop::InvalidJson&) {
                continue;  // a line cut by SIGKILL
            }
            if (const bloop::json::Value* events = document.find("lease_events"))
                run.lease_events[document.at("kind").as_string()] += events->as_double();
            continue;
        }
        if (kind == "R") {
            Handled h;
            words >> h.table >> h.shard >> h.sequence >> h.id >> h.n;
            if (!words) continue;  // a line cut by SIGKILL
            const auto at = current.find(h.table);
            EXPECT_NE(at, current.end())
                << worker << " handled a record of a shard it does not hold: " << line;
            if (at != current.end()) out.holdings[at->second].records.push_back(h);
        } else if (kind == "B") {
            Batch b{worker, "", 0, 0};
            std::string shard;
            words >> b.start_ms >> b.end_ms >> b.table >> shard;
            if (words) out.batches.push_back(b);
        } else if (kind == "L") {
            std::int64_t ms = 0;
            words >> ms;
            if (const auto took = line.find("took the lease of "); took != std::string::npos) {
                const std::string rest = line.substr(took + 18);
                const std::string key = rest.substr(0, rest.find(' '));
                const auto open = rest.find(" (");
                const auto close = rest.rfind(") at ");
                current[table_of(key)] = out.holdings.size();
                out.holdings.push_back({worker,
                                        table_of(key),
                                        rest.substr(close + 5),
                                        rest.substr(open + 2, close - open - 2),
                                        ms,
                                        {},
                                        {},
                                        0,
                                        false});
            } else if (line.find("released the lease of ") != std::string::npos ||
                       line.find("handed the lease of ") != std::string::npos) {
                const std::string rest = line.substr(line.find(" lease of ") + 10);
                const auto at = current.find(table_of(rest.substr(0, rest.find(' '))));
                if (at != current.end()) {
                    Holding& h = out.holdings[at->second];
                    h.released_at = rest.substr(rest.rfind(" at ") + 4);
                    h.released_ms = ms;
                    h.handed_over = line.find("handed the lease of ") != std::string::npos;
                    current.erase(at);
                }
            } else if (const auto lost = line.find(" the lease of ");
                       lost != std::string::npos &&
                       (line.find("lost the lease") != std::string::npos ||
                        line.find("could not renew the lease") != std::string::npos)) {
                const std::string rest = line.substr(lost + 14);
                current.erase(table_of(rest.substr(0, rest.find(' '))));
            }
        }
    }
}

TEST(StreamProcessorProcesses, WorkersKilledStoppedCutOffAndRestartedLoseNothingNorOverlap) {
    ::setenv("AWS_ENDPOINT_URL", bloop::test::endpoint().c_str(), 1);
    ::setenv("AWS_REGION", "us-east-1", 1);
    ::setenv("AWS_ACCESS_KEY_ID", "bloopLocalKey", 1);
    ::setenv("AWS_SECRET_ACCESS_KEY", "bloopLocalSecret", 1);
    ::setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    bloop::Engine engine{bloop::Client(bloop::test::client_options())};
    engine.bind<ProcOrder<0>, ProcOrder<1>, ProcOrder<2>, ProcOrder<3>, ProcOrderCount,
                bloop::StreamLease>();
    // w2's lease table: answered, failing fast, or stalled, as the test says.
    bloop::test::FaultProxy lease_path(bloop::test::endpoint(),
                                       {.rate = 0,
                                        .seed = 5,
                                        .faults = {bloop::test::Fault::unavailable},
                                        .hold = 10s,
                                        .matching = "bloop_stream_leases"});

    const std::string dir = ::testing::TempDir();
    const std::vector<std::string> names{"w0", "w1", "w2"};
    std::vector<std::string> logs;
    std::vector<pid_t> pids;
    for (const auto& name : names) {
        logs.push_back(dir + "/stream_processor_" + name + "_" + std::to_string(::getpid()) +
                       ".log");
        std::remove(logs.back().c_str());
        pids.push_back(start_worker(name, logs.back(),
                                    name == "w2" ? lease_path.url() : bloop::test::endpoint()));
    }

    // Writing starts once every worker holds a shard.
    const auto owners = [&] {
        std::set<std::string> out;
        for (const auto& l : engine.query(bloop::attr<&bloop::StreamLease::consumer> == "proc-test",
                                          {.consistent = true}))
            if (!l.owner.empty() && !l.is_heartbeat()) out.insert(l.owner);
        return out;
    };
    const auto deadline = std::chrono::steady_clock::now() + 120s;
    while (owners().size() < 3 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(100ms);
    ASSERT_EQ(owners().size(), 3u) << "the workers did not share the shards";

    std::vector<ProcOrder<0>> t0(kKeys);
    std::vector<ProcOrder<1>> t1(kKeys);
    std::vector<ProcOrder<2>> t2(kKeys);
    std::vector<ProcOrder<3>> t3(kKeys);
    for (int k = 0; k < kKeys; ++k) {
        const std::string id = "order-" + std::to_string(k);
        t0[k].id = t1[k].id = t2[k].id = t3[k].id = id;
    }
    std::int64_t killed_ms = 0, stopped_ms = 0, restarted_ms = 0;
    std::vector<pid_t> ended;  // workers that were killed or stopped, waited for at the end
    for (int round = 1; round <= kRounds; ++round) {
        for (int k = 0; k < kKeys; ++k) t0[k].n = t1[k].n = t2[k].n = t3[k].n = round;
        engine.save(t0);
        engine.save(t1);
        engine.save(t2);
        engine.save(t3);
        std::this_thread::sleep_for(150ms);  // about 15 s of writes
        if (round == 8) {
            killed_ms = now_ms();
            ::kill(pids[0], SIGKILL);
            ended.push_back(pids[0]);
        }
        if (round == 16) {
            stopped_ms = now_ms();
            ::kill(pids[1], SIGTERM);
            ended.push_back(pids[1]);
        }
        if (round == 24) {  // once the killed worker's leases may have been taken over
            while (now_ms() - killed_ms < kLeaseMs + kTakeMs + kSlackMs)
                std::this_thread::sleep_for(50ms);
            pids[0] = start_worker("w0", logs[0], bloop::test::endpoint());
        }
        if (round == 30) lease_path.set_faults({bloop::test::Fault::unavailable}, 1.0);
        if (round == 45) lease_path.set_faults({bloop::test::Fault::stalled}, 1.0);
        if (round == 55) {
            lease_path.set_rate(0);
            restarted_ms = now_ms();
            pids[1] = start_worker("w1", logs[1], bloop::test::endpoint());
        }
    }
    EXPECT_TRUE(WIFSIGNALED(wait_exit(ended[0])));
    const int stopped = wait_exit(ended[1]);
    EXPECT_TRUE(WIFEXITED(stopped) && WEXITSTATUS(stopped) == 0);
    for (const pid_t pid : pids) {  // each exits once idle
        const int status = wait_exit(pid);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }

    WorkerLog log;
    for (std::size_t w = 0; w < names.size(); ++w) read_log(names[w], logs[w], log);

    // Every record handled at least once; none skipped.
    std::map<std::string, int> times;  // "<table>/<id>/<n>"
    for (const auto& h : log.holdings)
        for (const auto& r : h.records) ++times[r.table + "/" + r.id + "/" + std::to_string(r.n)];
    int missing = 0;
    for (const auto table : kTables)
        for (int k = 0; k < kKeys; ++k)
            for (int n = 1; n <= kRounds; ++n)
                missing += times.count(std::string(table) + "/order-" + std::to_string(k) + "/" +
                                       std::to_string(n)) == 0;
    EXPECT_EQ(missing, 0);
    EXPECT_EQ(times.size(), std::size_t{4 * kKeys * kRounds});

    // No two workers delivered one shard at overlapping times.
    int overlapping = 0;
    for (std::size_t i = 0; i < log.batches.size(); ++i) {
        for (std::size_t j = i + 1; j < log.batches.size(); ++j) {
            const Batch& a = log.batches[i];
            const Batch& b = log.batches[j];
            if (a.table == b.table && a.worker != b.worker && a.start_ms < b.end_ms &&
                b.start_ms < a.end_ms) {
                ADD_FAILURE() << a.worker << " [" << a.start_ms << ", " << a.end_ms << "] and "
                              << b.worker << " [" << b.start_ms << ", " << b.end_ms << "] on "
                              << a.table;
                ++overlapping;
            }
        }
    }
    EXPECT_EQ(overlapping, 0);

    // Within a holding: in order, each key's changes in order, all after the checkpoint the
    // holding started from — so anything handled twice lay after the previous holder's last
    // checkpoint. A release or handover checkpoints everything handled.
    int duplicates = 0;
    for (const auto& [record, count] : times) duplicates += count - 1;
    for (const auto& h : log.holdings) {
        std::map<std::string, std::int64_t> last_n;
        std::string previous = h.start;
        const bool numbered =
            !h.start.empty() && std::isdigit(static_cast<unsigned char>(h.start[0]));
        for (const auto& r : h.records) {
            if (numbered || &r != &h.records.front()) {
                EXPECT_TRUE(sequence_less(previous, r.sequence))
                    << h.worker << " on " << h.table << ": " << r.sequence << " after " << previous;
            }
            previous = r.sequence;
            EXPECT_GT(r.n, last_n[r.id]) << h.worker << " " << r.table << "/" << r.id;
            last_n[r.id] = r.n;
        }
        if (!h.released_at.empty() && !h.records.empty()) {
            EXPECT_EQ(h.released_at, h.records.back().sequence) << h.worker << " on " << h.table;
        }
    }

    // Takeovers: a killed worker's leases within the lease duration plus a take interval; a
    // stopped worker's released leases within a take interval plus a poll of their release; a
    // cut-off worker's leases taken as expired.
    std::int64_t takeover_ms = 0, handoff_ms = 0;
    int killed_taken = 0, released_taken = 0, cut_off_taken = 0;
    for (const auto& h : log.holdings) {
        if (h.how == "expired, from w0" && h.taken_ms > killed_ms && killed_ms > 0) {
            ++killed_taken;
            takeover_ms = std::max(takeover_ms, h.taken_ms - killed_ms);
        }
        if (h.how == "expired, from w2") ++cut_off_taken;
    }
    for (const auto& released : log.holdings) {
        // What the stopped w1 released on its way out: the next holding of that shard.
        if (released.worker != "w1" || released.handed_over || released.released_ms < stopped_ms ||
            released.released_ms > restarted_ms)
            continue;
        const Holding* next = nullptr;
        for (const auto& h : log.holdings) {
            if (h.table == released.table && h.taken_ms >= released.released_ms &&
                (next == nullptr || h.taken_ms < next->taken_ms))
                next = &h;
        }
        ASSERT_NE(next, nullptr) << "nobody took " << released.table << " after w1 released it";
        EXPECT_EQ(next->how, "free") << released.table;
        ++released_taken;
        handoff_ms = std::max(handoff_ms, next->taken_ms - released.released_ms);
    }
    EXPECT_GT(killed_taken, 0);
    EXPECT_LE(takeover_ms, kLeaseMs + kTakeMs + kSlackMs);
    EXPECT_GT(released_taken, 0);
    EXPECT_LE(handoff_ms, kTakeMs + kPollMs + kSlackMs);
    EXPECT_GT(cut_off_taken, 0);
    // What each worker's own metrics exported (EMF) agrees with its log, through a stop and a
    // lease table cut off: every lease taken or stolen, every lease lost. (A killed process's
    // last half second of metrics is gone with it.)
    int lost_reported = 0;
    for (const WorkerRun& run : log.runs) {
        if (!run.stopped) continue;
        auto event = [&](const char* kind) {
            const auto found = run.lease_events.find(kind);
            return found == run.lease_events.end() ? 0 : static_cast<int>(found->second);
        };
        EXPECT_EQ(event("taken") + event("stolen"), run.took) << run.worker;
        EXPECT_EQ(event("lost"), run.lost) << run.worker;
        EXPECT_GT(event("checkpointed"), 0) << run.worker;
        lost_reported += event("lost");
    }
    EXPECT_GT(lost_reported, 0) << "the cut-off worker's lost leases were not reported";

    std::cout << "stream processor: " << log.holdings.size() << " holdings, " << duplicates
              << " records handled twice; takeover after SIGKILL " << takeover_ms
              << " ms, handoff after release " << handoff_ms << " ms\n";

    // The counts are exact despite records handled twice.
    std::int64_t total = 0;
    int wrong = 0;
    for (const auto& c : engine.scan<ProcOrderCount>({.consistent = true})) {
        total += c.changes;
        wrong += c.changes != kRounds;
    }
    EXPECT_EQ(wrong, 0);
    EXPECT_EQ(total, 4 * kKeys * kRounds);
}

}  // namespace
