#include "client/credentials/credentials_json.hpp"

#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>

#include <ctime>

namespace bloop::detail {
namespace {

bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
    if (at + n > s.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view s) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    if (!digits(s, 0, 4, y) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2, mo) ||
        s[7] != '-' || !digits(s, 8, 2, d) || s[10] != 'T' || !digits(s, 11, 2, h) ||
        s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, sec)) {
        return std::nullopt;
    }
    std::string_view rest = s.substr(19);
    if (!rest.empty() && rest.front() == '.') {
        rest.remove_prefix(1);
        while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') rest.remove_prefix(1);
    }
    if (rest != "Z" && rest != "+00:00") return std::nullopt;
    const std::chrono::year_month_day date{std::chrono::year(y),
                                           std::chrono::month(static_cast<unsigned>(mo)),
                                           std::chrono::day(static_cast<unsigned>(d))};
    if (!date.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
    // The clock counts nanoseconds and ends in 2262: anything that far off is "far future".
    if (y >= 2200) return std::chrono::sys_days(std::chrono::year(2200) / 1 / 1);
    return std::chrono::sys_days(date) + std::chrono::hours(h) + std::chrono::minutes(mi) +
           std::chrono::seconds(sec);
}

Credentials parse_credentials_json(std::string_view text, std::string_view source,
                                   std::string_view token_member) {
    const auto bad = [&](const std::string& what) {
        return CredentialsUnavailable(std::string(source) +
                                      " returned no usable credentials: " + what);
    };
    json::Value doc;
    try {
        doc = json::parse(text);
    } catch (const InvalidJson&) {
        throw bad("not JSON");  // the text may hold secrets: not quoted
    }
    if (!doc.is_object()) throw bad("not a JSON object");
    const auto member = [&](std::string_view name) -> std::string {
        const json::Value* v = doc.find(name);
        return v != nullptr && v->is_string() ? v->as_string() : std::string();
    };
    if (const json::Value* code = doc.find("Code");
        code && code->is_string() && code->as_string() != "Success") {
        throw bad("Code " + code->as_string().substr(0, 60));
    }
    Credentials c;
    c.access_key_id = member("AccessKeyId");
    c.secret_access_key = member("SecretAccessKey");
    c.session_token = member(token_member);
    c.account_id = member("AccountId");
    if (c.access_key_id.empty() || c.secret_access_key.empty())
        throw bad("AccessKeyId or SecretAccessKey missing");
    if (const std::string expiration = member("Expiration"); !expiration.empty()) {
        c.expiration = parse_iso8601(expiration);
        if (!c.expiration)
            throw bad("Expiration \"" + expiration.substr(0, 40) + "\" is not ISO 8601");
    }
    return c;
}

std::string format_iso8601(std::chrono::system_clock::time_point t) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

}  // namespace bloop::detail
