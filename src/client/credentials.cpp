// The local credentials chain: explicit, environment, shared credentials and config files.

#include <bloop/client/credentials.hpp>
#include <bloop/exceptions.hpp>

#include "client/aws_files.hpp"

namespace bloop {
namespace {

// Static keys, or a credential_process, from one profile section.
std::shared_ptr<CredentialsProvider> from_section(const std::optional<detail::IniSection>& section,
                                                  const std::string& where,
                                                  const LogListener& log) {
    if (!section) return nullptr;
    auto id = section->find("aws_access_key_id");
    auto secret = section->find("aws_secret_access_key");
    if (id != section->end() && secret != section->end() && !id->second.empty() &&
        !secret->second.empty()) {
        Credentials c{id->second, secret->second, {}};
        if (auto token = section->find("aws_session_token"); token != section->end()) {
            c.session_token = token->second;
        }
        return static_credentials_provider(std::move(c), where);
    }
    if (auto process = section->find("credential_process");
        process != section->end() && !process->second.empty()) {
        return process_credentials_provider(process->second, RefreshOptions{.log = log});
    }
    return nullptr;
}

}  // namespace

std::shared_ptr<CredentialsProvider> local_credentials_provider(
    const std::optional<Credentials>& explicit_credentials,
    const std::optional<std::string>& profile, const Environment& env, const LogListener& log) {
    std::string tried;
    if (explicit_credentials) {
        if (!explicit_credentials->access_key_id.empty() &&
            !explicit_credentials->secret_access_key.empty()) {
            return static_credentials_provider(*explicit_credentials, "explicit");
        }
        tried += "explicit credentials (access key id or secret key empty); ";
    }
    auto id = env.get("AWS_ACCESS_KEY_ID");
    auto secret = env.get("AWS_SECRET_ACCESS_KEY");
    if (id && secret) {
        return static_credentials_provider(
            Credentials{*id, *secret, env.get("AWS_SESSION_TOKEN").value_or("")}, "environment");
    }
    tried += "environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (";
    tried += id ? "secret key unset" : (secret ? "access key id unset" : "unset");
    tried += "); ";

    const std::string name = detail::profile_name(profile, env);
    if (auto path = detail::credentials_file_path(env)) {
        if (auto p = from_section(detail::read_ini_section(*path, name), "profile " + name, log))
            return p;
        tried += "profile '" + name + "' in the shared credentials file " + *path + "; ";
    }
    if (auto path = detail::config_file_path(env)) {
        if (auto p = from_section(detail::read_ini_section(*path, detail::config_section(name)),
                                  "profile " + name, log)) {
            return p;
        }
        tried += "profile '" + name + "' in the config file " + *path;
    }
    throw MissingCredentials("no AWS credentials found; tried " + tried);
}

Credentials resolve_credentials(const std::optional<Credentials>& explicit_credentials,
                                const std::optional<std::string>& profile, const Environment& env) {
    return local_credentials_provider(explicit_credentials, profile, env)->credentials();
}

}  // namespace bloop
