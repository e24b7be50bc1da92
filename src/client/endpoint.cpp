#include <bloop/client/endpoint.hpp>
#include <bloop/exceptions.hpp>

#include "client/aws_files.hpp"
#include "util/ascii.hpp"

#include <algorithm>
#include <charconv>

namespace bloop {
namespace {
[[noreturn]] void bad_url(std::string_view url, const std::string& why) {
    throw InvalidEndpoint("invalid endpoint URL \"" + std::string(url) + "\": " + why);
}

bool valid_host(std::string_view host) {
    return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
        return detail::is_ascii_alnum(c) || c == '-' || c == '.' || c == '_';
    });
}

bool valid_region(std::string_view region) {
    return !region.empty() && std::all_of(region.begin(), region.end(), [](char c) {
        return detail::is_ascii_lower(c) || (c >= '0' && c <= '9') || c == '-';
    });
}
}  // namespace

Endpoint Endpoint::parse(std::string_view url) {
    Endpoint e;
    const auto sep = url.find("://");
    if (sep == std::string_view::npos) bad_url(url, "no scheme (expected http:// or https://)");
    e.scheme = detail::ascii_lower(url.substr(0, sep));
    if (e.scheme != "http" && e.scheme != "https") {
        bad_url(url, "unsupported scheme \"" + e.scheme + "\" (expected http or https)");
    }
    std::string_view rest = url.substr(sep + 3);
    const auto slash = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, slash);
    std::string_view path =
        slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash);
    if (path.find_first_of("?#") != std::string_view::npos)
        bad_url(url, "query strings and fragments are not allowed");
    if (authority.find('@') != std::string_view::npos)
        bad_url(url, "user information is not allowed");
    std::string_view port_text;
    bool has_port = false;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) bad_url(url, "unterminated IPv6 address");
        e.host = std::string(authority.substr(1, close - 1));
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') bad_url(url, "unexpected text after the IPv6 address");
            port_text = after.substr(1);
            has_port = true;
        }
        if (e.host.empty() ||
            e.host.find_first_not_of("0123456789abcdefABCDEF:.") != std::string::npos) {
            bad_url(url, "invalid IPv6 address");
        }
    } else {
        const auto colon = authority.rfind(':');
        e.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) {
            port_text = authority.substr(colon + 1);
            has_port = true;
        }
        if (!valid_host(e.host)) bad_url(url, "missing or invalid host");
    }
    e.port = e.scheme == "https" ? 443 : 80;
    if (has_port) {
        int port = 0;
        auto [end, ec] =
            std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
        if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
            port < 1 || port > 65535) {
            bad_url(url, "invalid port \"" + std::string(port_text) + "\"");
        }
        e.port = port;
    }
    e.path = std::string(path);
    return e;
}

std::string Endpoint::url() const {
    return scheme + "://" + host_header() + path;
}

std::string Endpoint::host_header() const {
    std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    const int default_port = scheme == "https" ? 443 : 80;
    if (port != default_port) h += ":" + std::to_string(port);
    return h;
}

std::string resolve_region(const std::optional<std::string>& explicit_region,
                           const std::optional<std::string>& profile, const Environment& env) {
    if (explicit_region && !explicit_region->empty()) return *explicit_region;
    if (auto r = env.get("AWS_REGION")) return *r;
    if (auto r = env.get("AWS_DEFAULT_REGION")) return *r;
    const std::string name = detail::profile_name(profile, env);
    std::string tried = "the explicit region, AWS_REGION, AWS_DEFAULT_REGION";
    if (auto path = detail::config_file_path(env)) {
        if (auto section = detail::read_ini_section(*path, detail::config_section(name))) {
            if (auto it = section->find("region"); it != section->end() && !it->second.empty()) {
                return it->second;
            }
        }
        tried += ", 'region' of profile '" + name + "' in the config file " + *path;
    }
    throw MissingRegion("no AWS region found; tried " + tried);
}

Endpoint resolve_endpoint(Service service, const std::optional<std::string>& explicit_url,
                          std::string_view region, const Environment& env) {
    if (explicit_url && !explicit_url->empty()) return Endpoint::parse(*explicit_url);
    const char* specific = service == Service::dynamodb ? "AWS_ENDPOINT_URL_DYNAMODB"
                                                        : "AWS_ENDPOINT_URL_DYNAMODB_STREAMS";
    if (auto url = env.get(specific)) return Endpoint::parse(*url);
    if (auto url = env.get("AWS_ENDPOINT_URL")) return Endpoint::parse(*url);
    if (!valid_region(region)) {
        throw InvalidEndpoint("cannot build an endpoint for region \"" + std::string(region) +
                              "\": not a region name");
    }
    const std::string suffix =
        region.substr(0, 3) == "cn-" ? ".amazonaws.com.cn" : ".amazonaws.com";
    const std::string prefix = service == Service::dynamodb ? "dynamodb." : "streams.dynamodb.";
    return Endpoint::parse("https://" + prefix + std::string(region) + suffix);
}

}  // namespace bloop
