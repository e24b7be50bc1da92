// StreamProcessor: one worker of a consumer. Its thread (the caller of run()) keeps leases — new
// shards get leases, free, expired and (for balance) other workers' leases are taken, the held
// ones kept alive by one heartbeat item for the whole worker — and each held shard whose parents
// are finished is read by its own ShardReader.

#include <bloop/exceptions.hpp>
#include <bloop/stream/processor.hpp>

#include "stream/heartbeat.hpp"
#include "stream/lease_plan.hpp"
#include "stream/shard_reader.hpp"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <tuple>

#include <unistd.h>

namespace bloop {
namespace {

using detail::LeaseClock;

std::string default_worker() {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    std::random_device random;
    char suffix[9];
    std::snprintf(suffix, sizeof suffix, "%08x", random());
    return std::string(host[0] != '\0' ? host : "worker") + ":" + std::to_string(getpid()) + ":" +
           suffix;
}

void require_positive(std::chrono::milliseconds value, const char* name) {
    if (value.count() <= 0)
        throw InvalidArgument(std::string("ProcessorOptions::") + name + " must be positive");
}

// Shards ordered so that every parent comes before its children.
std::vector<StreamsApi::Shard> parents_first(std::vector<StreamsApi::Shard> shards) {
    std::set<std::string> placed;
    std::set<std::string> described;
    for (const auto& s : shards) described.insert(s.shard_id);
    std::vector<StreamsApi::Shard> out;
    while (!shards.empty()) {
        const auto before = shards.size();
        for (auto it = shards.begin(); it != shards.end();) {
            if (it->parent_shard_id.empty() || !described.count(it->parent_shard_id) ||
                placed.count(it->parent_shard_id)) {
                placed.insert(it->shard_id);
                out.push_back(std::move(*it));
                it = shards.erase(it);
            } else {
                ++it;
            }
        }
        if (shards.size() == before) {  // a cycle, which DynamoDB never describes
            for (auto& s : shards) out.push_back(std::move(s));
            break;
        }
    }
    return out;
}

}  // namespace

struct StreamProcessor::Impl {
    struct Subscription {
        const ModelInfo* model;
        std::string arn;
        detail::BatchHandler handler;
    };

    ProcessorOptions options;
    detail::ReaderContext context;
    std::vector<Subscription> subscriptions;
    detail::LeaseExpiry expiry;
    std::atomic<LeaseClock::rep> last_handled{0};
    detail::Heartbeat heartbeat{context};
    std::atomic<bool> running{false};  // run() is working: the subscriptions are fixed
    std::mutex run_mutex;              // with run_done: the destructor waits for run() to return
    std::condition_variable run_done;

    mutable std::mutex held_mutex;  // held() reads the map from other threads
    std::map<std::string, std::unique_ptr<detail::ShardReader>> held;  // by lease key
    std::vector<std::unique_ptr<detail::ShardReader>> retiring;  // lost or finished, still running
    // Readers whose handler was still in a call at the shutdown deadline.
    std::vector<std::unique_ptr<detail::ShardReader>> stuck;
    std::set<std::string> asked;  // leases this worker asked other workers for

    Impl(ProcessorOptions o, LogListener log, const std::atomic<bool>* stopping)
        : options(std::move(o)), expiry(options.lease_duration) {
        context.options = &options;
        context.worker = options.worker.empty() ? default_worker() : options.worker;
        context.streams = options.streams;
        context.leases = options.leases;
        context.log = std::move(log);
        context.stopping = stopping;
        context.last_handled = &last_handled;
        context.heartbeat_written = &heartbeat.written();
    }

    const Subscription* subscription_of(std::string_view arn) const {
        for (const auto& s : subscriptions)
            if (s.arn == arn) return &s;
        return nullptr;
    }

