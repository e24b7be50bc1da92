#pragma once
// Where a request goes: the DynamoDB or Streams endpoint resolved once, and for DynamoDB with
// account-ID endpoints, the endpoint of the account the signing credentials belong to.

#include <bloop/client/credentials.hpp>
#include <bloop/client/endpoint.hpp>
#include <bloop/client/environment.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace bloop::detail {

/// An endpoint with its URL and Host header, ready for every request.
struct Target {
    explicit Target(const Endpoint& e) : path(e.path), url(e.url()), host(e.host_header()) {}
    std::string path, url, host;
};

class Router {
  public:
    /// The endpoints of both services for `region` under `settings`; `dynamodb_url` and
    /// `streams_url` are the explicit ones, when given.
    Router(std::optional<std::string> dynamodb_url, std::optional<std::string> streams_url,
           std::string region, EndpointSettings settings, Environment environment);

    /// The endpoint of `service` while the credentials name no account of their own.
    [[nodiscard]] const Endpoint& endpoint(Service service) const noexcept {
        return endpoints_[static_cast<std::size_t>(service)];
    }
    /// Where a request of `service` signed with `credentials` goes. `keep` holds an account's
    /// endpoint alive while the request uses it.
    const Target& target(Service service, const Credentials& credentials,
                         std::shared_ptr<const Target>& keep);

  private:
    Endpoint base_endpoint(Service service) const;
    std::shared_ptr<const Target> account_target(const std::string& account);

    const std::optional<std::string> dynamodb_url_, streams_url_;
    const std::string region_;
    const EndpointSettings settings_;
    const Environment environment_;
    const Endpoint endpoints_[2];
    const Target targets_[2];
    std::mutex account_mutex_;  // guards the two below
    std::string account_endpoint_of_;
    std::shared_ptr<const Target> account_endpoint_;
};

}  // namespace bloop::detail
