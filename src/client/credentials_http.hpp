#pragma once
// One HTTP exchange with a credentials source (instance metadata, the container endpoint, STS,
// the SSO portal): curl for https, the socket transport for http, failures as
// CredentialsUnavailable naming the source.

#include <bloop/client/http.hpp>

#include <string>

namespace bloop::detail {

/// Sends `request` (any status comes back). Throws CredentialsUnavailable "SOURCE: …" when no
/// answer arrives.
[[nodiscard]] HttpResponse send_for_credentials(const std::string& source,
                                                const HttpRequest& request,
                                                const Timeouts& timeouts);

}  // namespace bloop::detail
