// The credentials chain up to the profile: explicit, environment, web identity, the shared
// credentials and config files (static keys, credential_process, assumed roles).

#include <bloop/client/credentials.hpp>
#include <bloop/exceptions.hpp>

#include "client/aws_files.hpp"

#include <bloop/client/endpoint.hpp>

#include <algorithm>
#include <vector>

namespace bloop {
namespace {

struct ProfileContext {
    const Environment& env;
    const LogListener& log;
    std::string region;
};

// AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN); null when either is unset.
std::shared_ptr<CredentialsProvider> environment_credentials(const Environment& env) {
    auto id = env.get("AWS_ACCESS_KEY_ID");
    auto secret = env.get("AWS_SECRET_ACCESS_KEY");
    if (!id || !secret) return nullptr;
    return static_credentials_provider(Credentials{*id, *secret,
                                                   env.get("AWS_SESSION_TOKEN").value_or(""),
                                                   std::nullopt,
                                                   env.get("AWS_ACCOUNT_ID").value_or("")},
                                       "environment");
}

// STS calls need a region: the client's, else the environment's or profile's, else us-east-1.
std::string region_or_default(const std::optional<std::string>& region,
                              const std::optional<std::string>& profile, const Environment& env) {
    if (region && !region->empty()) return *region;
    try {
        return resolve_region({}, profile, env);
    } catch (const MissingRegion&) {
        return "us-east-1";
    }
}

std::optional<std::string> value(const detail::IniSection& section, std::string_view key) {
    const auto found = section.find(key);
    if (found == section.end() || found->second.empty()) return std::nullopt;
    return found->second;
}

// A profile's sections: in the shared credentials file and in the config file.
struct ProfileSections {
    std::optional<detail::IniSection> credentials_file;
    std::optional<detail::IniSection> config_file;

