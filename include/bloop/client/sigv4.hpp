#pragma once
/// \file
/// AWS Signature Version 4.

#include <bloop/client/credentials.hpp>
#include <bloop/client/http.hpp>

#include <array>
#include <chrono>
#include <string>
#include <string_view>

namespace bloop {

/// The parts of a signature, for tests and diagnostics. Holds no secret.
struct SigV4Parts {
    /// The canonical request (SigV4 task 1).
    std::string canonical_request;
    /// The string to sign (SigV4 task 2).
    std::string string_to_sign;
    std::string signed_headers;  ///< "host;x-amz-date"
    std::string signature;       ///< lowercase hex
    std::string authorization;   ///< the Authorization header value
};

/// Signs requests for one region and service (DynamoDB Streams signs as "dynamodb"). Safe to use
/// from many threads; each thread keeps the day's derived signing key.
class SigV4Signer {
  public:
    /// A signer for `service` (e.g. "dynamodb") in `region`.
    SigV4Signer(std::string region, std::string service);

    /// Adds `X-Amz-Date` (unless present), `X-Amz-Security-Token` (for session credentials, unless
    /// present; it is signed) and `Authorization` to `request`. Every header present is signed.
    /// Returns the parts of the signature.
    SigV4Parts sign(HttpRequest& request, const Credentials& credentials,
                    std::chrono::system_clock::time_point now) const;

    /// The parts of the signature without changing the request (which must carry X-Amz-Date).
    [[nodiscard]] SigV4Parts compute(const HttpRequest& request,
                                     const Credentials& credentials) const;

  private:
    std::string region_;
    std::string service_;
};

/// "20150830T123600Z" for a UTC time point.
[[nodiscard]] std::string amz_date(std::chrono::system_clock::time_point t);

}  // namespace bloop
