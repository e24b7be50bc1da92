#pragma once
// The signing policy: asks the credentials provider on every attempt (temporary credentials
// renewed meanwhile sign the retry), routes to the endpoint those credentials belong to, sets the
// headers and signs with SigV4.

#include <bloop/client/credentials.hpp>
#include <bloop/client/sigv4.hpp>

#include "client/policies/policy.hpp"
#include "client/policies/router.hpp"

#include <memory>

namespace bloop::detail {

class Signing final : public Policy {
  public:
    Signing(std::shared_ptr<CredentialsProvider> credentials, Router& router, SigV4Signer signer)
        : credentials_(std::move(credentials)), router_(router), signer_(std::move(signer)) {}

    HttpResponse send(Exchange& exchange, const Next& next) override;

  private:
    std::shared_ptr<CredentialsProvider> credentials_;
    Router& router_;
    SigV4Signer signer_;
};

}  // namespace bloop::detail
