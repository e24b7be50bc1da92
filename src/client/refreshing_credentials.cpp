// A provider that caches temporary credentials and renews them before they expire, once for all
// threads.

#include <bloop/client/credentials.hpp>
#include <bloop/exceptions.hpp>

#include <condition_variable>
#include <mutex>
#include <random>

namespace bloop {
namespace {

using Clock = std::chrono::system_clock;

std::string utc(Clock::time_point t) {
    const std::time_t seconds = Clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
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
            if (cached_ && (!cached_->expiration || now < renew_at_)) return *cached_;
            const bool usable = cached_ && now < *cached_->expiration;
            if (fetching_) {
                if (usable) return *cached_;  // another thread renews; these still work
                done_.wait(lock);
                continue;
            }
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
            if (fresh) {
                cached_ = std::move(*fresh);
                if (cached_->expiration) schedule(after);
                return *cached_;
            }
            if (cached_ && after < *cached_->expiration) {
                renew_at_ = after + options_.retry_after;
                if (options_.log) {
                    options_.log(LogLevel::warning, "renewing credentials from " + name_ +
                                                        " failed (" + failure +
                                                        "); using the current ones, valid until " +
                                                        utc(*cached_->expiration));
                }
                return *cached_;
            }
            throw CredentialsUnavailable(
                "no credentials from " + name_ + ": " + failure +
                (cached_ ? " (the last ones expired at " + utc(*cached_->expiration) + ")" : ""));
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
