#pragma once
/// \file
/// AWS credentials, the providers a client asks for them on every signing, and the local chain.

#include <bloop/client/environment.hpp>
#include <bloop/client/log.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace bloop {

/// An access key pair with an optional session token.
struct Credentials {
    /// The access key id (AKIA... or ASIA...).
    std::string access_key_id;
    /// The secret key that signs requests.
    std::string secret_access_key;
    std::string session_token;  ///< empty for long-term keys
    /// When temporary credentials stop working; empty for long-term keys.
    std::optional<std::chrono::system_clock::time_point> expiration{};
    /// The AWS account they belong to, when their source says (AWS_ACCOUNT_ID, the profile's
    /// aws_account_id, STS, SSO, the container endpoint, instance metadata, credential_process);
    /// empty otherwise. It selects the account-ID endpoint of DynamoDB.
    std::string account_id{};
};

/// Supplies the credentials a client signs with. The client asks on every attempt of every
/// request, so implementations cache; they must be safe to call from many threads at once.
class CredentialsProvider {
  public:
    virtual ~CredentialsProvider() = default;
    /// The credentials to sign with now. Throws CredentialsUnavailable (naming the provider) when
    /// none can be had.
    [[nodiscard]] virtual Credentials credentials() = 0;
    /// A short name for logs and errors, e.g. "environment" or "ec2-instance-metadata".
    [[nodiscard]] virtual std::string name() const = 0;
};

/// Always the same credentials.
[[nodiscard]] std::shared_ptr<CredentialsProvider> static_credentials_provider(
    Credentials credentials, std::string name = "static");

/// How a refreshing provider renews temporary credentials.
struct RefreshOptions {
    /// Renew this long before they expire (at most half their remaining life)...
    std::chrono::seconds ahead{300};
    /// ...minus a random share of this, so many processes do not renew at the same moment.
    std::chrono::seconds jitter{60};
    /// After a failed renewal while the old credentials still work, try again this much later
    /// (and always before they expire).
    std::chrono::seconds retry_after{10};
    /// With no working credentials, a failed fetch is not repeated for this long: calls meanwhile
    /// throw the same CredentialsUnavailable, so a failing source is not asked on every request.
    std::chrono::milliseconds retry_failed_after{1000};
    /// The clock; replace it in tests.
    std::function<std::chrono::system_clock::time_point()> clock{};
    /// Where a failed renewal is reported (the old credentials are kept while they work).
    LogListener log{};
};

/// Caches what `fetch` returns and renews it before it expires, once for all threads: one thread
/// fetches while the others keep signing with the old credentials as long as they are valid (and
/// wait only when there are none). A failed renewal keeps the old credentials while they work and
/// says so in the log, trying again before they expire; credentials are never handed out at or
/// past their expiration: then it throws CredentialsUnavailable naming `name`. Credentials that
/// `fetch` returns already expired are refused the same way (as the AWS SDKs refuse them from the
/// container endpoint, STS, SSO and `credential_process`). Credentials without an expiration are
/// fetched once.
[[nodiscard]] std::shared_ptr<CredentialsProvider> refreshing_credentials_provider(
    std::string name, std::function<Credentials()> fetch, RefreshOptions options = {});

/// How long a `credential_process` command may run by default: one minute (the AWS SDKs set no
/// limit; a hung command would otherwise hang the first request for good).
inline constexpr std::chrono::milliseconds default_credential_process_timeout =
    std::chrono::minutes(1);

/// Runs `command` (through /bin/sh) as the shared config's `credential_process` does and reads
/// its JSON (`Version` 1, `AccessKeyId`, `SecretAccessKey`, `SessionToken`, `Expiration`),
/// refreshing as above. Nothing runs until credentials are first asked for. A command still
/// running after `timeout` is stopped (with everything it started) and the call throws
/// CredentialsUnavailable.
[[nodiscard]] std::shared_ptr<CredentialsProvider> process_credentials_provider(
    std::string command, RefreshOptions options = {},
    std::chrono::milliseconds timeout = default_credential_process_timeout);

/// ECS and EKS Pod Identity container credentials, from `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`
/// (on http://169.254.170.2) or `AWS_CONTAINER_CREDENTIALS_FULL_URI` (http to a loopback address,
/// 169.254.170.2, 169.254.170.23 or [fd00:ec2::23]; or any https URL), with the Authorization header
/// from `AWS_CONTAINER_AUTHORIZATION_TOKEN` or the file named by
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read again on every renewal); renewed as above.
/// Null when neither URI variable is set. Throws InvalidConfiguration for a full URI it must not
/// call. Nothing is sent until credentials are first asked for.
[[nodiscard]] std::shared_ptr<CredentialsProvider> container_credentials_provider(
    const Environment& env = Environment(), RefreshOptions options = {});

