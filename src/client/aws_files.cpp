#include "client/aws_files.hpp"

#include <fstream>
#include <iterator>
#include <string_view>

namespace bloop::detail {
namespace {
std::string trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string_view::npos) return {};
    const auto e = s.find_last_not_of(" \t\r");
    return std::string(s.substr(b, e - b + 1));
}
}  // namespace

std::string profile_name(const std::optional<std::string>& explicit_profile,
                         const Environment& env) {
    if (explicit_profile && !explicit_profile->empty()) return *explicit_profile;
    return env.get("AWS_PROFILE").value_or("default");
}

std::optional<std::string> credentials_file_path(const Environment& env) {
    if (auto p = env.get("AWS_SHARED_CREDENTIALS_FILE")) return p;
    if (auto home = env.home()) return *home + "/.aws/credentials";
    return std::nullopt;
}

std::optional<std::string> config_file_path(const Environment& env) {
    if (auto p = env.get("AWS_CONFIG_FILE")) return p;
    if (auto home = env.home()) return *home + "/.aws/config";
    return std::nullopt;
}

std::string config_section(const std::string& profile) {
    return profile == "default" ? profile : "profile " + profile;
}

std::optional<std::string> shared_setting(std::string_view variable, std::string_view key,
                                          const std::optional<std::string>& profile,
                                          const Environment& env) {
    if (auto value = env.get(variable); value && !value->empty()) return value;
    const auto path = config_file_path(env);
    if (!path) return std::nullopt;
    const auto section = read_ini_section(*path, config_section(profile_name(profile, env)));
    if (!section) return std::nullopt;
    const auto found = section->find(key);
    if (found == section->end() || found->second.empty()) return std::nullopt;
    return found->second;
}

std::string configured_ca_bundle(const std::optional<std::string>& profile, const Environment& env) {
    return shared_setting("AWS_CA_BUNDLE", "ca_bundle", profile, env).value_or("");
}

std::optional<IniSection> parse_ini_section(std::string_view text, std::string_view section) {
    std::optional<IniSection> found;
    bool inside = false;
    while (!text.empty()) {
        const auto end = text.find('\n');
        const std::string_view line = text.substr(0, end);
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        const std::string t = trim(line);
        if (t.empty() || t[0] == '#' || t[0] == ';') continue;
        if (t.front() == '[' && t.back() == ']') {
            inside = t.size() >= 2 && trim(std::string_view(t).substr(1, t.size() - 2)) == section;
            if (inside && !found) found.emplace();
            continue;
        }
        if (!inside) continue;
        const auto eq = t.find('=');
        if (eq == std::string::npos) continue;
        (*found)[trim(std::string_view(t).substr(0, eq))] =
            trim(std::string_view(t).substr(eq + 1));
    }
    return found;
}

std::optional<IniSection> read_ini_section(const std::string& path, const std::string& section) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return parse_ini_section(text, section);
}

}  // namespace bloop::detail
