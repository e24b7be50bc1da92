// IAM Identity Center (SSO): the role credentials the AWS CLI's cached SSO token can get from the
// portal's GetRoleCredentials.

#include <bloop/client/credentials.hpp>
#include <bloop/client/http.hpp>
#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>

#include "client/aws_files.hpp"
#include "client/credentials/credentials_http.hpp"
#include "client/credentials/credentials_json.hpp"
#include "util/crypto.hpp"
#include "util/percent.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

namespace bloop {
namespace {

std::string string_member(const json::Value& v, std::string_view name) {
    const json::Value* m = v.is_object() ? v.find(name) : nullptr;
    return m != nullptr && m->is_string() ? m->as_string() : std::string();
}

// The cached access token of `settings` (what `aws sso login` wrote).
std::string cached_token(const SsoSettings& settings, const Environment& env,
                         const std::string& source) {
    const auto home = env.home();
    if (!home) throw CredentialsUnavailable(source + ": no HOME to find the SSO token cache in");
    const std::string key = settings.session_name ? *settings.session_name : settings.start_url;
    const std::string path = *home + "/.aws/sso/cache/" + detail::sha1_hex(key) + ".json";
    std::ifstream in(path, std::ios::binary);
    const std::string login =
        "run `aws sso login" +
        (settings.session_name ? " --sso-session " + *settings.session_name : std::string()) + "`";
    if (!in) throw CredentialsUnavailable(source + ": no SSO token in " + path + "; " + login);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    json::Value doc;
    try {
        doc = json::parse(text);
    } catch (const InvalidJson&) {
        throw CredentialsUnavailable(source + ": " + path + " is not JSON; " + login);
    }
    const std::string token = string_member(doc, "accessToken");
    const auto expires = detail::parse_iso8601(string_member(doc, "expiresAt"));
    if (token.empty() || !expires)
        throw CredentialsUnavailable(source + ": " + path + " holds no token; " + login);
    if (*expires <= std::chrono::system_clock::now())
        throw CredentialsUnavailable(source + ": the SSO token expired; " + login);
    return token;
}

}  // namespace

std::shared_ptr<CredentialsProvider> sso_credentials_provider(SsoSettings settings,
                                                              const Environment& env,
                                                              RefreshOptions options) {
    std::string endpoint;
    if (auto e = env.get("AWS_ENDPOINT_URL_SSO")) {
        endpoint = *e;
    } else if (auto any = env.get("AWS_ENDPOINT_URL")) {
        endpoint = *any;
    } else {
        endpoint = "https://portal.sso." + settings.region + ".amazonaws.com";
    }
    while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
    const std::string source = "sso " + settings.account_id + "/" + settings.role_name;
    const std::string ca_bundle = detail::configured_ca_bundle({}, env);
    return refreshing_credentials_provider(
        source,
        [settings, env, endpoint, source, ca_bundle] {
            const std::string token = cached_token(settings, env, source);
            std::string query = "account_id=";
            detail::percent_encode(query, settings.account_id);
            query += "&role_name=";
            detail::percent_encode(query, settings.role_name);
            const HttpRequest request =
                detail::credentials_request("GET", endpoint + "/federation/credentials",
                                            {{"x-amz-sso_bearer_token", token}}, std::move(query));
            const HttpResponse response =
                detail::send_for_credentials(source, request, detail::kServiceTimeouts, ca_bundle);
            if (response.status != 200) {
                throw CredentialsUnavailable(source + ": the SSO portal answered HTTP " +
                                             std::to_string(response.status));
            }
            json::Value doc;
            try {
                doc = json::parse(response.body);
            } catch (const InvalidJson&) {
                throw CredentialsUnavailable(source + ": the SSO portal's answer is not JSON");
            }
            const json::Value* role = doc.is_object() ? doc.find("roleCredentials") : nullptr;
            Credentials c;
            c.account_id = settings.account_id;
            if (role != nullptr) {
                c.access_key_id = string_member(*role, "accessKeyId");
                c.secret_access_key = string_member(*role, "secretAccessKey");
                c.session_token = string_member(*role, "sessionToken");
                if (const json::Value* ms = role->find("expiration");
                    ms && ms->type() == json::Type::number) {
                    // The clock counts nanoseconds and ends in 2262: later is "far future" (2200).
                    constexpr std::int64_t kYear2200 = 7258118400000;
                    c.expiration = std::chrono::system_clock::time_point(
                        std::chrono::milliseconds(std::min(ms->as_int(), kYear2200)));
                }
            }
            if (c.access_key_id.empty() || c.secret_access_key.empty() || !c.expiration)
                throw CredentialsUnavailable(source + ": the SSO portal answered no credentials");
            return c;
        },
        std::move(options));
}

}  // namespace bloop
