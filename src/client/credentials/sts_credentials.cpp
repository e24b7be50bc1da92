// Roles assumed through AWS STS: AssumeRoleWithWebIdentity (EKS IRSA and other OIDC tokens, not
// signed) and AssumeRole (signed with the source credentials). Query protocol, XML answers.

#include <bloop/client/credentials.hpp>
#include <bloop/client/http.hpp>
#include <bloop/client/sigv4.hpp>
#include <bloop/exceptions.hpp>

#include "client/aws_files.hpp"
#include "client/credentials/credentials_http.hpp"
#include "client/credentials/credentials_json.hpp"
#include "util/percent.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <random>

namespace bloop {
namespace {

// The text of the first <tag>…</tag> in `xml`, entities decoded; empty when absent.
std::string xml_text(std::string_view xml, std::string_view tag) {
    const std::string open = "<" + std::string(tag) + ">";
    const std::string close = "</" + std::string(tag) + ">";
    const auto start = xml.find(open);
    if (start == std::string_view::npos) return {};
    const auto begin = start + open.size();
    const auto end = xml.find(close, begin);
    if (end == std::string_view::npos) return {};
    std::string out;
    const std::string_view raw = xml.substr(begin, end - begin);
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '&') {
            out.push_back(raw[i]);
            continue;
        }
        static constexpr std::pair<std::string_view, char> kEntities[] = {
            {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
        bool known = false;
        for (const auto& [entity, c] : kEntities) {
            if (raw.substr(i, entity.size()) == entity) {
                out.push_back(c);
                i += entity.size() - 1;
                known = true;
                break;
            }
        }
        if (!known) out.push_back('&');
    }
    return out;
}

std::string sts_endpoint(const Environment& env, const std::string& region) {
    if (auto e = env.get("AWS_ENDPOINT_URL_STS")) return *e;
    if (auto e = env.get("AWS_ENDPOINT_URL")) return *e;
    const bool china = region.rfind("cn-", 0) == 0;
    return "https://sts." + region + (china ? ".amazonaws.com.cn" : ".amazonaws.com");
}

std::string session_name(const std::optional<std::string>& given) {
    if (given && !given->empty()) return *given;
    return "bloop-" + std::to_string(std::random_device{}());
}

// Sends one STS query-protocol call and returns its credentials.
Credentials call_sts(const std::string& source, const std::string& endpoint,
                     const std::string& region, std::string body, const Credentials* signer,
                     const std::string& ca_bundle) {
    HttpRequest request = detail::credentials_request(
        "POST", endpoint, {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}});
    request.body = std::move(body);
    if (signer != nullptr) {
        (void)SigV4Signer(region, "sts").sign(request, *signer, std::chrono::system_clock::now());
    }
    const HttpResponse response =
        detail::send_for_credentials(source, request, detail::kServiceTimeouts, ca_bundle);
    if (response.status != 200) {
        const std::string code = xml_text(response.body, "Code");
        const std::string message = xml_text(response.body, "Message");
        throw CredentialsUnavailable(source + ": STS answered HTTP " +
                                     std::to_string(response.status) +
                                     (code.empty() ? "" : " " + code) +
                                     (message.empty() ? "" : ": " + message.substr(0, 300)));
    }
    Credentials c;
    c.access_key_id = xml_text(response.body, "AccessKeyId");
    c.secret_access_key = xml_text(response.body, "SecretAccessKey");
    c.session_token = xml_text(response.body, "SessionToken");
    // The role's account: arn:aws:sts::<account>:assumed-role/<role>/<session>.
    const std::string arn = xml_text(response.body, "Arn");
    if (std::count(arn.begin(), arn.end(), ':') >= 5) {
        std::size_t at = 0;
        for (int i = 0; i < 4; ++i) at = arn.find(':', at) + 1;
        c.account_id = arn.substr(at, arn.find(':', at) - at);
    }
    const std::string expiration = xml_text(response.body, "Expiration");
    c.expiration = detail::parse_iso8601(expiration);
    if (c.access_key_id.empty() || c.secret_access_key.empty() || !c.expiration)
        throw CredentialsUnavailable(source + ": STS answered without credentials");
    return c;
}

void form(std::string& out, std::string_view key, std::string_view value) {
    if (!out.empty()) out.push_back('&');
    out += key;
    out.push_back('=');
    detail::percent_encode(out, value);
}

}  // namespace

std::shared_ptr<CredentialsProvider> web_identity_credentials_provider(const Environment& env,
                                                                       const std::string& region,
                                                                       RefreshOptions options) {
    const auto token_file = env.get("AWS_WEB_IDENTITY_TOKEN_FILE");
    const auto role = env.get("AWS_ROLE_ARN");
    if (!token_file || !role) return nullptr;
    return web_identity_credentials_provider(*role, *token_file, env.get("AWS_ROLE_SESSION_NAME"),
                                             env, region, std::move(options));
}

std::shared_ptr<CredentialsProvider> web_identity_credentials_provider(
    std::string role_arn, std::string token_file, std::optional<std::string> session,
    const Environment& env, const std::string& region, RefreshOptions options) {
    const std::string endpoint = sts_endpoint(env, region);
    const std::string ca_bundle = detail::configured_ca_bundle({}, env);
    const std::string name = session_name(session);
    return refreshing_credentials_provider(
        "web-identity",
        [=] {
            std::ifstream in(token_file, std::ios::binary);
            if (!in) throw CredentialsUnavailable("web-identity: cannot read " + token_file);
            std::string token((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
            while (!token.empty() && (token.back() == '\n' || token.back() == '\r'))
                token.pop_back();
            std::string body;
            form(body, "Action", "AssumeRoleWithWebIdentity");
            form(body, "Version", "2011-06-15");
            form(body, "RoleArn", role_arn);
            form(body, "RoleSessionName", name);
            form(body, "WebIdentityToken", token);
            return call_sts("web-identity", endpoint, region, std::move(body), nullptr, ca_bundle);
        },
        std::move(options));
}

std::shared_ptr<CredentialsProvider> assume_role_credentials_provider(
    std::string role_arn, std::shared_ptr<CredentialsProvider> source, AssumeRoleOptions role,
    const Environment& env, const std::string& region, RefreshOptions options) {
    if (!source) throw InvalidConfiguration("assume role " + role_arn + ": no source credentials");
    const std::string endpoint = sts_endpoint(env, region);
    const std::string ca_bundle = detail::configured_ca_bundle({}, env);
    const std::string name = session_name(role.session_name);
    return refreshing_credentials_provider(
        "assume-role " + role_arn,
        [=] {
            std::string body;
            form(body, "Action", "AssumeRole");
            form(body, "Version", "2011-06-15");
            form(body, "RoleArn", role_arn);
            form(body, "RoleSessionName", name);
            if (role.external_id) form(body, "ExternalId", *role.external_id);
            if (role.duration)
                form(body, "DurationSeconds", std::to_string(role.duration->count()));
            const Credentials signer = source->credentials();
            return call_sts("assume-role " + role_arn, endpoint, region, std::move(body), &signer,
                            ca_bundle);
        },
        std::move(options));
}

}  // namespace bloop
