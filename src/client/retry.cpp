#include <bloop/client/retry.hpp>
#include <bloop/exceptions.hpp>

#include "client/aws_files.hpp"

#include <algorithm>

namespace bloop {
namespace {

using std::chrono::milliseconds;

constexpr int kAttempts = 8;
constexpr milliseconds kBase{25};
constexpr milliseconds kMax{2000};

struct ModeDefaults {
    int attempts;
    milliseconds base, max;
};

ModeDefaults defaults_of(const std::optional<RetryMode>& mode) {
    if (!mode) return {kAttempts, kBase, kMax};
    switch (*mode) {
        case RetryMode::legacy: return {11, milliseconds(25), milliseconds(20000)};
        case RetryMode::standard:
        case RetryMode::adaptive: return {3, milliseconds(1000), milliseconds(20000)};
    }
    return {kAttempts, kBase, kMax};
}

RetryMode parse_mode(const std::string& text, const std::string& source) {
    if (text == "legacy") return RetryMode::legacy;
    if (text == "standard") return RetryMode::standard;
    if (text == "adaptive") return RetryMode::adaptive;
    throw InvalidConfiguration(source + " must be legacy, standard or adaptive, got \"" +
                               text.substr(0, 40) + "\"");
}

int parse_attempts(const std::string& text, const std::string& source) {
    int n = 0;
    bool digits = !text.empty() && text.size() <= 6;
    for (const char c : text) {
        if (c < '0' || c > '9') digits = false;
    }
    if (digits) n = std::stoi(text);
    if (!digits || n < 1) {
        throw InvalidConfiguration(source +
                                   " must be a whole number of attempts of at least 1, got \"" +
                                   text.substr(0, 40) + "\"");
    }
    return n;
}

}  // namespace

std::chrono::milliseconds RetryPolicy::backoff_cap(int retry) const noexcept {
    if (retry < 1) return milliseconds(0);
    const ModeDefaults d = defaults_of(mode);
    const milliseconds base = base_delay.value_or(d.base);
    const milliseconds max = max_delay.value_or(d.max);
    // Doubling past 2^30 only overflows; the cap is reached long before.
    const int shift = std::min(retry - 1, 30);
    const auto uncapped = base.count() * (std::int64_t{1} << shift);
    return milliseconds(std::min<std::int64_t>(uncapped, max.count()));
}

RetryPolicy resolve_retry_policy(RetryPolicy given, const std::optional<std::string>& profile,
                                 const Environment& env) {
    if (!given.mode) {
        if (const bool from_env = env.get("AWS_RETRY_MODE").has_value();
            auto text = detail::shared_setting("AWS_RETRY_MODE", "retry_mode", profile, env)) {
            given.mode =
                parse_mode(*text, from_env ? "AWS_RETRY_MODE" : "retry_mode (config file)");
        }
    }
    if (!given.max_attempts) {
        if (const bool from_env = env.get("AWS_MAX_ATTEMPTS").has_value();
            auto text = detail::shared_setting("AWS_MAX_ATTEMPTS", "max_attempts", profile, env)) {
            given.max_attempts =
                parse_attempts(*text, from_env ? "AWS_MAX_ATTEMPTS" : "max_attempts (config file)");
        }
    }
    const ModeDefaults d = defaults_of(given.mode);
    if (!given.max_attempts) given.max_attempts = d.attempts;
    if (!given.base_delay) given.base_delay = d.base;
    if (!given.max_delay) given.max_delay = d.max;
    return given;
}

}  // namespace bloop
