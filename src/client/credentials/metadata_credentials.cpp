// Credentials served over HTTP on the machine itself: the ECS/EKS container endpoint and the EC2
// instance metadata service (IMDSv2).

#include <bloop/client/credentials.hpp>
#include <bloop/client/endpoint.hpp>
#include <bloop/client/http.hpp>
#include <bloop/exceptions.hpp>

#include "client/credentials/credentials_http.hpp"
#include "client/credentials/credentials_json.hpp"
#include "client/credentials/instance_region.hpp"

#include <fstream>
#include <random>
#include <iterator>

namespace bloop {
namespace {

constexpr Timeouts kTimeouts{std::chrono::milliseconds(1000), std::chrono::milliseconds(1000)};
constexpr std::string_view kContainerHost = "http://169.254.170.2";
constexpr std::string_view kImdsIpv4 = "http://169.254.169.254";
constexpr std::string_view kImdsIpv6 = "http://[fd00:ec2::254]";

// One GET or PUT on the machine's own endpoints; the body of a 200 answer.
std::string fetch(const std::string& source, const std::string& method, const std::string& url,
                  Headers headers) {
    const HttpResponse response = detail::send_for_credentials(
        source, detail::credentials_request(method, url, std::move(headers)), kTimeouts);
    if (response.status != 200) {
        throw CredentialsUnavailable(source + ": HTTP " + std::to_string(response.status) +
                                     " from " + url);
    }
    return response.body;
}

bool is_true(const std::optional<std::string>& v) {
    return v && (*v == "true" || *v == "TRUE" || *v == "True" || *v == "1");
}

// Where a container full URI may point over plain http.
bool allowed_http_host(const std::string& host) {
    return host.rfind("127.", 0) == 0 || host == "localhost" || host == "::1" ||
           host == "169.254.170.2" || host == "169.254.170.23" || host == "fd00:ec2::23";
}

std::string imds_endpoint(const Environment& env) {
    if (auto e = env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT")) {
        std::string url = *e;
        while (!url.empty() && url.back() == '/') url.pop_back();
        return url;
    }
    const auto mode = env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
    return std::string(mode && (*mode == "IPv6" || *mode == "ipv6") ? kImdsIpv6 : kImdsIpv4);
}

// An IMDSv2 session token.
std::string imds_token(const std::string& endpoint, const std::string& source) {
    return fetch(source, "PUT", endpoint + "/latest/api/token",
                 {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}});
}

// The AWS SDKs' static stability for instance credentials: while the instance's credentials
// service is impaired, IMDS may answer credentials past their expiration, which the services still
// accept for a while. Like the SDKs, use them for another 5 to 10 minutes (asking again before
// that ends), with a warning, rather than fail every request.
void extend_if_expired(Credentials& credentials, std::chrono::system_clock::time_point now,
                       const LogListener& log) {
    if (!credentials.expiration || *credentials.expiration > now) return;
    static thread_local std::mt19937 random{std::random_device{}()};
    const auto extended = now + std::chrono::minutes(5) +
                          std::chrono::seconds(std::uniform_int_distribution<int>(0, 300)(random));
    if (log) {
        log(LogLevel::warning,
            "ec2-instance-metadata answered credentials that expired at " +
                detail::format_iso8601(*credentials.expiration) + "; using them until " +
                detail::format_iso8601(extended) +
                " and asking again before then (static stability, as the AWS SDKs do)");
    }
    credentials.expiration = extended;
}

}  // namespace

std::shared_ptr<CredentialsProvider> container_credentials_provider(const Environment& env,
                                                                    RefreshOptions options) {
    std::string url;
    if (auto relative = env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
        url = std::string(kContainerHost) + (relative->front() == '/' ? "" : "/") + *relative;
    } else if (auto full = env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
        url = *full;
        const Endpoint endpoint = Endpoint::parse(url);
        if (endpoint.scheme == "http" && !allowed_http_host(endpoint.host)) {
            throw InvalidConfiguration(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI must use https, or http to a loopback or "
                "container credentials address; got " +
                url);
        }
    } else {
        return nullptr;
    }
    const auto token = env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    const auto token_file = env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    return refreshing_credentials_provider(
        "container-credentials",
        [url, token, token_file] {
            Headers headers;
            if (token_file) {
                std::ifstream in(*token_file, std::ios::binary);
                if (!in) {
                    throw CredentialsUnavailable("container-credentials: cannot read " +
                                                 *token_file);
                }
                std::string text((std::istreambuf_iterator<char>(in)),
                                 std::istreambuf_iterator<char>());
                while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
                    text.pop_back();
                headers.emplace_back("Authorization", text);
            } else if (token) {
                headers.emplace_back("Authorization", *token);
            }
            return detail::parse_credentials_json(
                fetch("container-credentials", "GET", url, std::move(headers)),
                "container-credentials", "Token");
        },
        std::move(options));
}

std::shared_ptr<CredentialsProvider> instance_metadata_credentials_provider(
    const Environment& env, RefreshOptions options) {
    if (is_true(env.get("AWS_EC2_METADATA_DISABLED"))) return nullptr;
    const std::string endpoint = imds_endpoint(env);
    const std::string source = "ec2-instance-metadata";
    // Copied before `options` is moved into the provider.
    LogListener log = options.log;
    auto clock = options.clock;
    return refreshing_credentials_provider(
        source,
        [endpoint, source, log, clock] {
            const std::string token = imds_token(endpoint, source);
            const std::string base = endpoint + "/latest/meta-data/iam/security-credentials/";
            std::string role = fetch(source, "GET", base, {{"X-aws-ec2-metadata-token", token}});
            role = role.substr(0, role.find('\n'));
            while (!role.empty() && (role.back() == '\r' || role.back() == ' ')) role.pop_back();
            if (role.empty()) throw CredentialsUnavailable(source + ": the instance has no role");
            Credentials credentials = detail::parse_credentials_json(
                fetch(source, "GET", base + role, {{"X-aws-ec2-metadata-token", token}}), source,
                "Token");
            extend_if_expired(credentials, clock ? clock() : std::chrono::system_clock::now(),
                              log);
            return credentials;
        },
        std::move(options));
}

namespace detail {

InstanceRegion ask_instance_region(const Environment& env) {
    if (is_true(env.get("AWS_EC2_METADATA_DISABLED")))
        return {std::nullopt, "disabled by AWS_EC2_METADATA_DISABLED"};
    const std::string endpoint = imds_endpoint(env);
    try {
        const std::string token = imds_token(endpoint, "ec2-instance-metadata");
        std::string region =
            fetch("ec2-instance-metadata", "GET", endpoint + "/latest/meta-data/placement/region",
                  {{"X-aws-ec2-metadata-token", token}});
        while (!region.empty() && (region.back() == '\n' || region.back() == '\r'))
            region.pop_back();
        if (region.empty()) return {std::nullopt, "it answered an empty region"};
        return {std::move(region), {}};
    } catch (const CredentialsUnavailable& e) {
        return {std::nullopt, e.what()};  // "ec2-instance-metadata: HTTP 403 from ..."
    }
}

}  // namespace detail

std::optional<std::string> instance_metadata_region(const Environment& env) {
    return detail::ask_instance_region(env).region;
}

}  // namespace bloop
