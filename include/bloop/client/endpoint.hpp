#pragma once
/// \file
/// Regions and endpoints of DynamoDB and DynamoDB Streams.

#include <bloop/client/environment.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace bloop {

/// The two services this client talks to.
enum class Service { dynamodb, streams };

/// A parsed http(s) endpoint URL.
struct Endpoint {
    std::string scheme;  ///< "http" or "https"
    std::string host;    ///< host name or address, without brackets for IPv6
    int port = 0;        ///< explicit or the scheme's default
    std::string path;    ///< "/" when none was given

    /// Parses "http://127.0.0.1:8000" or "https://dynamodb.eu-west-1.amazonaws.com/".
    /// Throws InvalidEndpoint naming the URL and what is wrong with it.
    static Endpoint parse(std::string_view url);
    /// The URL to send requests to.
    [[nodiscard]] std::string url() const;
    /// The Host header: host, plus ":port" when it is not the scheme's default.
    [[nodiscard]] std::string host_header() const;
};

/// Finds the region: `explicit_region`; else `AWS_REGION`; else `AWS_DEFAULT_REGION`; else
/// `region` of the profile in the config file. Throws MissingRegion naming what it tried.
[[nodiscard]] std::string resolve_region(const std::optional<std::string>& explicit_region,
                                         const std::optional<std::string>& profile = {},
                                         const Environment& env = Environment());

/// Finds the endpoint of `service`: `explicit_url`; else `AWS_ENDPOINT_URL_DYNAMODB` (DynamoDB) or
/// `AWS_ENDPOINT_URL_DYNAMODB_STREAMS` (Streams); else `AWS_ENDPOINT_URL`; else the regional AWS
/// endpoint (`https://dynamodb.<region>.amazonaws.com`,
/// `https://streams.dynamodb.<region>.amazonaws.com`; `.amazonaws.com.cn` in China regions).
/// Throws InvalidEndpoint for a URL that does not parse or a region that is not a region name.
[[nodiscard]] Endpoint resolve_endpoint(Service service,
                                        const std::optional<std::string>& explicit_url,
                                        std::string_view region,
                                        const Environment& env = Environment());

}  // namespace bloop
