#include <bloop/client/endpoint.hpp>
#include <bloop/exceptions.hpp>

#include "client/aws_files.hpp"
#include "client/endpoints/rules.hpp"
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

namespace {

std::optional<bool> setting_flag(std::string_view variable, std::string_view key,
                                 const std::optional<std::string>& profile,
                                 const Environment& env) {
    const auto text = detail::shared_setting(variable, key, profile, env);
    if (!text) return std::nullopt;
    const std::string lower = detail::ascii_lower(*text);
    if (lower == "true") return true;
    if (lower == "false") return false;
    throw InvalidConfiguration(std::string(variable) + " / " + std::string(key) +
                               " must be true or false, got \"" + text->substr(0, 40) + "\"");
}

// The user's endpoint URL for `service`, when one is given.
std::optional<std::string> override_url(Service service,
                                        const std::optional<std::string>& explicit_url,
                                        const Environment& env) {
    if (explicit_url && !explicit_url->empty()) return explicit_url;
    const char* specific = service == Service::dynamodb ? "AWS_ENDPOINT_URL_DYNAMODB"
                                                        : "AWS_ENDPOINT_URL_DYNAMODB_STREAMS";
    if (auto url = env.get(specific)) return url;
    if (auto url = env.get("AWS_ENDPOINT_URL")) return url;
    return std::nullopt;
}

const char* mode_name(AccountIdEndpointMode mode) {
    switch (mode) {
        case AccountIdEndpointMode::preferred: return "preferred";
        case AccountIdEndpointMode::required: return "required";
        case AccountIdEndpointMode::disabled: return "disabled";
    }
    return "preferred";
}

}  // namespace

EndpointSettings resolve_endpoint_settings(const std::optional<std::string>& profile,
                                           const Environment& env) {
    EndpointSettings s;
    s.use_fips =
        setting_flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint", profile, env).value_or(false);
    s.use_dualstack = setting_flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint",
                                   profile, env)
                          .value_or(false);
    if (const auto mode = detail::shared_setting("AWS_ACCOUNT_ID_ENDPOINT_MODE",
                                                 "account_id_endpoint_mode", profile, env)) {
        if (*mode == "preferred") {
            s.account_id_mode = AccountIdEndpointMode::preferred;
        } else if (*mode == "required") {
            s.account_id_mode = AccountIdEndpointMode::required;
        } else if (*mode == "disabled") {
            s.account_id_mode = AccountIdEndpointMode::disabled;
        } else {
            throw InvalidConfiguration(
                "AWS_ACCOUNT_ID_ENDPOINT_MODE / account_id_endpoint_mode must be preferred, "
                "required or disabled, got \"" +
                mode->substr(0, 40) + "\"");
        }
    }
    s.account_id =
        detail::shared_setting("AWS_ACCOUNT_ID", "aws_account_id", profile, env).value_or("");
    return s;
}

Endpoint resolve_endpoint(Service service, const std::optional<std::string>& explicit_url,
                          std::string_view region, const EndpointSettings& settings,
                          const Environment& env) {
    json::Value params = json::Value::object();
    if (!region.empty()) params["Region"] = std::string(region);
    params["UseFIPS"] = settings.use_fips;
    params["UseDualStack"] = settings.use_dualstack;
    if (const auto url = override_url(service, explicit_url, env)) {
        (void)Endpoint::parse(*url);  // a malformed URL is named as such, not by the rules
        params["Endpoint"] = *url;
    }
    const bool dynamodb = service == Service::dynamodb;
    if (dynamodb) {
        if (!settings.account_id.empty()) params["AccountId"] = settings.account_id;
        params["AccountIdEndpointMode"] = mode_name(settings.account_id_mode);
    }
    const detail::RuleEndpoint resolved = detail::evaluate_rule_set(
        dynamodb ? detail::dynamodb_rule_set() : detail::streams_rule_set(),
        detail::aws_partitions(), params);
    Endpoint endpoint = Endpoint::parse(resolved.url);
    if (const json::Value* schemes = resolved.properties.find("authSchemes");
        schemes != nullptr && schemes->is_array() && !schemes->as_array().empty()) {
        if (const json::Value* signing = schemes->as_array().front().find("signingRegion");
            signing != nullptr && signing->is_string())
            endpoint.signing_region = signing->as_string();
    }
    return endpoint;
}

Endpoint resolve_endpoint(Service service, const std::optional<std::string>& explicit_url,
                          std::string_view region, const Environment& env) {
    return resolve_endpoint(service, explicit_url, region, resolve_endpoint_settings({}, env), env);
}

}  // namespace bloop
