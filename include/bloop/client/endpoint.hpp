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
    /// The region requests to it are signed for, when the endpoint rules name one (e.g.
    /// us-east-1 for DynamoDB Local's "local" region); empty: the client's region.
    std::string signing_region{};

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

/// How endpoints that carry the account ID (`https://<account>.ddb.<region>.amazonaws.com`) are
/// used: the AWS SDKs' `account_id_endpoint_mode`.
enum class AccountIdEndpointMode {
    preferred,  ///< when the credentials say which account they belong to (the SDKs' default)
    required,   ///< always: a request whose credentials name no account fails (InvalidEndpoint)
    disabled,   ///< never
};

/// The AWS SDKs' endpoint settings besides the URL itself.
struct EndpointSettings {
    /// FIPS 140 endpoints (`dynamodb-fips.<region>...`), for regulated and GovCloud workloads.
    bool use_fips = false;
    /// Dual-stack (IPv4 and IPv6) endpoints (`dynamodb.<region>.api.aws`).
    bool use_dualstack = false;
    /// The account the credentials belong to; empty: not known.
    std::string account_id{};
    /// How `account_id` shapes the DynamoDB endpoint.
    AccountIdEndpointMode account_id_mode = AccountIdEndpointMode::preferred;
};

/// The settings as the AWS SDKs read them: `AWS_USE_FIPS_ENDPOINT`, `AWS_USE_DUALSTACK_ENDPOINT`,
/// `AWS_ACCOUNT_ID_ENDPOINT_MODE` (and `AWS_ACCOUNT_ID`), else the profile's `use_fips_endpoint`,
/// `use_dualstack_endpoint`, `account_id_endpoint_mode` (and `aws_account_id`) in the config
/// file. Throws InvalidConfiguration naming a setting whose value is not one of theirs.
[[nodiscard]] EndpointSettings resolve_endpoint_settings(
    const std::optional<std::string>& profile = {}, const Environment& env = Environment());

/// Finds the endpoint of `service` by evaluating AWS's endpoint rule set of the service (the same
/// rules the AWS SDKs evaluate, with its partitions: every region's DNS suffix, FIPS, dual-stack,
/// account-ID endpoints). The URL a user gives — `explicit_url`; else `AWS_ENDPOINT_URL_DYNAMODB`
/// (DynamoDB) or `AWS_ENDPOINT_URL_DYNAMODB_STREAMS` (Streams); else `AWS_ENDPOINT_URL` — is the
/// rules' endpoint override. Throws InvalidEndpoint for a URL that does not parse, or with the
/// rule set's own message for settings it refuses (e.g. FIPS with a custom endpoint).
[[nodiscard]] Endpoint resolve_endpoint(Service service,
                                        const std::optional<std::string>& explicit_url,
                                        std::string_view region, const EndpointSettings& settings,
                                        const Environment& env = Environment());

/// `resolve_endpoint` with the settings `resolve_endpoint_settings(profile, env)` finds.
[[nodiscard]] Endpoint resolve_endpoint(Service service,
                                        const std::optional<std::string>& explicit_url,
                                        std::string_view region,
                                        const Environment& env = Environment());

}  // namespace bloop
