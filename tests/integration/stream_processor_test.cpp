// The stream processor across processes, against DynamoDB Local: three worker processes share the
// shards of four tables' streams (one shard per table on DynamoDB Local) while 5,000 writes go
// in; one worker is killed with SIGKILL and one stopped with SIGTERM midway. From the workers'
// logs: every record was handled, within each holding of a shard records came in order and after
// the checkpoint the holding started from (so a record handled twice was one the previous holder
// had not checkpointed), a gracefully stopped worker's records are all behind the checkpoint it
// released; and the counts the workers kept are exact.

#include <bloop/bloop.hpp>

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
constexpr int kRounds = 50;  // changes per order: 4 tables x 25 orders x 50 = 5,000 writes

bool sequence_less(const std::string& a, const std::string& b) {
    const auto digits = [](const std::string& s) {
        return s.substr(std::min(s.find_first_not_of('0'), s.size()));
    };
    const std::string x = digits(a), y = digits(b);
    return x.size() != y.size() ? x.size() < y.size() : x < y;
}

pid_t start_worker(const std::string& name, const std::string& log) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::execl(BLOOP_STREAM_TEST_WORKER, BLOOP_STREAM_TEST_WORKER, "--consumer", "proc-test",
                "--worker", name.c_str(), "--log", log.c_str(), "--lease-ms", "1500", "--idle-exit",
                "10", static_cast<char*>(nullptr));
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

// One worker's holding of one shard: from taking its lease to losing or releasing it.
struct Holding {
    std::string worker, shard, start;  // start: the checkpoint the lease was taken at
    std::string how;                   // "free", "expired, from w0", "for balance, from w1"
    std::vector<Handled> records;
    std::string released_at;  // the checkpoint written on release; empty if not released
};

std::vector<Holding> read_log(const std::string& worker, const std::string& path) {
    std::vector<Holding> holdings;
    std::map<std::string, std::size_t> current;  // shard -> its holding
    std::ifstream in(path);
    std::string line;
    const auto shard_of = [](const std::string& lease_key) {
        return lease_key.substr(lease_key.rfind('/') + 1);
    };
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string kind;
        words >> kind;
        if (kind == "R") {
            Handled h;
            words >> h.table >> h.shard >> h.sequence >> h.id >> h.n;
            if (!words) continue;  // a line cut by SIGKILL
            const auto at = current.find(h.shard);
            EXPECT_NE(at, current.end())
                << worker << " handled a record of a shard it never took: " << line;
            if (at != current.end()) holdings[at->second].records.push_back(h);
        } else if (const auto took = line.find("took the lease of "); took != std::string::npos) {
            const std::string rest = line.substr(took + 18);
            const std::string key = rest.substr(0, rest.find(' '));
            current[shard_of(key)] = holdings.size();
            const auto open = rest.find(" (");
            const auto close = rest.rfind(") at ");
            holdings.push_back({worker,
                                shard_of(key),
                                rest.substr(close + 5),
                                rest.substr(open + 2, close - open - 2),
                                {},
                                {}});
        } else if (const auto released = line.find("released the lease of ");
                   released != std::string::npos) {
            const std::string rest = line.substr(released + 22);
            const auto at = current.find(shard_of(rest.substr(0, rest.find(' '))));
            if (at != current.end())
                holdings[at->second].released_at = rest.substr(rest.rfind(" at ") + 4);
        }
    }
    return holdings;
}

