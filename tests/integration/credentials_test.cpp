// Credentials served on the machine — the ECS/EKS container endpoint and the EC2 instance
// metadata service (IMDSv2) — played by loopback servers answering as AWS documents, and the
// default chain's order against DynamoDB Local.

#include <bloop/client/client.hpp>
#include <bloop/client/sigv4.hpp>
#include <bloop/exceptions.hpp>

#include "integration.hpp"
#include "loopback.hpp"

#include "util/crypto.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <mutex>

namespace bloop {
namespace {

using test::LoopbackServer;
using Vars = std::map<std::string, std::string, std::less<>>;

constexpr const char* kCredentialsJson =
    R"({"Code":"Success","LastUpdated":"2026-11-29T04:00:00Z","Type":"AWS-HMAC","AccessKeyId":"ASIAMETA","SecretAccessKey":"metaSecret","Token":"metaToken","Expiration":"2999-01-01T00:00:00Z"})";

std::string header(const std::string& head, const std::string& name) {
    const auto at = head.find("\r\n" + name + ": ");
    if (at == std::string::npos) return {};
    const auto start = at + 4 + name.size();
    return head.substr(start, head.find("\r\n", start) - start);
}

// An IMDSv2 server: PUT /latest/api/token (with a TTL header) gives a token; the metadata paths
// answer only with that token; IMDSv1 requests (no token) get 401.
class Imds {
  public:
    explicit Imds(std::string credentials_json = kCredentialsJson)
        : credentials_json_(std::move(credentials_json)), server_([this](int fd) {
              test::RawRequest r;
              while (test::read_request(fd, r)) {
                  {
                      std::lock_guard lock(mutex_);
                      requests_.push_back(r.head.substr(0, r.head.find("\r\n")));
                  }
                  if (!test::write_all(fd, answer(r))) return;
              }
          }) {}
    std::string url() const { return server_.url(); }
    std::vector<std::string> requests() const {
        std::lock_guard lock(mutex_);
        return requests_;
    }
    int connections() const { return server_.connections(); }

  private:
    std::string answer(const test::RawRequest& r) const {
        const std::string line = r.head.substr(0, r.head.find("\r\n"));
        if (line == "PUT /latest/api/token HTTP/1.1") {
            if (header(r.head, "X-aws-ec2-metadata-token-ttl-seconds").empty())
                return test::http_response(400, "");
            return test::http_response(200, "TOKEN-123");
        }
        if (header(r.head, "X-aws-ec2-metadata-token") != "TOKEN-123")
            return test::http_response(401, "");
        if (line == "GET /latest/meta-data/iam/security-credentials/ HTTP/1.1")
            return test::http_response(200, "the-role\n");
        if (line == "GET /latest/meta-data/iam/security-credentials/the-role HTTP/1.1")
            return test::http_response(200, credentials_json_);
        if (line == "GET /latest/meta-data/placement/region HTTP/1.1")
            return test::http_response(200, "eu-north-1");
        return test::http_response(404, "");
    }

    std::string credentials_json_;
    mutable std::mutex mutex_;
    std::vector<std::string> requests_;
    LoopbackServer server_;
};

// A container credentials endpoint that wants `Authorization: <token>`.
class ContainerEndpoint {
  public:
    explicit ContainerEndpoint(std::string token, std::string credentials_json = kCredentialsJson)
        : token_(std::move(token)),
          credentials_json_(std::move(credentials_json)),
          server_([this](int fd) {
              test::RawRequest r;
              while (test::read_request(fd, r)) {
                  ++requests_;
                  const bool ok = r.head.rfind("GET /creds HTTP/1.1", 0) == 0 &&
                                  header(r.head, "Authorization") == token_;
                  if (!test::write_all(fd, ok ? test::http_response(200, credentials_json_)
                                              : test::http_response(403, "")))
                      return;
              }
          }) {}
    std::string url() const { return server_.url() + "/creds"; }
    int requests() const { return requests_.load(); }

