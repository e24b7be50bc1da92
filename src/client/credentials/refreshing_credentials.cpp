// A provider that caches temporary credentials and renews them before they expire, once for all
// threads.

#include <bloop/client/credentials.hpp>
#include <bloop/exceptions.hpp>

#include "client/credentials/credentials_json.hpp"

#include <condition_variable>
#include <mutex>
#include <random>

namespace bloop {
namespace {

using Clock = std::chrono::system_clock;

std::string utc(Clock::time_point t) {
    return detail::format_iso8601(t);
}

class StaticProvider final : public CredentialsProvider {
  public:
    StaticProvider(Credentials c, std::string name) : c_(std::move(c)), name_(std::move(name)) {}
    Credentials credentials() override { return c_; }
    std::string name() const override { return name_; }

  private:
    Credentials c_;
    std::string name_;
};

class RefreshingProvider final : public CredentialsProvider {
  public:
    RefreshingProvider(std::string name, std::function<Credentials()> fetch, RefreshOptions o)
        : name_(std::move(name)), fetch_(std::move(fetch)), options_(std::move(o)) {
        if (!options_.clock) options_.clock = [] { return Clock::now(); };
    }

    Credentials credentials() override {
        std::unique_lock lock(mutex_);
        while (true) {
            const auto now = options_.clock();
            if (cached_ && !cached_->expiration) return *cached_;  // long-term: fetched once
            const bool usable = cached_ && now < *cached_->expiration;
            if (usable && now < renew_at_) return *cached_;
            if (fetching_) {
                if (usable) return *cached_;  // another thread renews; these still work
                done_.wait(lock);
                continue;
            }
            // Nothing usable and the last fetch failed a moment ago: not asked again yet.
            if (!usable && failure_ && now < failed_until_) throw CredentialsUnavailable(*failure_);
            fetching_ = true;
            lock.unlock();
            std::optional<Credentials> fresh;
            std::string failure;
            try {
                fresh = fetch_();
            } catch (const std::exception& e) {
                failure = e.what();
            }
            lock.lock();
            fetching_ = false;
            done_.notify_all();
            const auto after = options_.clock();
            if (fresh && fresh->expiration && *fresh->expiration <= after) {
                failure = "it answered credentials that had already expired (at " +
                          utc(*fresh->expiration) + ", now " + utc(after) + ")";
                fresh.reset();
            }
            if (fresh) {
                cached_ = std::move(*fresh);
                failure_.reset();
                if (cached_->expiration) schedule(after);
                return *cached_;
            }
            if (cached_ && cached_->expiration && after < *cached_->expiration) {
                // Never past their expiry: the next try comes before it.
                renew_at_ = std::min<Clock::time_point>(after + options_.retry_after,
                                                        *cached_->expiration);
                if (options_.log) {
                    options_.log(LogLevel::warning, "renewing credentials from " + name_ +
                                                        " failed (" + failure +
                                                        "); using the current ones, valid until " +
                                                        utc(*cached_->expiration));
                }
                return *cached_;
            }
            failure_ = "no credentials from " + name_ + ": " + failure +
                       (cached_ ? " (the last ones expired at " + utc(*cached_->expiration) + ")"
                                : "");
            failed_until_ = after + options_.retry_failed_after;
            throw CredentialsUnavailable(*failure_);
        }
    }

    std::string name() const override { return name_; }

  private:
    // Renew at most `ahead` (and at most half the remaining life) before expiry, less jitter.
    void schedule(Clock::time_point now) {
        const auto life = *cached_->expiration - now;
        auto ahead = std::chrono::duration_cast<Clock::duration>(options_.ahead);
        if (ahead > life / 2) ahead = life / 2;
        Clock::duration jitter{0};
        if (options_.jitter.count() > 0 && ahead > Clock::duration::zero()) {
            const auto max =
                std::min(std::chrono::duration_cast<Clock::duration>(options_.jitter), ahead);
            jitter =
                Clock::duration(std::uniform_int_distribution<Clock::rep>(0, max.count())(rng_));
        }
        renew_at_ = *cached_->expiration - ahead - jitter;
    }

    std::string name_;
    std::function<Credentials()> fetch_;
    RefreshOptions options_;
    std::mutex mutex_;
    std::condition_variable done_;
    bool fetching_ = false;
    std::optional<Credentials> cached_;
    Clock::time_point renew_at_{};
    std::optional<std::string> failure_;  // the last failure while nothing usable was cached
    Clock::time_point failed_until_{};
    std::mt19937_64 rng_{std::random_device{}()};
};

}  // namespace

std::shared_ptr<CredentialsProvider> static_credentials_provider(Credentials credentials,
                                                                 std::string name) {
    return std::make_shared<StaticProvider>(std::move(credentials), std::move(name));
}

std::shared_ptr<CredentialsProvider> refreshing_credentials_provider(
    std::string name, std::function<Credentials()> fetch, RefreshOptions options) {
    return std::make_shared<RefreshingProvider>(std::move(name), std::move(fetch),
                                                std::move(options));
}

}  // namespace bloop
