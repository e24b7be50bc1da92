// The stream processor at scale: worker processes share a stream of many shards (with splits)
// through leases in DynamoDB Local, and the run measures from outside what a deployer asks —
// time until every shard is held and until the share is balanced, lease-table requests and
// DescribeStream calls per minute per worker while steady, CPU and memory per idle worker, and
// the takeover after a SIGKILL.
//
//   bloop_shards [--shards N] [--workers K] [--steady SECONDS] [--no-kill]
//
// It starts one DynamoDB Local (as the other benchmarks do) for the lease table and the table
// whose stream the workers subscribe to. The stream's shards are scripted inside each worker (the
// same layout in every process: a tenth of them closed parents, each split into two open
// children, the rest open roots), idle: no records, as a consumer waiting on a quiet stream.
// Workers are this program run as `bloop_shards --worker ...`; each writes a line of counters per
// second to a file the run reads.

#include <bloop/bloop.hpp>

#include "local_server.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

struct ShardBenchItem {
    std::string id;
};

template <>
struct bloop::Model<ShardBenchItem> {
    static constexpr Meta meta{.table_name = "ShardBench", .stream = StreamView::new_image};
    static constexpr auto hash_key = &ShardBenchItem::id;
};

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// ---- a worker ---------------------------------------------------------------------------------

std::string shard_id(const char* kind, std::size_t i) {
    char id[48];
    std::snprintf(id, sizeof id, "shardId-%s-%06zu", kind, i);
    return id;
}

// A stream of `count` idle shards: count/10 closed parents, two open children each, open roots —
// every fifth of them with a parent trimmed away (not described; started at its trim horizon).
// DescribeStream answers 100 shards a page, as DynamoDB Streams does; its pages are counted.
class ScriptedShards : public bloop::StreamsApi {
  public:
    ScriptedShards(std::string arn, std::size_t count) : arn_(std::move(arn)) {
        const std::size_t parents = count / 10;
        for (std::size_t i = 0; i < parents; ++i) {
            shards_.push_back({shard_id("parent", i), ""});
            closed_.insert(shards_.back().shard_id);
        }
        for (std::size_t i = 0; i < 2 * parents; ++i)
            shards_.push_back({shard_id("child", i), shard_id("parent", i / 2)});
        for (std::size_t i = shards_.size(); i < count; ++i)
            shards_.push_back({shard_id("root", i), i % 5 == 0 ? shard_id("trimmed", i) : ""});
    }

    std::vector<Shard> describe_stream(const std::string& arn) override {
        if (arn != arn_) throw bloop::InvalidStream("unknown stream " + arn);
        describe_pages += (shards_.size() + 99) / 100;
        return shards_;
    }
    std::string get_shard_iterator(const std::string&, const std::string& shard, const std::string&,
                                   const std::string&) override {
        ++iterators;
        return shard;
    }
    Records get_records(const std::string& iterator) override {
        ++reads;
        Records out;
        if (!closed_.count(iterator)) out.next_iterator = iterator;  // open: idle
        return out;
    }

    std::atomic<long> describe_pages{0}, iterators{0}, reads{0};

  private:
    std::string arn_;
    std::vector<Shard> shards_;
    std::set<std::string> closed_;
};

// The lease table, its calls counted.
class CountedLeases : public bloop::LeaseStore {
  public:
    explicit CountedLeases(std::shared_ptr<bloop::LeaseStore> inner) : inner_(std::move(inner)) {}
    std::vector<bloop::StreamLease> list(const std::string& consumer) override {
        ++lists;
        return inner_->list(consumer);
    }
    bloop::LeaseWrite write(bloop::StreamLease& lease) override {
        ++writes;
        return inner_->write(lease);
    }
    bool remove(const bloop::StreamLease& lease) override {
        ++removes;
        return inner_->remove(lease);
    }
    std::atomic<long> lists{0}, writes{0}, removes{0};

  private:
    std::shared_ptr<bloop::LeaseStore> inner_;
};