    // Leases for shards that have none; finished leases of shards trimmed away and stale
    // heartbeats are deleted.
    void sync_shards() {
        const detail::LeaseListing listing(context.leases->list(options.consumer));
        const std::vector<StreamLease>& leases = listing.all();
        heartbeat.sweep(listing, expiry);
        for (const auto& sub : subscriptions) {
            const std::vector<StreamsApi::Shard> shards =
                parents_first(context.streams->describe_stream(sub.arn));
            std::set<std::string> known;
            std::set<std::string> parents;  // shards with a child: closed
            for (const auto& s : shards) {
                known.insert(s.shard_id);
                if (!s.parent_shard_id.empty()) parents.insert(s.parent_shard_id);
            }
            const bool first = std::none_of(leases.begin(), leases.end(), [&](const auto& l) {
                return l.stream_arn() == sub.arn;
            });
            const bool from_latest = std::holds_alternative<StreamPosition::Latest>(options.start);
            // Parents before children; within a generation in an order of this worker's own, so
            // workers starting together mostly create different leases. After a write another
            // worker beat, the next hundred are checked against a fresh listing first.
            std::map<std::string_view, std::size_t> depth;
            std::vector<std::tuple<std::size_t, std::size_t, const StreamsApi::Shard*>> missing;
            for (const auto& s : shards) {
                const auto parent = depth.find(s.parent_shard_id);
                depth[s.shard_id] = parent == depth.end() ? 0 : parent->second + 1;
                if (listing.find(sub.arn + "/" + s.shard_id) == nullptr) {
                    missing.emplace_back(depth[s.shard_id],
                                         std::hash<std::string>{}(context.worker + s.shard_id), &s);
                }
            }
            std::sort(missing.begin(), missing.end());
            std::unique_ptr<detail::LeaseListing> fresh;
            bool beaten = false;
            std::vector<std::string> orphans;  // created, their parent gone unread
            for (std::size_t i = 0; i < missing.size(); ++i) {
                if (i % 100 == 0 && beaten) {
                    fresh = std::make_unique<detail::LeaseListing>(
                        context.leases->list(options.consumer));
                    beaten = false;
                }
                const StreamsApi::Shard& s = *std::get<2>(missing[i]);
                const std::string key = sub.arn + "/" + s.shard_id;
                if (fresh && fresh->find(key) != nullptr) continue;
                StreamLease lease{
                    options.consumer, key, {}, {}, std::string(checkpoint::trim_horizon), {}, 0};
                if (!s.parent_shard_id.empty()) lease.parents.push_back(s.parent_shard_id);
                if (first && from_latest) {
                    lease.checkpoint =
                        parents.count(s.shard_id) ? checkpoint::shard_end : checkpoint::latest;
                }
                if (context.leases->write(lease).written) {
                    context.say(LogLevel::info,
                                "created the lease of " + key + " at " + lease.checkpoint);
                    if (lease.checkpoint == checkpoint::trim_horizon &&
                        !s.parent_shard_id.empty() && !known.count(s.parent_shard_id) &&
                        listing.find(sub.arn + "/" + s.parent_shard_id) == nullptr)
                        orphans.push_back(s.shard_id);
                } else {
                    beaten = true;
                }
            }
            report_orphans(sub.arn, orphans, first);
            for (const auto& l : leases) {
                if (l.stream_arn() != sub.arn || !l.finished() ||
                    known.count(std::string(l.shard_id())))
                    continue;
                if (context.leases->remove(l))
                    context.say(LogLevel::info, "deleted the finished lease of " + l.lease +
                                                    " (its shard left the stream)");
            }
        }
    }

