#pragma once
// The signing policy: asks the credentials provider on every attempt (temporary credentials
// renewed meanwhile sign the retry), routes to the endpoint those credentials belong to, sets the
// headers and signs with SigV4. In AWS Lambda (AWS_LAMBDA_FUNCTION_NAME set) each request carries
// the invocation's X-Ray trace header, `_X_AMZN_TRACE_ID`, as X-Amzn-Trace-Id, as the AWS SDKs do.

#include <bloop/client/credentials.hpp>
#include <bloop/client/environment.hpp>
#include <bloop/client/sigv4.hpp>

#include "client/policies/policy.hpp"
#include "client/policies/router.hpp"

#include <memory>

namespace bloop::detail {

class Signing final : public Policy {
  public:
    Signing(std::shared_ptr<CredentialsProvider> credentials, Router& router, SigV4Signer signer,
            Environment environment)
        : credentials_(std::move(credentials)),
          router_(router),
          signer_(std::move(signer)),
          in_lambda_(environment.get("AWS_LAMBDA_FUNCTION_NAME").has_value()),
          environment_(std::move(environment)) {}

    HttpResponse send(Exchange& exchange, const Next& next) override;

  private:
    std::shared_ptr<CredentialsProvider> credentials_;
    Router& router_;
    SigV4Signer signer_;
    bool in_lambda_;
    Environment environment_;  // read per request in Lambda: the runtime sets the trace per call
};

}  // namespace bloop::detail
