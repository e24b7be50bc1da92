#pragma once
// The shared AWS `credentials` and `config` files (INI format).

#include <bloop/client/environment.hpp>

#include <map>
#include <optional>
#include <string>

namespace bloop::detail {

/// The keys of one section of an INI file.
using IniSection = std::map<std::string, std::string, std::less<>>;

/// The selected profile: the explicit one, else AWS_PROFILE, else "default".
std::string profile_name(const std::optional<std::string>& explicit_profile,
                         const Environment& env);

/// Path of the shared credentials file: AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials.
std::optional<std::string> credentials_file_path(const Environment& env);
/// Path of the config file: AWS_CONFIG_FILE, else ~/.aws/config.
std::optional<std::string> config_file_path(const Environment& env);

/// The section `section` of INI text; nullopt when it has none.
std::optional<IniSection> parse_ini_section(std::string_view text, std::string_view section);

/// The section `section` of the INI file at `path`; nullopt when the file or the section is
/// missing. In the config file, pass "profile NAME" (or "default").
std::optional<IniSection> read_ini_section(const std::string& path, const std::string& section);

/// The config-file section name of a profile: "default" or "profile NAME".
std::string config_section(const std::string& profile);

/// A setting the AWS SDKs read from the environment or the config file: the environment variable
/// `variable` when set and not empty, else `key` of the selected profile in the config file;
/// nullopt when neither has it.
std::optional<std::string> shared_setting(std::string_view variable, std::string_view key,
                                          const std::optional<std::string>& profile,
                                          const Environment& env);

/// The CA bundle the SDKs' settings name (`AWS_CA_BUNDLE`, else the profile's `ca_bundle`); empty
/// for none (the system's authorities).
std::string configured_ca_bundle(const std::optional<std::string>& profile, const Environment& env);

}  // namespace bloop::detail