    // The sections present, the credentials file's first.
    [[nodiscard]] std::vector<const detail::IniSection*> all() const {
        std::vector<const detail::IniSection*> out;
        if (credentials_file) out.push_back(&*credentials_file);
        if (config_file) out.push_back(&*config_file);
        return out;
    }
};

ProfileSections sections_of(const std::string& name, const Environment& env) {
    ProfileSections out;
    if (auto path = detail::credentials_file_path(env))
        out.credentials_file = detail::read_ini_section(*path, name);
    if (auto path = detail::config_file_path(env))
        out.config_file = detail::read_ini_section(*path, detail::config_section(name));
    return out;
}

// The section's static keys; null when it has none.
std::shared_ptr<CredentialsProvider> static_keys(const std::string& name,
                                                 const detail::IniSection& section) {
    auto id = value(section, "aws_access_key_id");
    auto secret = value(section, "aws_secret_access_key");
    if (!id || !secret) return nullptr;
    return static_credentials_provider(
        Credentials{*id, *secret, value(section, "aws_session_token").value_or(""), std::nullopt,
                    value(section, "aws_account_id").value_or("")},
        "profile " + name);
}

std::shared_ptr<CredentialsProvider> profile_provider(const std::string& name,
                                                      const ProfileContext& ctx, int depth);

// An SSO profile: its portal settings from an [sso-session NAME] section or (legacy) itself.
std::shared_ptr<CredentialsProvider> sso_provider(const std::string& name,
                                                  const detail::IniSection& section,
                                                  const ProfileContext& ctx) {
    SsoSettings settings;
    const detail::IniSection* portal = &section;
    std::optional<detail::IniSection> session;
    if (auto session_name = value(section, "sso_session")) {
        if (auto path = detail::config_file_path(ctx.env))
            session = detail::read_ini_section(*path, "sso-session " + *session_name);
        if (!session) {
            throw InvalidConfiguration("profile '" + name + "': no [sso-session " + *session_name +
                                       "] section in the config file");
        }
        portal = &*session;
        settings.session_name = *session_name;
    }
    const auto start_url = value(*portal, "sso_start_url");
    const auto region = value(*portal, "sso_region");
    const auto account = value(section, "sso_account_id");
    const auto role = value(section, "sso_role_name");
    if (!start_url || !region || !account || !role) {
        throw InvalidConfiguration("profile '" + name +
                                   "': an SSO profile needs sso_start_url, sso_region, "
                                   "sso_account_id and sso_role_name");
    }
    settings.start_url = *start_url;
    settings.region = *region;
    settings.account_id = *account;
    settings.role_name = *role;
    return sso_credentials_provider(std::move(settings), ctx.env, RefreshOptions{.log = ctx.log});
}

// A role_arn profile: assumed with a web identity token, or with a source profile's or a named
// credential source's credentials.
std::shared_ptr<CredentialsProvider> role_provider(const std::string& name,
                                                   const detail::IniSection& section,
                                                   const ProfileContext& ctx, int depth) {
    const std::string role = *value(section, "role_arn");
    if (auto file = value(section, "web_identity_token_file")) {
        return web_identity_credentials_provider(role, *file, value(section, "role_session_name"),
                                                 ctx.env, ctx.region,
                                                 RefreshOptions{.log = ctx.log});
    }
    std::shared_ptr<CredentialsProvider> source;
    if (auto source_profile = value(section, "source_profile")) {
        if (depth > 8) {
            throw InvalidConfiguration("profile '" + name +
                                       "': source_profile chain longer than 8 (a loop?)");
        }
        source = profile_provider(*source_profile, ctx, depth + 1);
        if (!source) {
            throw InvalidConfiguration("profile '" + name + "': source_profile '" +
                                       *source_profile + "' has no credentials");
        }
    } else if (auto credential_source = value(section, "credential_source")) {
        const RefreshOptions refresh{.log = ctx.log};
        if (*credential_source == "Environment") {
            source = environment_credentials(ctx.env);
        } else if (*credential_source == "Ec2InstanceMetadata") {
            source = instance_metadata_credentials_provider(ctx.env, refresh);
        } else if (*credential_source == "EcsContainer") {
            source = container_credentials_provider(ctx.env, refresh);
        }
        if (!source) {
            throw InvalidConfiguration("profile '" + name + "': credential_source '" +
                                       *credential_source + "' has no credentials");
        }
    } else {
        throw InvalidConfiguration("profile '" + name +
                                   "': role_arn needs source_profile, credential_source or "
                                   "web_identity_token_file");
    }
    AssumeRoleOptions options{value(section, "role_session_name"), value(section, "external_id"),
                              std::nullopt};
    if (auto seconds = value(section, "duration_seconds")) {
        try {
            options.duration = std::chrono::seconds(std::stoll(*seconds));
        } catch (const std::exception&) {
            throw InvalidConfiguration("profile '" + name + "': duration_seconds \"" + *seconds +
                                       "\" is not a number");
        }
    }
    return assume_role_credentials_provider(role, std::move(source), std::move(options), ctx.env,
                                            ctx.region, RefreshOptions{.log = ctx.log});
}

// The profile's credentials, in the AWS SDKs' order: its role (`role_arn`), an SSO role, static
// keys in the credentials file, a `credential_process`, static keys in the config file; null when
// none. A source profile (depth > 0) with static keys signs with them instead of assuming its own
// role, as in botocore; the profile a program runs under assumes its role even beside keys.
std::shared_ptr<CredentialsProvider> profile_provider(const std::string& name,
                                                      const ProfileContext& ctx, int depth) {
    const ProfileSections sections = sections_of(name, ctx.env);
    const auto all = sections.all();
    const bool has_keys = std::any_of(all.begin(), all.end(), [&](const auto* section) {
        return static_keys(name, *section) != nullptr;
    });
    for (const auto* section : all) {
        if (value(*section, "role_arn") && (depth == 0 || !has_keys))
            return role_provider(name, *section, ctx, depth);
    }
    for (const auto* section : all) {
        if (value(*section, "sso_session") || value(*section, "sso_start_url"))
            return sso_provider(name, *section, ctx);
    }
    if (sections.credentials_file) {
        if (auto keys = static_keys(name, *sections.credentials_file)) return keys;
    }
    for (const auto* section : all) {
        if (auto process = value(*section, "credential_process"))
            return process_credentials_provider(*process, RefreshOptions{.log = ctx.log});
    }
    if (sections.config_file) {
        if (auto keys = static_keys(name, *sections.config_file)) return keys;
    }
    return nullptr;
}

}  // namespace

std::shared_ptr<CredentialsProvider> local_credentials_provider(
    const std::optional<Credentials>& explicit_credentials,
    const std::optional<std::string>& profile, const Environment& env, const LogListener& log,
    const std::optional<std::string>& region) {
    std::string tried;
    if (explicit_credentials) {
        if (!explicit_credentials->access_key_id.empty() &&
            !explicit_credentials->secret_access_key.empty()) {
            return static_credentials_provider(*explicit_credentials, "explicit");
        }
        tried += "explicit credentials (access key id or secret key empty); ";
    }
    if (auto from_env = environment_credentials(env)) return from_env;
    auto id = env.get("AWS_ACCESS_KEY_ID");
    auto secret = env.get("AWS_SECRET_ACCESS_KEY");
    tried += "environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (";
    tried += id ? "secret key unset" : (secret ? "access key id unset" : "unset");
    tried += "); ";

    const std::string sts_region = region_or_default(region, profile, env);  // reads files once
    if (auto web = web_identity_credentials_provider(env, sts_region, RefreshOptions{.log = log}))
        return web;
    tried += "web identity (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN unset); ";

    const std::string name = detail::profile_name(profile, env);
    const ProfileContext ctx{env, log, sts_region};
    if (auto p = profile_provider(name, ctx, 0)) return p;
    if (auto path = detail::credentials_file_path(env))
        tried += "profile '" + name + "' in the shared credentials file " + *path + "; ";
    if (auto path = detail::config_file_path(env))
        tried += "profile '" + name + "' in the config file " + *path;
    throw MissingCredentials("no AWS credentials found; tried " + tried);
}

Credentials resolve_credentials(const std::optional<Credentials>& explicit_credentials,
                                const std::optional<std::string>& profile, const Environment& env) {
    return local_credentials_provider(explicit_credentials, profile, env)->credentials();
}

}  // namespace bloop