    // Shards whose parent left the stream (trimmed after 24 hours) before this consumer read it
    // start at their trim horizon: said once per sync, as a warning once the consumer has read
    // the stream before (a gap in what it handled), else as a note.
    void report_orphans(const std::string& arn, const std::vector<std::string>& orphans,
                        bool first) const {
        if (orphans.empty()) return;
        std::string ids;
        for (std::size_t i = 0; i < orphans.size() && i < 5; ++i)
            ids += (i == 0 ? "" : ", ") + orphans[i];
        if (orphans.size() > 5) ids += ", ...";
        context.say(first ? LogLevel::info : LogLevel::warning,
                    std::to_string(orphans.size()) + " shard(s) of " + arn + " (" + ids +
                        ") have a parent no longer in the stream, never read by this consumer "
                        "(trimmed after 24 hours): they start at their trim horizon" +
                        (first ? "" : "; the parents' records were not handled"));
    }

    // Lists the leases, starts held shards whose parents are finished, and takes leases (or asks
    // for one) towards this worker's share. Expiry is judged by the time the listing answered.
    void take_leases() {
        const detail::LeaseListing leases(context.leases->list(options.consumer));
        const auto now = LeaseClock::now();
        expiry.observe(leases, now);
        std::erase_if(asked, [&](const std::string& key) {  // handed to another, or gone
            const StreamLease* lease = leases.find(key);
            return lease == nullptr ||
                   (lease->next_owner != context.worker && lease->owner != context.worker);
        });
        std::set<std::string> holding;
        std::vector<detail::ShardReader*> ready;
        {
            std::lock_guard lock(held_mutex);
            for (auto& [key, reader] : held) {
                holding.insert(key);
                const StreamLease* lease = leases.find(key);
                if (lease == nullptr) continue;
                reader->observe(*lease);  // taken from it, or asked for
                if (!reader->started() && !reader->gone() && detail::parents_done(*lease, leases))
                    ready.push_back(reader.get());
            }
        }
        for (detail::ShardReader* reader : ready) reader->start();  // confirms the lease first
        // A shard whose earlier reader here has not returned yet is not taken again meanwhile.
        for (const auto& reader : retiring) holding.insert(reader->key());
        const detail::TakePlan plan =
            detail::plan_takes(leases, expiry, now, context.worker, holding,
                               {options.max_leases.value_or(SIZE_MAX),
                                options.balance == Balance::throughput, options.balance_threshold});
        // The plan names leases of this listing only.
        for (const auto& key : plan.take) {
            const StreamLease& lease = *leases.find(key);
            const bool asked_for = asked.erase(key) > 0;
            take(lease,
                 lease.owner.empty() ? "free"
                 : lease.owner == context.worker
                     ? (asked_for ? "handed over" : "its own: left by an earlier run, or given up")
                     : "expired, from " + lease.owner,
                 leases);
        }
        for (const auto& ask : plan.steals) ask_for(*leases.find(ask.lease), ask.victim);
        for (const auto& key : plan.release) give_back(*leases.find(key));
    }

    void take(StreamLease lease, const std::string& why, const detail::LeaseListing& leases) {
        const Subscription* sub = subscription_of(lease.stream_arn());
        if (sub == nullptr) return;  // a stream of this consumer this worker does not read
        lease.owner = context.worker;
        lease.next_owner.clear();
        const auto sent = LeaseClock::now();
        if (!context.leases->write(lease).written) return;  // another worker got there first
        context.say(LogLevel::info,
                    "took the lease of " + lease.lease + " (" + why + ") at " + lease.checkpoint);
        context.lease_event(why == "handed over" ? "stolen" : "taken",
                            std::string(lease.shard_id()));
        const bool ready = detail::parents_done(lease, leases);
        const std::string key = lease.lease;
        auto reader =
            std::make_unique<detail::ShardReader>(context, sub->handler, std::move(lease), sent);
        detail::ShardReader& added = *reader;
        {
            std::lock_guard lock(held_mutex);
            held[key] = std::move(reader);
        }
        if (ready) added.launch();  // the take itself proved the lease this worker's
    }

    // Frees `lease`, this worker's by the table but not held, for other workers.
    void give_back(StreamLease lease) {
        lease.owner.clear();
        lease.next_owner.clear();
        if (context.leases->write(lease).written) {
            context.say(LogLevel::info, "released the lease of " + lease.lease + " at " +
                                            lease.checkpoint + " (beyond this worker's share)");
        }
    }