// CPU milliseconds, resident kilobytes and threads of this process.
void own_usage(long& cpu_ms, long& rss_kb, long& threads) {
    std::ifstream stat("/proc/self/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    std::istringstream fields(text.substr(text.rfind(')') + 2));
    std::vector<std::string> f{std::istream_iterator<std::string>(fields), {}};
    const long ticks = sysconf(_SC_CLK_TCK);
    cpu_ms = (std::stol(f[11]) + std::stol(f[12])) * 1000 / ticks;  // utime + stime
    threads = std::stol(f[17]);
    rss_kb = std::stol(f[21]) * (sysconf(_SC_PAGESIZE) / 1024);
}

bloop::StreamProcessor* running = nullptr;
extern "C" void on_signal(int) {
    if (running != nullptr) running->stop();
}

int worker_main(const std::string& consumer, const std::string& name, std::size_t shards,
                const std::string& stats_path) {
    bloop::ClientOptions client;
    client.log = [](bloop::LogLevel level, std::string_view line) {  // warnings, and orphans noted
        if (level >= bloop::LogLevel::warning || line.find("no longer in the stream") != line.npos)
            std::cerr << line << std::endl;
    };
    bloop::Engine engine{bloop::Client(std::move(client))};
    engine.bind<ShardBenchItem>();
    auto streams =
        std::make_shared<ScriptedShards>(engine.binding<ShardBenchItem>().stream_arn, shards);
    auto leases = std::make_shared<CountedLeases>(bloop::lease_table(engine, {.timeout = 2500ms}));
    bloop::StreamProcessor processor(
        engine, {.consumer = consumer, .worker = name, .leases = leases, .streams = streams});
    processor.subscribe<ShardBenchItem>([](bloop::RecordBatch<ShardBenchItem>&) {});
    running = &processor;
    std::signal(SIGTERM, on_signal);
    std::atomic<bool> done{false};
    std::thread stats([&] {
        std::ofstream out(stats_path, std::ios::app);
        const auto start = Clock::now();
        while (!done.load()) {
            long cpu = 0, rss = 0, threads = 0;
            own_usage(cpu, rss, threads);
            out << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start)
                       .count()
                << ' ' << processor.held() << ' ' << leases->lists << ' ' << leases->writes << ' '
                << leases->removes << ' ' << streams->describe_pages << ' ' << streams->reads << ' '
                << cpu << ' ' << rss << ' ' << threads << std::endl;
            std::this_thread::sleep_for(1s);
        }
    });
    processor.run();
    done.store(true);
    stats.join();
    return 0;
}

// ---- the run ----------------------------------------------------------------------------------

struct Stats {  // one line of a worker's stats file
    long ms = 0, held = 0, lists = 0, writes = 0, removes = 0, describe = 0, get_records = 0,
         cpu_ms = 0, rss_kb = 0, threads = 0;
};

Stats last_stats(const std::string& path) {
    std::ifstream in(path);
    std::string line, last;
    while (std::getline(in, line))
        if (!line.empty()) last = line;
    Stats s;
    std::istringstream(last) >> s.ms >> s.held >> s.lists >> s.writes >> s.removes >> s.describe >>
        s.get_records >> s.cpu_ms >> s.rss_kb >> s.threads;
    return s;
}

struct Worker {
    std::string name;
    pid_t pid = 0;
    std::string stats;
};

// Owners of the unfinished leases (free: "").
std::map<std::string, std::size_t> holders(bloop::LeaseStore& leases, const std::string& consumer,
                                           std::size_t& active) {
    std::map<std::string, std::size_t> out;
    active = 0;
    for (const auto& lease : leases.list(consumer)) {
        if (lease.is_heartbeat() || lease.finished()) continue;
        ++active;
        ++out[lease.owner];
    }
    return out;
}

double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

