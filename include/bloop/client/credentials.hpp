#pragma once
/// \file
/// AWS credentials and the chain that finds them.

#include <bloop/client/environment.hpp>

#include <optional>
#include <string>

namespace bloop {

/// An access key pair with an optional session token.
struct Credentials {
    std::string access_key_id;
    std::string secret_access_key;
    std::string session_token;  ///< empty for long-term keys
};

/// Finds credentials: `explicit_credentials` when given; else `AWS_ACCESS_KEY_ID` and
/// `AWS_SECRET_ACCESS_KEY` (with `AWS_SESSION_TOKEN`); else the profile (`profile`, else
/// `AWS_PROFILE`, else "default") in the shared credentials file (`AWS_SHARED_CREDENTIALS_FILE`,
/// else `~/.aws/credentials`) and then in the config file (`AWS_CONFIG_FILE`, else
/// `~/.aws/config`). Throws MissingCredentials naming everything it tried.
[[nodiscard]] Credentials resolve_credentials(
    const std::optional<Credentials>& explicit_credentials,
    const std::optional<std::string>& profile = {}, const Environment& env = Environment());

}  // namespace bloop