    // Asks `victim` for `lease`: it hands the lease over (checkpointed, its owner this worker)
    // after its current batch, and this worker takes it up; a victim that died lets it expire.
    void ask_for(StreamLease lease, const std::string& victim) {
        if (subscription_of(lease.stream_arn()) == nullptr) return;
        lease.next_owner = context.worker;
        if (!context.leases->write(lease).written) return;
        asked.insert(lease.lease);
        context.say(
            LogLevel::info,
            "asked " + victim + " for the lease of " + lease.lease +
                (options.balance == Balance::throughput
                     ? " (for balance: " + std::to_string(lease.throughput) + " records a second)"
                     : std::string(" (for balance)")));
    }

    // Lost, finished and released leases leave `held` (their threads are joined once they have
    // returned from the handler). True when a shard finished.
    bool retire_gone() {
        bool any_finished = false;
        std::lock_guard lock(held_mutex);
        for (auto it = held.begin(); it != held.end();) {
            if (it->second->gone()) {
                any_finished = any_finished || it->second->finished();
                retiring.push_back(std::move(it->second));
                it = held.erase(it);
            } else {
                ++it;
            }
        }
        std::erase_if(retiring, [](const auto& reader) { return reader->done(); });
        return any_finished;
    }

    bool idle(LeaseClock::time_point now) const {
        if (!options.idle_exit) return false;
        const auto since = now - LeaseClock::time_point(LeaseClock::duration(last_handled.load()));
        if (since < *options.idle_exit) return false;
        std::lock_guard lock(held_mutex);
        return std::all_of(held.begin(), held.end(), [](const auto& h) {
            return h.second->started() && h.second->caught_up();
        });
    }