  private:
    std::string token_;
    std::string credentials_json_;
    std::atomic<int> requests_{0};
    LoopbackServer server_;
};

ClientOptions chain_options(Vars vars) {
    ClientOptions o = test::client_options();
    o.credentials.reset();
    o.environment = Environment(std::move(vars));
    return o;
}

TEST(InstanceMetadata, IMDSv2TokenThenRoleThenCredentials) {
    Imds imds;
    auto provider = instance_metadata_credentials_provider(
        Environment(Vars{{"AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url()}}));
    ASSERT_TRUE(provider);
    EXPECT_TRUE(imds.requests().empty()) << "nothing is asked before credentials are needed";
    const Credentials c = provider->credentials();
    EXPECT_EQ(c.access_key_id, "ASIAMETA");
    EXPECT_EQ(c.session_token, "metaToken");
    EXPECT_EQ(imds.requests(),
              (std::vector<std::string>{
                  "PUT /latest/api/token HTTP/1.1",
                  "GET /latest/meta-data/iam/security-credentials/ HTTP/1.1",
                  "GET /latest/meta-data/iam/security-credentials/the-role HTTP/1.1"}));
    (void)provider->credentials();
    EXPECT_EQ(imds.requests().size(), 3u) << "cached until close to expiry";
}

constexpr const char* kExpiredJson =
    R"({"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIAOLD","SecretAccessKey":"oldSecret","Token":"oldToken","Expiration":"2020-01-01T00:00:00Z"})";

TEST(InstanceMetadata, ExpiredCredentialsAreUsedFiveToTenMinutesMoreWithAWarning) {
    Imds imds(kExpiredJson);
    std::vector<std::string> warnings;
    auto provider = instance_metadata_credentials_provider(
        Environment(Vars{{"AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url()}}),
        RefreshOptions{.log = [&](LogLevel level, std::string_view m) {
            if (level == LogLevel::warning) warnings.emplace_back(m);
        }});
    const auto before = std::chrono::system_clock::now();
    const Credentials c = provider->credentials();
    EXPECT_EQ(c.access_key_id, "ASIAOLD");
    ASSERT_TRUE(c.expiration);
    EXPECT_GE(*c.expiration, before + std::chrono::minutes(5));
    EXPECT_LE(*c.expiration, std::chrono::system_clock::now() + std::chrono::minutes(10));
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("expired at 2020-01-01T00:00:00Z"), std::string::npos)
        << warnings[0];
    EXPECT_EQ(warnings[0].find("oldSecret"), std::string::npos);
    (void)provider->credentials();
    EXPECT_EQ(imds.requests().size(), 3u) << "not asked again on every request";
}

TEST(ContainerCredentials, ExpiredCredentialsAreRefusedAndNotAskedForOnEveryRequest) {
    ContainerEndpoint endpoint("tok", kExpiredJson);
    auto provider = container_credentials_provider(
        Environment(Vars{{"AWS_CONTAINER_CREDENTIALS_FULL_URI", endpoint.url()},
                         {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "tok"}}));
    ASSERT_TRUE(provider);
    for (int i = 0; i < 3; ++i) {
        try {
            (void)provider->credentials();
            FAIL() << "expired credentials were handed out";
        } catch (const CredentialsUnavailable& e) {
            EXPECT_NE(std::string(e.what()).find("already expired (at 2020-01-01T00:00:00Z"),
                      std::string::npos)
                << e.what();
            EXPECT_EQ(std::string(e.what()).find("oldSecret"), std::string::npos);
        }
    }
    EXPECT_EQ(endpoint.requests(), 1) << "asked once a second at most";
}

TEST(ContainerCredentials, AMalformedAnswerNeverPutsItsTextInTheError) {
    // Framing broken in three ways, each with the secret where the parser looks.
    for (const std::string& answer :
         {std::string("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                      "{\"SecretAccessKey\":\"topSecretKey123\"}\r\n\r\n"),
          std::string("HTTP/1.1 2x0 topSecretKey123\r\nContent-Length: 0\r\n\r\n"),
          std::string("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "topSecretKey123\r\n")}) {
        LoopbackServer server([&](int fd) {
            test::RawRequest r;
            if (test::read_request(fd, r)) test::write_all(fd, answer);
        });
        auto provider = container_credentials_provider(
            Environment(Vars{{"AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/creds"}}));
        try {
            (void)provider->credentials();
            FAIL();
        } catch (const CredentialsUnavailable& e) {
            EXPECT_EQ(std::string(e.what()).find("topSecret"), std::string::npos) << e.what();
        }
    }
}

TEST(InstanceMetadata, DisabledMeansNoProviderAndNoRegion) {
    const Environment env(Vars{{"AWS_EC2_METADATA_DISABLED", "true"}});
    EXPECT_FALSE(instance_metadata_credentials_provider(env));
    EXPECT_FALSE(instance_metadata_region(env));
}

TEST(InstanceMetadata, NoAnswerIsCredentialsUnavailableNamingIt) {
    auto provider = instance_metadata_credentials_provider(
        Environment(Vars{{"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1"}}));
    try {
        (void)provider->credentials();
        FAIL();
    } catch (const CredentialsUnavailable& e) {
        EXPECT_NE(std::string(e.what()).find("ec2-instance-metadata"), std::string::npos)
            << e.what();
    }
}

TEST(InstanceMetadata, TheRegionComesFromTheInstanceWhenNothingElseNamesOne) {
    Imds imds;
    ClientOptions o = test::client_options();
    o.region.reset();
    o.environment = Environment(Vars{{"AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url()}});
    EXPECT_EQ(Client(o).region(), "eu-north-1");
    o.region = "us-west-2";
    const int before = imds.connections();
    EXPECT_EQ(Client(o).region(), "us-west-2");
    EXPECT_EQ(imds.connections(), before) << "not asked when the region is named";
}

TEST(InstanceMetadata, WithoutARegionTheErrorSaysWhatTheServiceAnswered) {
    LoopbackServer forbidden([](int fd) {
        test::RawRequest r;
        while (test::read_request(fd, r))
            if (!test::write_all(fd, test::http_response(403, "Forbidden"))) return;
    });
    ClientOptions o = test::client_options();
    o.region.reset();
    o.environment = Environment(Vars{{"AWS_EC2_METADATA_SERVICE_ENDPOINT", forbidden.url()}});
    try {
        (void)Client(o);
        FAIL();
    } catch (const MissingRegion& e) {
        EXPECT_NE(std::string(e.what()).find("the EC2 instance metadata service "
                                             "(ec2-instance-metadata: HTTP 403 from " +
                                             forbidden.url() + "/latest/api/token)"),
                  std::string::npos)
            << e.what();
    }
    o.environment = Environment(Vars{{"AWS_EC2_METADATA_DISABLED", "true"}});
    try {
        (void)Client(o);
        FAIL();
    } catch (const MissingRegion& e) {
        EXPECT_NE(std::string(e.what()).find("(disabled by AWS_EC2_METADATA_DISABLED)"),
                  std::string::npos)
            << e.what();
    }
}

TEST(ContainerCredentials, FullUriWithATokenOrATokenFile) {
    ContainerEndpoint endpoint("Bearer abc");
    auto provider = container_credentials_provider(
        Environment(Vars{{"AWS_CONTAINER_CREDENTIALS_FULL_URI", endpoint.url()},
                         {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer abc"}}));
    ASSERT_TRUE(provider);
    EXPECT_EQ(provider->credentials().access_key_id, "ASIAMETA");

    const std::string file = ::testing::TempDir() + "/container-token";
    std::ofstream(file) << "Bearer abc\n";
    auto from_file = container_credentials_provider(
        Environment(Vars{{"AWS_CONTAINER_CREDENTIALS_FULL_URI", endpoint.url()},
                         {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", file}}));
    EXPECT_EQ(from_file->credentials().secret_access_key, "metaSecret");

    auto wrong = container_credentials_provider(
        Environment(Vars{{"AWS_CONTAINER_CREDENTIALS_FULL_URI", endpoint.url()},
                         {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer nope"}}));
    try {
        (void)wrong->credentials();
        FAIL();
    } catch (const CredentialsUnavailable& e) {
        EXPECT_NE(std::string(e.what()).find("HTTP 403"), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find("nope"), std::string::npos) << "no token in errors";
    }
}

TEST(ContainerCredentials, AFullUriToAnotherHostOverHttpIsRefused) {
    EXPECT_THROW((void)container_credentials_provider(Environment(
                     Vars{{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/creds"}})),
                 InvalidConfiguration);
    EXPECT_FALSE(container_credentials_provider(Environment(Vars{})));
}

TEST(DefaultChain, EnvironmentCredentialsMeanNoNetworkCall) {
    Imds imds;
    ContainerEndpoint container("t");
    const Client client(chain_options({{"AWS_ACCESS_KEY_ID", "bloopLocalKey"},
                                       {"AWS_SECRET_ACCESS_KEY", "bloopLocalSecret"},
                                       {"AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url()},
                                       {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "t"},
                                       {"AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url()}}));
    (void)client.call(Operation::ListTables, json::Value::object());
    EXPECT_EQ(imds.connections(), 0);
    EXPECT_EQ(container.requests(), 0);
}

TEST(DefaultChain, ContainerBeforeInstanceMetadataAndOnlyWhenARequestNeedsThem) {
    Imds imds;
    ContainerEndpoint container("t");
    const Client client(chain_options({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url()},
                                       {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "t"},
                                       {"AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url()}}));
    EXPECT_EQ(container.requests(), 0) << "nothing asked at construction";
    (void)client.call(Operation::ListTables, json::Value::object());  // DynamoDB Local: any keys
    EXPECT_EQ(container.requests(), 1);
    EXPECT_EQ(imds.connections(), 0);
}

TEST(DefaultChain, InstanceMetadataLastAndMissingCredentialsWhenDisabled) {
    Imds imds;
    const Client client(chain_options({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url()}}));
    (void)client.call(Operation::ListTables, json::Value::object());
    EXPECT_EQ(imds.requests().size(), 3u);
    try {
        (void)Client(chain_options({{"AWS_EC2_METADATA_DISABLED", "true"}}));
        FAIL();
    } catch (const MissingCredentials& e) {
        EXPECT_NE(std::string(e.what()).find("EC2 instance metadata disabled"), std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace bloop

namespace bloop {
namespace {

// AWS STS on loopback: AssumeRoleWithWebIdentity (unsigned) and AssumeRole (SigV4, service
// "sts", checked by recomputing the signature over the headers it names with the source keys).
class Sts {
  public:
    explicit Sts(Credentials source = {})
        : source_(std::move(source)), server_([this](int fd) {
              test::RawRequest r;
              while (test::read_request(fd, r)) {
                  std::string answer;
                  {
                      std::lock_guard lock(mutex_);
                      bodies_.push_back(r.body);
                      answer = respond(r);
                  }
                  if (!test::write_all(fd, answer)) return;
              }
          }) {}
    std::string url() const { return server_.url(); }
    std::vector<std::string> bodies() const {
        std::lock_guard lock(mutex_);
        return bodies_;
    }
    std::string fail_with;  // an error code to answer with

  private:
    static std::string credentials_xml(const std::string& action, const std::string& key) {
        return "<" + action + "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><" +
               action +
               "Result><Credentials><SessionToken>tok&amp;en</SessionToken>"
               "<SecretAccessKey>stsSecret</SecretAccessKey>"
               "<Expiration>2999-01-01T00:00:00Z</Expiration><AccessKeyId>" +
               key + "</AccessKeyId></Credentials></" + action + "Result></" + action + "Response>";
    }

    std::string respond(const test::RawRequest& r) {
        if (!fail_with.empty()) {
            return test::http_response(
                403, "<ErrorResponse><Error><Type>Sender</Type><Code>" + fail_with +
                         "</Code><Message>Not authorized to perform sts:AssumeRole</Message>"
                         "</Error><RequestId>r</RequestId></ErrorResponse>");
        }
        if (r.body.find("Action=AssumeRoleWithWebIdentity") == 0) {
            if (!header(r.head, "Authorization").empty()) return test::http_response(400, "");
            return test::http_response(200,
                                       credentials_xml("AssumeRoleWithWebIdentity", "ASIAWEB"));
        }
        if (r.body.find("Action=AssumeRole&") == 0 && signature_ok(r))
            return test::http_response(200, credentials_xml("AssumeRole", "ASIAROLE"));
        return test::http_response(403,
                                   "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code>"
                                   "</Error></ErrorResponse>");
    }

    bool signature_ok(const test::RawRequest& r) const {
        const std::string auth = header(r.head, "Authorization");
        const auto sh = auth.find("SignedHeaders=");
        if (sh == std::string::npos) return false;
        const std::string names = auth.substr(sh + 14, auth.find(',', sh) - sh - 14);
        HttpRequest request;
        request.url = url() + "/";
        request.body = r.body;
        std::size_t start = 0;
        while (start <= names.size()) {
            const auto end = std::min(names.find(';', start), names.size());
            const std::string name = names.substr(start, end - start);
            // The raw head keeps the sender's spelling; find it case-insensitively.
            for (const std::string& spelled :
                 {std::string("Host"), std::string("Content-Type"), std::string("X-Amz-Date"),
                  std::string("X-Amz-Security-Token")}) {
                std::string lower = spelled;
                for (auto& c : lower) c = static_cast<char>(std::tolower(c));
                if (lower == name) request.headers.emplace_back(spelled, header(r.head, spelled));
            }
            start = end + 1;
        }
        const SigV4Parts parts = SigV4Signer("eu-west-1", "sts").compute(request, source_);
        return auth == parts.authorization &&
               auth.find("Credential=" + source_.access_key_id + "/") != std::string::npos &&
               auth.find("/eu-west-1/sts/aws4_request") != std::string::npos;
    }

    Credentials source_;
    mutable std::mutex mutex_;
    std::vector<std::string> bodies_;
    LoopbackServer server_;
};

std::string write_file(const std::string& name, const std::string& text) {
    const std::string path = ::testing::TempDir() + "/" + name;
    std::ofstream(path) << text;
    return path;
}

TEST(WebIdentity, ATokenFileIsExchangedForTheRolesCredentials) {
    Sts sts;
    const std::string token = write_file("web-token", "eyJ.oidc.token\n");
    auto provider = web_identity_credentials_provider(
        Environment(Vars{{"AWS_WEB_IDENTITY_TOKEN_FILE", token},
                         {"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/pod"},
                         {"AWS_ROLE_SESSION_NAME", "my-pod"},
                         {"AWS_ENDPOINT_URL_STS", sts.url()}}),
        "eu-west-1");
    ASSERT_TRUE(provider);
    const Credentials c = provider->credentials();
    EXPECT_EQ(c.access_key_id, "ASIAWEB");
    EXPECT_EQ(c.session_token, "tok&en") << "XML entities decoded";
    ASSERT_EQ(sts.bodies().size(), 1u);
    EXPECT_EQ(sts.bodies()[0],
              "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%"
              "3A123456789012%3Arole%2Fpod&RoleSessionName=my-pod&WebIdentityToken=eyJ.oidc.token");
}

TEST(AssumeRole, AProfileWithASourceProfileAssumesTheRoleSignedWithTheSourceKeys) {
    Sts sts(Credentials{"BASEKEY", "baseSecret", ""});
    const std::string credentials = write_file("role-credentials",
                                               "[base]\naws_access_key_id = BASEKEY\n"
                                               "aws_secret_access_key = baseSecret\n");
    const std::string config =
        write_file("role-config",
                   "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\n"
                   "source_profile = base\nexternal_id = ext-1\nrole_session_name = s1\n"
                   "region = eu-west-1\n");
    ClientOptions o = chain_options({{"AWS_SHARED_CREDENTIALS_FILE", credentials},
                                     {"AWS_CONFIG_FILE", config},
                                     {"AWS_PROFILE", "dev"},
                                     {"AWS_EC2_METADATA_DISABLED", "true"},
                                     {"AWS_ENDPOINT_URL_STS", sts.url()}});
    o.region = "eu-west-1";
    const Client client(o);
    EXPECT_TRUE(sts.bodies().empty()) << "STS is asked when a request needs credentials";
    (void)client.call(Operation::ListTables, json::Value::object());
    (void)client.call(Operation::ListTables, json::Value::object());
    ASSERT_EQ(sts.bodies().size(), 1u) << "the role's credentials are cached";
    EXPECT_EQ(sts.bodies()[0],
              "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%"
              "3Arole%2Fdev&RoleSessionName=s1&ExternalId=ext-1");
}

// botocore 1.43 with these exact files assumes dev's role (signed with base's keys), though dev
// has keys of its own; base, a source profile, signs with its keys and its own role is not
// assumed.
TEST(AssumeRole, TheSelectedProfilesRoleWinsOverItsKeysWhileASourceProfilesKeysWinOverItsRole) {
    Sts sts(Credentials{"BASEKEY", "baseSecret", ""});
    const std::string credentials =
        write_file("both-credentials",
                   "[dev]\naws_access_key_id = DEVKEY\naws_secret_access_key = devSecret\n"
                   "[base]\naws_access_key_id = BASEKEY\naws_secret_access_key = baseSecret\n");
    const std::string config =
        write_file("both-config",
                   "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\n"
                   "source_profile = base\nrole_session_name = s1\n"
                   "[profile base]\nrole_arn = arn:aws:iam::123456789012:role/never\n"
                   "source_profile = dev\n");
    const Environment env(Vars{{"AWS_SHARED_CREDENTIALS_FILE", credentials},
                               {"AWS_CONFIG_FILE", config},
                               {"AWS_EC2_METADATA_DISABLED", "true"},
                               {"AWS_ENDPOINT_URL_STS", sts.url()}});
    const Credentials dev =
        local_credentials_provider({}, "dev", env, {}, "eu-west-1")->credentials();
    EXPECT_EQ(dev.access_key_id, "ASIAROLE");
    ASSERT_EQ(sts.bodies().size(), 1u);
    EXPECT_EQ(sts.bodies()[0],
              "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%"
              "3Arole%2Fdev&RoleSessionName=s1");
}

TEST(AssumeRole, AnStsRefusalIsCredentialsUnavailableWithItsCode) {
    Sts sts(Credentials{"BASEKEY", "baseSecret", ""});
    sts.fail_with = "AccessDenied";
    auto provider = assume_role_credentials_provider(
        "arn:aws:iam::1:role/x", static_credentials_provider({"BASEKEY", "baseSecret", ""}), {},
        Environment(Vars{{"AWS_ENDPOINT_URL_STS", sts.url()}}), "eu-west-1");
    try {
        (void)provider->credentials();
        FAIL();
    } catch (const CredentialsUnavailable& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("assume-role arn:aws:iam::1:role/x"), std::string::npos) << m;
        EXPECT_NE(m.find("HTTP 403 AccessDenied: Not authorized"), std::string::npos) << m;
        EXPECT_EQ(m.find("baseSecret"), std::string::npos) << m;
    }
}

TEST(AssumeRole, ARoleProfileWithoutASourceIsRefusedAtConstruction) {
    const std::string config =
        write_file("role-config-bad", "[profile lonely]\nrole_arn = arn:aws:iam::1:role/x\n");
    ClientOptions o = chain_options({{"AWS_CONFIG_FILE", config}, {"AWS_PROFILE", "lonely"}});
    EXPECT_THROW((void)Client(o), InvalidConfiguration);
}

TEST(DefaultChain, EnvironmentKeysBeatAWebIdentityWhichBeatsTheProfile) {
    Sts sts;
    const std::string token = write_file("web-token-2", "tok");
    Vars vars{{"AWS_WEB_IDENTITY_TOKEN_FILE", token},
              {"AWS_ROLE_ARN", "arn:aws:iam::1:role/pod"},
              {"AWS_ENDPOINT_URL_STS", sts.url()},
              {"AWS_PROFILE", "base"},
              {"AWS_SHARED_CREDENTIALS_FILE",
               write_file("chain-credentials",
                          "[base]\naws_access_key_id = P\naws_secret_access_key = S\n")}};
    EXPECT_EQ(local_credentials_provider({}, {}, Environment(vars))->name(), "web-identity");
    vars["AWS_ACCESS_KEY_ID"] = "E";
    vars["AWS_SECRET_ACCESS_KEY"] = "S";
    EXPECT_EQ(local_credentials_provider({}, {}, Environment(vars))->name(), "environment");
    EXPECT_TRUE(sts.bodies().empty());
}

}  // namespace
}  // namespace bloop

namespace bloop {
namespace {

// The SSO portal's GetRoleCredentials on loopback.
class SsoPortal {
  public:
    SsoPortal()
        : server_([this](int fd) {
              test::RawRequest r;
              while (test::read_request(fd, r)) {
                  ++requests_;
                  const bool ok =
                      r.head.rfind(
                          "GET /federation/credentials?account_id=123456789012&role_name="
                          "ReadOnly HTTP/1.1",
                          0) == 0 &&
                      header(r.head, "x-amz-sso_bearer_token") == "sso-access-token";
                  const std::string body =
                      R"({"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"ssoSecret","sessionToken":"ssoToken","expiration":32503680000000}})";
                  if (!test::write_all(
                          fd, ok ? test::http_response(200, body) : test::http_response(401, "{}")))
                      return;
              }
          }) {}
    std::string url() const { return server_.url(); }
    int requests() const { return requests_.load(); }

  private:
    std::atomic<int> requests_{0};
    LoopbackServer server_;
};

class SsoTest : public ::testing::Test {
  protected:
    std::string home = ::testing::TempDir() + "/sso-home";
    SsoPortal portal;

    Vars vars(const std::string& profile) {
        std::filesystem::create_directories(home + "/.aws/sso/cache");
        std::ofstream(home + "/.aws/config")
            << "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\n"
               "sso_role_name = ReadOnly\n"
               "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n"
               "sso_region = eu-west-1\n"
               "[profile legacy]\nsso_start_url = https://corp.awsapps.com/start\n"
               "sso_region = eu-west-1\nsso_account_id = 123456789012\n"
               "sso_role_name = ReadOnly\n";
        return {{"HOME", home},
                {"AWS_PROFILE", profile},
                {"AWS_ENDPOINT_URL_SSO", portal.url()},
                {"AWS_EC2_METADATA_DISABLED", "true"}};
    }
    void cache(const std::string& key, const std::string& expires_at) {
        // The AWS CLI names the file by the SHA-1 of the session name (or the legacy start URL).
        std::ofstream(home + "/.aws/sso/cache/" + detail::sha1_hex(key) + ".json")
            << R"({"accessToken":"sso-access-token","expiresAt":")" + expires_at +
                   R"(","region":"eu-west-1"})";
    }
};

TEST_F(SsoTest, ASessionProfileUsesTheCachedTokenForTheRolesCredentials) {
    EXPECT_EQ(detail::sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
    const Vars v = vars("dev");
    cache("corp", "2999-01-01T00:00:00Z");
    auto provider = local_credentials_provider({}, {}, Environment(v));
    EXPECT_EQ(portal.requests(), 0);
    const Credentials c = provider->credentials();
    EXPECT_EQ(c.access_key_id, "ASIASSO");
    EXPECT_EQ(c.session_token, "ssoToken");
    EXPECT_EQ(portal.requests(), 1);
    const Client client(chain_options(v));
    (void)client.call(Operation::ListTables, json::Value::object());
    EXPECT_EQ(portal.requests(), 2);
}

TEST_F(SsoTest, ALegacyProfileFindsItsTokenByTheStartUrl) {
    const Vars v = vars("legacy");
    cache("https://corp.awsapps.com/start", "2999-01-01T00:00:00Z");
    EXPECT_EQ(local_credentials_provider({}, {}, Environment(v))->credentials().access_key_id,
              "ASIASSO");
}

TEST_F(SsoTest, AnExpiredOrMissingTokenSaysToLogIn) {
    const Vars v = vars("dev");
    cache("corp", "2001-01-01T00:00:00Z");
    try {
        (void)local_credentials_provider({}, {}, Environment(v))->credentials();
        FAIL();
    } catch (const CredentialsUnavailable& e) {
        EXPECT_NE(std::string(e.what()).find("run `aws sso login --sso-session corp`"),
                  std::string::npos)
            << e.what();
        EXPECT_EQ(std::string(e.what()).find("sso-access-token"), std::string::npos);
    }
    EXPECT_EQ(portal.requests(), 0);
}

}  // namespace
}  // namespace bloop