int run_main(const char* self, std::size_t shards, std::size_t workers, int steady, bool kill) {
    bloop::testing::DynamoDBLocal server(bench::local_server_options());
    ::setenv("AWS_ENDPOINT_URL", server.endpoint().c_str(), 1);
    ::setenv("AWS_REGION", "us-east-1", 1);
    ::setenv("AWS_ACCESS_KEY_ID", "bloopLocalKey", 1);
    ::setenv("AWS_SECRET_ACCESS_KEY", "bloopLocalSecret", 1);
    ::setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    bloop::Engine engine;
    engine.bind<ShardBenchItem>();
    auto leases = bloop::lease_table(engine);
    const std::string consumer = "shards-" + std::to_string(shards) + "-" + std::to_string(workers);
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("bloop_shards." + std::to_string(getpid()));
    std::filesystem::create_directories(dir);

    std::vector<Worker> pool;
    const auto start = Clock::now();
    for (std::size_t i = 0; i < workers; ++i) {
        Worker w{"w" + std::to_string(i), 0, dir / ("w" + std::to_string(i) + ".stats")};
        w.pid = fork();
        if (w.pid == 0) {
            execl("/proc/self/exe", self, "--worker", consumer.c_str(), w.name.c_str(),
                  std::to_string(shards).c_str(), w.stats.c_str(), static_cast<char*>(nullptr));
            _exit(127);
        }
        pool.push_back(w);
    }
    double all_held = -1, balanced = -1;
    const std::size_t share = (shards - shards / 10 + workers - 1) / workers;
    while (seconds_since(start) < 600) {
        std::size_t active = 0;
        const auto by = holders(*leases, consumer, active);
        const std::size_t free = by.count("") ? by.at("") : 0;
        if (all_held < 0 && active > 0 && free == 0) all_held = seconds_since(start);
        std::size_t most = 0, least = shards;
        std::size_t owners = 0;
        for (const auto& [owner, n] : by) {
            if (owner.empty()) continue;
            ++owners;
            most = std::max(most, n);
            least = std::min(least, n);
        }
        if (all_held >= 0 && owners == workers && most - least <= 1) {
            balanced = seconds_since(start);
            break;
        }
        std::this_thread::sleep_for(250ms);
    }
    std::printf(
        "shards %zu (%zu open after the parents finish), workers %zu: every shard held "
        "after %.1f s, balanced (each at most %zu) after %.1f s\n",
        shards, shards - shards / 10, workers, all_held, share, balanced);
    std::this_thread::sleep_for(12s);  // past the first shard sync and the balance handoffs
    std::vector<Stats> before;
    for (const auto& w : pool) before.push_back(last_stats(w.stats));
    std::this_thread::sleep_for(std::chrono::seconds(steady));
    double lists = 0, writes = 0, describe = 0, get_records = 0, cpu = 0, rss = 0, threads = 0;
    for (std::size_t i = 0; i < pool.size(); ++i) {
        const Stats after = last_stats(pool[i].stats);
        const auto delta = [](long a, long b) { return static_cast<double>(a - b); };
        const double ms = delta(after.ms, before[i].ms);
        const double minutes = ms / 60000.0;
        lists += delta(after.lists, before[i].lists) / minutes;
        writes +=
            (delta(after.writes, before[i].writes) + delta(after.removes, before[i].removes)) /
            minutes;
        describe += delta(after.describe, before[i].describe) / minutes;
        get_records += delta(after.get_records, before[i].get_records) / minutes;
        cpu += delta(after.cpu_ms, before[i].cpu_ms) / ms * 100.0;
        rss += static_cast<double>(after.rss_kb);
        threads += static_cast<double>(after.threads);
    }
    const double k = static_cast<double>(workers);
    std::printf(
        "steady, per worker and minute: %.1f lease writes, %.1f lease queries, %.1f "
        "DescribeStream pages, %.0f GetRecords; all workers: %.1f lease writes a minute; "
        "per worker idle: %.1f%% of a core, %.0f MB resident, %.0f threads\n",
        writes / k, lists / k, describe / k, get_records / k, writes, cpu / k, rss / k / 1024,
        threads / k);
    if (kill && workers > 1) {
        std::size_t active = 0;
        const std::size_t victims = holders(*leases, consumer, active)[pool[0].name];
        ::kill(pool[0].pid, SIGKILL);
        waitpid(pool[0].pid, nullptr, 0);
        const auto killed = Clock::now();
        double taken = -1;
        while (seconds_since(killed) < 120) {
            const auto by = holders(*leases, consumer, active);
            if (!by.count(pool[0].name) && !by.count("")) {
                taken = seconds_since(killed);
                break;
            }
            std::this_thread::sleep_for(100ms);
        }
        std::printf("SIGKILL of a worker holding %zu shards: all taken over after %.1f s\n",
                    victims, taken);
        pool.erase(pool.begin());
    }
    for (const auto& w : pool) ::kill(w.pid, SIGTERM);
    for (const auto& w : pool) waitpid(w.pid, nullptr, 0);
    std::filesystem::remove_all(dir);
    return 0;
}

}  // namespace

int main(int argc, char** argv) try {
    if (argc == 6 && std::string(argv[1]) == "--worker")
        return worker_main(argv[2], argv[3], std::stoul(argv[4]), argv[5]);
    std::size_t shards = 1000, workers = 4;
    int steady = 60;
    bool kill = true;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag == "--shards" && i + 1 < argc) {
            shards = std::stoul(argv[++i]);
        } else if (flag == "--workers" && i + 1 < argc) {
            workers = std::stoul(argv[++i]);
        } else if (flag == "--steady" && i + 1 < argc) {
            steady = std::stoi(argv[++i]);
        } else if (flag == "--no-kill") {
            kill = false;
        } else {
            std::cerr << "usage: bloop_shards [--shards N] [--workers K] [--steady SECONDS] "
                         "[--no-kill]\n";
            return 2;
        }
    }
    return run_main(argv[0], shards, workers, steady, kill);
} catch (const std::exception& e) {
    std::cerr << "bloop_shards: " << e.what() << "\n";
    return 1;
}