    // Stops every reader after its batch in hand and releases its lease, waiting for handlers in
    // a call up to the shutdown deadline. A reader whose handler is still in a call then keeps
    // its lease (releasing it would let another worker deliver the shard meanwhile): the lease
    // expires, and the reader is joined when the processor goes.
    void release_all() {
        std::vector<std::unique_ptr<detail::ShardReader>> leaving;
        {
            std::lock_guard lock(held_mutex);
            for (auto& [key, reader] : held) leaving.push_back(std::move(reader));
            held.clear();
        }
        for (auto& reader : retiring) leaving.push_back(std::move(reader));
        retiring.clear();
        for (auto& reader : leaving) reader->request_stop();
        const auto until = LeaseClock::now() + options.shutdown_deadline;
        const auto all_done = [&] {
            return std::all_of(leaving.begin(), leaving.end(),
                               [](const auto& reader) { return reader->done(); });
        };
        while (!all_done() && LeaseClock::now() < until)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        for (auto& reader : leaving) {
            if (reader->done()) {
                reader->release();
            } else {
                context.say(LogLevel::warning,
                            "the handler of " + reader->key() +
                                " did not return within the shutdown deadline; its lease is "
                                "left to expire (another worker continues from its checkpoint)");
                stuck.push_back(std::move(reader));
            }
        }
        if (stuck.empty()) heartbeat.remove();  // a stuck reader's lease must expire instead
    }
};

StreamProcessor::StreamProcessor(Engine& engine, ProcessorOptions options) : engine_(&engine) {
    if (options.consumer.empty())
        throw InvalidArgument("ProcessorOptions::consumer must name the consumer");
    require_positive(options.lease_duration, "lease_duration");
    require_positive(options.take_interval, "take_interval");
    require_positive(options.shard_sync_interval, "shard_sync_interval");
    require_positive(options.idle_poll, "idle_poll");
    require_positive(options.max_retry_backoff, "max_retry_backoff");
    require_positive(options.shutdown_deadline, "shutdown_deadline");
    if (options.max_leases && *options.max_leases == 0)
        throw InvalidArgument("ProcessorOptions::max_leases must be positive (unset: no cap)");
    if (!(options.balance_threshold >= 0) || !std::isfinite(options.balance_threshold))
        throw InvalidArgument(
            "ProcessorOptions::balance_threshold must be a finite fraction of "
            "at least 0, not " +
            std::to_string(options.balance_threshold));
    if (!options.streams) options.streams = client_streams_api(engine.client());
    // Lease requests answer (or fail) within a quarter of the lease duration, retries included:
    // a stalled connection never holds a renewal past the safe window.
    if (!options.leases)
        options.leases = lease_table(engine, {.timeout = options.lease_duration / 4});
    impl_ = std::make_unique<Impl>(std::move(options), engine.client().log_listener(), &stopping_);
    impl_->context.telemetry = engine.client().telemetry();
}

StreamProcessor::~StreamProcessor() {
    stop();
    {  // run() on another thread hands its leases back and returns
        std::unique_lock lock(impl_->run_mutex);
        impl_->run_done.wait(lock, [&] { return !impl_->running.load(); });
    }
    impl_->release_all();
}

const std::string& StreamProcessor::worker() const {
    return impl_->context.worker;
}

std::size_t StreamProcessor::held() const {
    std::lock_guard lock(impl_->held_mutex);
    return impl_->held.size();
}

void StreamProcessor::add_stream(const ModelInfo& model, const std::string& stream_arn,
                                 UntypedHandler handler) {
    if (impl_->running.load()) {
        throw InvalidArgument("StreamProcessor::subscribe: <Model[" + model.name +
                              "]> subscribed while run() works; subscribe every model before");
    }
    if (!model.stream || stream_arn.empty()) {
        throw InvalidStream("<Model[" + model.name +
                            "]> does not have a stream arn (bind it, with a stream in its Meta)");
    }
    if (impl_->subscription_of(stream_arn) != nullptr)
        throw InvalidStream("<Model[" + model.name + "]>'s stream has a handler already");
    impl_->subscriptions.push_back({&model, stream_arn, std::move(handler)});
}

void StreamProcessor::run() {
    if (impl_->subscriptions.empty())
        throw InvalidArgument("StreamProcessor::run: subscribe a model's stream first");
    if (impl_->running.exchange(true))
        throw InvalidArgument("StreamProcessor::run: already running (one run() at a time)");
    struct Done {
        Impl& p;
        ~Done() {
            std::lock_guard lock(p.run_mutex);
            p.running.store(false);
            p.run_done.notify_all();
        }
    } done{*impl_};
    Impl& p = *impl_;
    p.last_handled.store(LeaseClock::now().time_since_epoch().count());
    auto next_sync = LeaseClock::now();
    auto next_take = next_sync;
    while (!stopping_.load()) {
        try {
            // Each step reads the clock afresh: the one before may have waited on the network.
            p.heartbeat.beat();
            if (p.retire_gone()) next_sync = LeaseClock::now();  // children may start
            if (LeaseClock::now() >= next_sync) {
                p.sync_shards();
                next_sync = LeaseClock::now() + p.options.shard_sync_interval;
                next_take = LeaseClock::now();
            }
            if (LeaseClock::now() >= next_take) {
                p.take_leases();
                next_take = LeaseClock::now() + p.options.take_interval;
            }
        } catch (const std::exception& e) {  // DynamoDB unreachable: renewals decide what is lost
            p.context.say(LogLevel::warning, std::string("could not keep leases: ") + e.what());
            const auto now = LeaseClock::now();
            next_sync = std::max(next_sync, now + p.options.take_interval);
            next_take = now + p.options.take_interval;
        }
        if (p.idle(LeaseClock::now())) {
            p.context.say(LogLevel::info, "idle; stopping");
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    p.release_all();
    stopping_.store(false);
}

}  // namespace bloop