/// The EC2 instance role's credentials from the instance metadata service, IMDSv2 only (a session
/// token first, then the role and its credentials), at `AWS_EC2_METADATA_SERVICE_ENDPOINT`, else
/// http://[fd00:ec2::254] when `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` is IPv6, else
/// http://169.254.169.254; 1 s timeouts; renewed as above. Null when `AWS_EC2_METADATA_DISABLED`
/// is true. Nothing is sent until credentials are first asked for.
[[nodiscard]] std::shared_ptr<CredentialsProvider> instance_metadata_credentials_provider(
    const Environment& env = Environment(), RefreshOptions options = {});

/// The instance's region from the instance metadata service (as above); nullopt when disabled or
/// when no answer comes within the timeouts.
[[nodiscard]] std::optional<std::string> instance_metadata_region(
    const Environment& env = Environment());

/// A web identity token exchanged for a role's credentials (STS AssumeRoleWithWebIdentity, not
/// signed): EKS IRSA and other OIDC federation. The token file is read again at every renewal.
[[nodiscard]] std::shared_ptr<CredentialsProvider> web_identity_credentials_provider(
    std::string role_arn, std::string token_file, std::optional<std::string> session_name,
    const Environment& env, const std::string& region, RefreshOptions options = {});

/// As above, from `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and `AWS_ROLE_SESSION_NAME`; null
/// when the first two are not both set. STS is reached at `AWS_ENDPOINT_URL_STS`, else
/// `AWS_ENDPOINT_URL`, else the region's `https://sts.<region>.amazonaws.com`.
[[nodiscard]] std::shared_ptr<CredentialsProvider> web_identity_credentials_provider(
    const Environment& env, const std::string& region, RefreshOptions options = {});

/// Settings of an assumed role (the config file's `role_session_name`, `external_id`,
/// `duration_seconds`).
struct AssumeRoleOptions {
    std::optional<std::string> session_name{};  ///< else "bloop-<random>"
    /// The ExternalId the role requires, if any.
    std::optional<std::string> external_id{};
    /// How long the role credentials last (DurationSeconds); unset: the role's default.
    std::optional<std::chrono::seconds> duration{};
};

/// A role's credentials from STS AssumeRole, signed with `source`'s credentials; renewed as
/// above (asking `source` again each time).
[[nodiscard]] std::shared_ptr<CredentialsProvider> assume_role_credentials_provider(
    std::string role_arn, std::shared_ptr<CredentialsProvider> source, AssumeRoleOptions role,
    const Environment& env, const std::string& region, RefreshOptions options = {});

/// An IAM Identity Center (SSO) role: which portal, account and role.
struct SsoSettings {
    std::string start_url;                      ///< `sso_start_url`
    std::string region;                         ///< `sso_region`: the portal's region
    std::string account_id;                     ///< `sso_account_id`
    std::string role_name;                      ///< `sso_role_name`
    std::optional<std::string> session_name{};  ///< `sso_session`, when the profile names one
};

/// The role's credentials from the SSO portal's GetRoleCredentials, with the access token the
/// AWS CLI's `aws sso login` cached in `~/.aws/sso/cache/` (found by the SHA-1 of the session
/// name, or of the start URL for a legacy profile). The portal is reached at
/// `AWS_ENDPOINT_URL_SSO`, else `AWS_ENDPOINT_URL`, else `https://portal.sso.<region>.amazonaws.com`.
/// An absent or expired token is CredentialsUnavailable saying to run `aws sso login`; renewed as
/// above while the token lasts.
[[nodiscard]] std::shared_ptr<CredentialsProvider> sso_credentials_provider(
    SsoSettings settings, const Environment& env = Environment(), RefreshOptions options = {});

/// The chain up to the profile, resolved without any network call (the providers it returns call
/// STS or run a process only when credentials are first asked for): `explicit_credentials` when
/// given; else `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (with `AWS_SESSION_TOKEN`); else a
/// web identity (`AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`); else the profile (`profile`,
/// else `AWS_PROFILE`, else "default") in the shared credentials file (`AWS_SHARED_CREDENTIALS_FILE`,
/// else `~/.aws/credentials`) and the config file (`AWS_CONFIG_FILE`, else `~/.aws/config`): static
/// keys, a `role_arn` (with `source_profile`, `credential_source` or `web_identity_token_file`;
/// `role_session_name`, `external_id`, `duration_seconds`), an SSO role (`sso_session` or
/// `sso_start_url`, with `sso_account_id` and `sso_role_name`), or a `credential_process`. STS calls
/// use `region` (else the environment's or profile's, else us-east-1). Throws MissingCredentials
/// naming everything it tried, InvalidConfiguration for a role profile it cannot use.
[[nodiscard]] std::shared_ptr<CredentialsProvider> local_credentials_provider(
    const std::optional<Credentials>& explicit_credentials,
    const std::optional<std::string>& profile = {}, const Environment& env = Environment(),
    const LogListener& log = {}, const std::optional<std::string>& region = {});

/// The credentials `local_credentials_provider` finds, fetched now. Throws MissingCredentials
/// naming everything it tried.
[[nodiscard]] Credentials resolve_credentials(
    const std::optional<Credentials>& explicit_credentials,
    const std::optional<std::string>& profile = {}, const Environment& env = Environment());

}  // namespace bloop
