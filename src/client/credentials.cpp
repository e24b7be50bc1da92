#include <bloop/client/credentials.hpp>
#include <bloop/exceptions.hpp>

#include "client/aws_files.hpp"

namespace bloop {
namespace {
std::optional<Credentials> from_section(const std::optional<detail::IniSection>& section) {
    if (!section) return std::nullopt;
    auto id = section->find("aws_access_key_id");
    auto secret = section->find("aws_secret_access_key");
    if (id == section->end() || secret == section->end() || id->second.empty() ||
        secret->second.empty()) {
        return std::nullopt;
    }
    Credentials c{id->second, secret->second, {}};
    if (auto token = section->find("aws_session_token"); token != section->end()) {
        c.session_token = token->second;
    }
    return c;
}
}  // namespace

Credentials resolve_credentials(const std::optional<Credentials>& explicit_credentials,
                                const std::optional<std::string>& profile, const Environment& env) {
    std::string tried;
    if (explicit_credentials) {
        if (!explicit_credentials->access_key_id.empty() &&
            !explicit_credentials->secret_access_key.empty()) {
            return *explicit_credentials;
        }
        tried += "explicit credentials (access key id or secret key empty); ";
    }
    auto id = env.get("AWS_ACCESS_KEY_ID");
    auto secret = env.get("AWS_SECRET_ACCESS_KEY");
    if (id && secret) return Credentials{*id, *secret, env.get("AWS_SESSION_TOKEN").value_or("")};
    tried += "environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (";
    tried += id ? "secret key unset" : (secret ? "access key id unset" : "unset");
    tried += "); ";

    const std::string name = detail::profile_name(profile, env);
    if (auto path = detail::credentials_file_path(env)) {
        if (auto c = from_section(detail::read_ini_section(*path, name))) return *c;
        tried += "profile '" + name + "' in the shared credentials file " + *path + "; ";
    }
    if (auto path = detail::config_file_path(env)) {
        if (auto c = from_section(detail::read_ini_section(*path, detail::config_section(name)))) {
            return *c;
        }
        tried += "profile '" + name + "' in the config file " + *path;
    }
    throw MissingCredentials("no AWS credentials found; tried " + tried);
}

}  // namespace bloop
