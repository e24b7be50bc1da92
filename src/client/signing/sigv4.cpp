#include <bloop/client/sigv4.hpp>

#include "util/ascii.hpp"
#include "util/crypto.hpp"
#include "util/percent.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <vector>

namespace bloop {
namespace {

void uri_encode(std::string& out, std::string_view s) {
    detail::percent_encode(out, s);
}

std::string percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() &&
            std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out.push_back(
                static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
            i += 2;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

// Removes "." and ".." segments and empty segments, then encodes each segment.
std::string canonical_uri(std::string_view path) {
    std::vector<std::string_view> segments;
    std::size_t pos = 0;
    while (pos <= path.size()) {
        const auto next = std::min(path.find('/', pos), path.size());
        const std::string_view seg = path.substr(pos, next - pos);
        if (seg == "..") {
            if (!segments.empty()) segments.pop_back();
        } else if (!seg.empty() && seg != ".") {
            segments.push_back(seg);
        }
        pos = next + 1;
    }
    const bool trailing_slash = path.size() > 1 && path.back() == '/' && !segments.empty();
    std::string out;
    for (const auto seg : segments) {
        out.push_back('/');
        uri_encode(out, seg);
    }
    if (out.empty() || trailing_slash) out.push_back('/');
    return out;
}

std::string canonical_query(std::string_view query) {
    std::vector<std::pair<std::string, std::string>> params;
    std::size_t pos = 0;
    while (pos < query.size()) {
        const auto amp = std::min(query.find('&', pos), query.size());
        const std::string_view part = query.substr(pos, amp - pos);
        if (!part.empty()) {
            const auto eq = part.find('=');
            std::string k;
            std::string v;
            uri_encode(k, percent_decode(part.substr(0, eq)));
            if (eq != std::string_view::npos) uri_encode(v, percent_decode(part.substr(eq + 1)));
            params.emplace_back(std::move(k), std::move(v));
        }
        pos = amp + 1;
    }
    std::sort(params.begin(), params.end());
    std::string out;
    for (const auto& [k, v] : params) {
        if (!out.empty()) out.push_back('&');
        out += k;
        out.push_back('=');
        out += v;
    }
    return out;
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Whether the value is canonical already: no white space at its ends, none but single spaces
// inside (as every header a client sends).
bool is_canonical_header_value(std::string_view v) {
    if (!v.empty() && (is_space(v.front()) || is_space(v.back()))) return false;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] == ' ' ? v[i + 1] == ' ' : is_space(v[i])) return false;  // v.back() is no space
    }
    return true;
}

// Trims the value and folds every run of white space (including line breaks) into one space.
std::string canonical_header_value(std::string_view v) {
    std::string out;
    bool space = false;
    for (const char c : v) {
        if (is_space(c)) {
            space = !out.empty();
            continue;
        }
        if (space) out.push_back(' ');
        space = false;
        out.push_back(c);
    }
    return out;
}

std::string_view as_view(const detail::Digest& d) {
    return {reinterpret_cast<const char*>(d.data()), d.size()};
}

// The day's signing key (SigV4 task 3), derived once per thread for each day, secret, region and
// service: four HMACs saved on every request.
const detail::HmacSha256Key& signing_key(const std::string& day, const std::string& secret,
                                         const std::string& region, const std::string& service) {
    thread_local struct {
        std::string day, secret, region, service;
        detail::HmacSha256Key key;
    } cache;
    if (day != cache.day || secret != cache.secret || region != cache.region ||
        service != cache.service) {
        const auto k_date = detail::hmac_sha256("AWS4" + secret, day);
        const auto k_region = detail::hmac_sha256(as_view(k_date), region);
        const auto k_service = detail::hmac_sha256(as_view(k_region), service);
        cache.key =
            detail::HmacSha256Key(as_view(detail::hmac_sha256(as_view(k_service), "aws4_request")));
        cache.day = day;
        cache.secret = secret;
        cache.region = region;
        cache.service = service;
    }
    return cache.key;
}

}  // namespace

std::string amz_date(std::chrono::system_clock::time_point t) {
    // Formatted once per second per thread: every request of that second carries the same text.
    thread_local std::time_t cached_second = -1;
    thread_local std::string cached;
    const std::time_t tt = std::chrono::system_clock::to_time_t(t);
    if (tt != cached_second) {
        std::tm tm{};
        gmtime_r(&tt, &tm);
        char buf[32];
        std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
        cached = buf;
        cached_second = tt;
    }
    return cached;
}

