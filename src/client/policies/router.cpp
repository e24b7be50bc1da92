#include "client/policies/router.hpp"

namespace bloop::detail {

Router::Router(std::optional<std::string> dynamodb_url, std::optional<std::string> streams_url,
               std::string region, EndpointSettings settings, Environment environment)
    : dynamodb_url_(std::move(dynamodb_url)),
      streams_url_(std::move(streams_url)),
      region_(std::move(region)),
      settings_(std::move(settings)),
      environment_(std::move(environment)),
      endpoints_{base_endpoint(Service::dynamodb), base_endpoint(Service::streams)},
      targets_{Target(endpoints_[0]), Target(endpoints_[1])} {}

// With the account required but not known yet, the account's endpoint is found per request (and
// fails there).
Endpoint Router::base_endpoint(Service service) const {
    EndpointSettings s = settings_;
    if (s.account_id_mode == AccountIdEndpointMode::required && s.account_id.empty())
        s.account_id_mode = AccountIdEndpointMode::preferred;
    return resolve_endpoint(service, service == Service::dynamodb ? dynamodb_url_ : streams_url_,
                            region_, s, environment_);
}

// Resolved once per account.
std::shared_ptr<const Target> Router::account_target(const std::string& account) {
    std::lock_guard lock(account_mutex_);
    if (!account_endpoint_ || account_endpoint_of_ != account) {
        EndpointSettings s = settings_;
        s.account_id = account;
        account_endpoint_ = std::make_shared<const Target>(
            resolve_endpoint(Service::dynamodb, dynamodb_url_, region_, s, environment_));
        account_endpoint_of_ = account;
    }
    return account_endpoint_;
}

const Target& Router::target(Service service, const Credentials& credentials,
                             std::shared_ptr<const Target>& keep) {
    const auto mode = settings_.account_id_mode;
    const bool other_account =
        !credentials.account_id.empty() && credentials.account_id != settings_.account_id;
    const bool none_required = mode == AccountIdEndpointMode::required &&
                               credentials.account_id.empty() && settings_.account_id.empty();
    if (service == Service::dynamodb && mode != AccountIdEndpointMode::disabled &&
        (other_account || none_required)) {
        keep = account_target(credentials.account_id);
        return *keep;
    }
    return targets_[static_cast<std::size_t>(service)];
}

}  // namespace bloop::detail
