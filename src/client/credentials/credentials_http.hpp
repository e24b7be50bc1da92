#pragma once
// One HTTP exchange with a credentials source (instance metadata, the container endpoint, STS,
// the SSO portal): curl for https, the socket transport for http, failures as
// CredentialsUnavailable naming the source.

#include <bloop/client/http.hpp>

#include <string>

namespace bloop::detail {

/// STS and the SSO portal: a regional service, unlike the metadata endpoints on the machine.
inline constexpr Timeouts kServiceTimeouts{std::chrono::milliseconds(3000),
                                           std::chrono::milliseconds(10000)};

/// A `method` request to `url` (an http(s) URL with an optional path and no query, checked by
/// Endpoint::parse) with its Host header first, then `headers`; `query` (already encoded) is
/// appended to the URL.
[[nodiscard]] HttpRequest credentials_request(std::string method, const std::string& url,
                                              Headers headers, std::string query = {});

/// Sends `request` (any status comes back), trusting the certificate authorities of `ca_bundle`
/// (a PEM file; empty: the system's) for https. Throws CredentialsUnavailable "SOURCE: …" when no
/// answer arrives.
[[nodiscard]] HttpResponse send_for_credentials(const std::string& source,
                                                const HttpRequest& request,
                                                const Timeouts& timeouts,
                                                const std::string& ca_bundle = {});

}  // namespace bloop::detail