SigV4Signer::SigV4Signer(std::string region, std::string service)
    : region_(std::move(region)), service_(std::move(service)) {}

SigV4Parts SigV4Signer::compute(const HttpRequest& request, const Credentials& credentials) const {
    // Lowercase name and canonical value (values of one name joined by ','), sorted by name: a
    // request has a handful. A value that is canonical as sent is used in place.
    struct Header {
        std::string name;
        std::string_view sent;
        std::string rewritten;  // when the value had to be folded or joined
        bool use_rewritten = false;
        [[nodiscard]] std::string_view value() const {
            return use_rewritten ? std::string_view(rewritten) : sent;
        }
    };
    std::vector<Header> headers;
    headers.reserve(request.headers.size());
    std::size_t headers_size = 0;
    for (const auto& [name, value] : request.headers) {
        std::string key = detail::ascii_lower(name);
        const auto slot = std::lower_bound(
            headers.begin(), headers.end(), key,
            [](const Header& header, const std::string& k) { return header.name < k; });
        if (slot != headers.end() && slot->name == key) {
            std::string joined(slot->value());
            joined.push_back(',');
            joined += canonical_header_value(value);
            slot->rewritten = std::move(joined);
            slot->use_rewritten = true;
        } else if (is_canonical_header_value(value)) {
            headers.insert(slot, Header{std::move(key), value, {}, false});
        } else {
            headers.insert(slot, Header{std::move(key), {}, canonical_header_value(value), true});
        }
        headers_size += 2 * name.size() + value.size() + 3;
    }
    std::string_view date;
    for (const auto& h : headers) {
        if (h.name == "x-amz-date") date = h.value();
    }

    SigV4Parts parts;
    std::string& creq = parts.canonical_request;
    creq.reserve(request.method.size() + 2 * request.path.size() + 2 * request.query.size() +
                 headers_size + 64 + 8);
    creq += request.method;
    creq.push_back('\n');
    creq += request.path == "/" ? std::string("/") : canonical_uri(request.path);
    creq.push_back('\n');
    if (!request.query.empty()) creq += canonical_query(request.query);
    creq.push_back('\n');
    parts.signed_headers.reserve(headers_size);
    for (const auto& h : headers) {
        creq += h.name;
        creq.push_back(':');
        creq += h.value();
        creq.push_back('\n');
        if (!parts.signed_headers.empty()) parts.signed_headers.push_back(';');
        parts.signed_headers += h.name;
    }
    creq.push_back('\n');
    creq += parts.signed_headers;
    creq.push_back('\n');
    detail::append_hex(creq, detail::sha256(request.body));

    const std::string day(date.substr(0, 8));
    std::string scope;
    scope.reserve(day.size() + region_.size() + service_.size() + 16);
    scope.append(day).append("/").append(region_).append("/").append(service_).append(
        "/aws4_request");
    std::string& sts = parts.string_to_sign;
    sts.reserve(128 + scope.size());
    sts.append("AWS4-HMAC-SHA256\n").append(date).append("\n").append(scope).append("\n");
    detail::append_hex(sts, detail::sha256(creq));

    parts.signature = detail::to_hex(
        signing_key(day, credentials.secret_access_key, region_, service_).sign(sts));
    std::string& auth = parts.authorization;
    auth.reserve(160 + credentials.access_key_id.size() + scope.size() +
                 parts.signed_headers.size());
    auth.append("AWS4-HMAC-SHA256 Credential=")
        .append(credentials.access_key_id)
        .append("/")
        .append(scope)
        .append(", SignedHeaders=")
        .append(parts.signed_headers)
        .append(", Signature=")
        .append(parts.signature);
    return parts;
}

SigV4Parts SigV4Signer::sign(HttpRequest& request, const Credentials& credentials,
                             std::chrono::system_clock::time_point now) const {
    if (find_header(request.headers, "x-amz-date").empty()) {
        request.headers.emplace_back("X-Amz-Date", amz_date(now));
    }
    if (!credentials.session_token.empty() &&
        find_header(request.headers, "x-amz-security-token").empty()) {
        request.headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
    }
    SigV4Parts parts = compute(request, credentials);
    request.headers.emplace_back("Authorization", parts.authorization);
    return parts;
}

}  // namespace bloop