TEST(StreamProcessorProcesses, ThreeWorkersOneKilledOneStoppedLoseAndSkipNothing) {
    ::setenv("AWS_ENDPOINT_URL", bloop::test::endpoint().c_str(), 1);
    ::setenv("AWS_REGION", "us-east-1", 1);
    ::setenv("AWS_ACCESS_KEY_ID", "bloopLocalKey", 1);
    ::setenv("AWS_SECRET_ACCESS_KEY", "bloopLocalSecret", 1);
    ::setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    bloop::Engine engine{bloop::Client(bloop::test::client_options())};
    engine.bind<ProcOrder<0>, ProcOrder<1>, ProcOrder<2>, ProcOrder<3>, ProcOrderCount,
                bloop::StreamLease>();

    const std::string dir = ::testing::TempDir();
    const std::vector<std::string> names{"w0", "w1", "w2"};
    std::vector<std::string> logs;
    std::vector<pid_t> pids;
    for (const auto& name : names) {
        logs.push_back(dir + "/stream_processor_" + name + "_" + std::to_string(::getpid()) +
                       ".log");
        std::remove(logs.back().c_str());
        pids.push_back(start_worker(name, logs.back()));
    }

    // Writing starts once every worker holds a shard.
    const auto owners = [&] {
        std::set<std::string> out;
        for (const auto& l : engine.query(bloop::attr<&bloop::StreamLease::consumer> == "proc-test",
                                          {.consistent = true}))
            if (!l.owner.empty()) out.insert(l.owner);
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
    for (int round = 1; round <= kRounds; ++round) {
        for (int k = 0; k < kKeys; ++k) t0[k].n = t1[k].n = t2[k].n = t3[k].n = round;
        engine.save(t0);
        engine.save(t1);
        engine.save(t2);
        engine.save(t3);
        if (round == 15) ::kill(pids[0], SIGKILL);
        if (round == 30) ::kill(pids[1], SIGTERM);
    }
    EXPECT_TRUE(WIFSIGNALED(wait_exit(pids[0])));
    const int stopped = wait_exit(pids[1]);
    EXPECT_TRUE(WIFEXITED(stopped) && WEXITSTATUS(stopped) == 0);
    const int survivor = wait_exit(pids[2]);  // exits when idle
    EXPECT_TRUE(WIFEXITED(survivor) && WEXITSTATUS(survivor) == 0);

    std::vector<Holding> holdings;
    for (std::size_t w = 0; w < names.size(); ++w) {
        for (auto& h : read_log(names[w], logs[w])) holdings.push_back(std::move(h));
    }

    // Every record handled at least once; none skipped.
    std::map<std::string, int> times;  // "<table>/<id>/<n>"
    for (const auto& h : holdings)
        for (const auto& r : h.records) ++times[r.table + "/" + r.id + "/" + std::to_string(r.n)];
    int missing = 0;
    for (const auto table : kTables)
        for (int k = 0; k < kKeys; ++k)
            for (int n = 1; n <= kRounds; ++n)
                missing += times.count(std::string(table) + "/order-" + std::to_string(k) + "/" +
                                       std::to_string(n)) == 0;
    EXPECT_EQ(missing, 0);
    EXPECT_EQ(times.size(), std::size_t{4 * kKeys * kRounds});

    // Within a holding: in order, each key's changes in order, all after the checkpoint the
    // holding started from — so anything handled twice lay after the previous holder's last
    // checkpoint.
    int duplicates = 0;
    for (const auto& [record, count] : times) duplicates += count - 1;
    for (const auto& h : holdings) {
        std::map<std::string, std::int64_t> last_n;
        std::string previous = h.start;
        const bool numbered =
            !h.start.empty() && std::isdigit(static_cast<unsigned char>(h.start[0]));
        for (const auto& r : h.records) {
            if (numbered || &r != &h.records.front()) {
                EXPECT_TRUE(sequence_less(previous, r.sequence))
                    << h.worker << " on " << h.shard << ": " << r.sequence << " after " << previous;
            }
            previous = r.sequence;
            EXPECT_GT(r.n, last_n[r.id]) << h.worker << " " << r.table << "/" << r.id;
            last_n[r.id] = r.n;
        }
        // A graceful release checkpoints everything handled: nothing of it is handled again.
        if (!h.released_at.empty() && !h.records.empty()) {
            EXPECT_EQ(h.released_at, h.records.back().sequence) << h.worker << " on " << h.shard;
        }
    }
    std::cout << "stream processor: " << holdings.size() << " holdings, " << duplicates
              << " records handled twice\n";

    // Another worker took the killed worker's leases once they expired.
    bool took_expired = false;
    for (const auto& h : holdings) took_expired = took_expired || h.how == "expired, from w0";
    EXPECT_TRUE(took_expired);

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
