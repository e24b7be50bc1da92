// Credentials, region and endpoint resolution from explicit options, the environment and the
// shared AWS files.

#include <bloop/client/credentials.hpp>
#include <bloop/client/endpoint.hpp>
#include <bloop/client/retry.hpp>
#include <bloop/exceptions.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace bloop {
namespace {

using Vars = std::map<std::string, std::string, std::less<>>;

class TempDir {
  public:
    TempDir()
        : path_(std::filesystem::temp_directory_path() /
                ("bloop-config-test-" + std::to_string(::getpid()) + "-" +
                 std::to_string(counter_++))) {
        std::filesystem::create_directories(path_);
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    std::string write(const std::string& name, const std::string& text) const {
        const auto p = path_ / name;
        std::ofstream(p) << text;
        return p.string();
    }
    std::string path() const { return path_.string(); }

  private:
    static inline int counter_ = 0;
    std::filesystem::path path_;
};

TEST(Credentials, ExplicitWin) {
    const Environment env(Vars{{"AWS_ACCESS_KEY_ID", "ENV"}, {"AWS_SECRET_ACCESS_KEY", "ENVS"}});
    const auto c = resolve_credentials(Credentials{"A", "S", "T"}, {}, env);
    EXPECT_EQ(c.access_key_id, "A");
    EXPECT_EQ(c.session_token, "T");
}

TEST(Credentials, FromEnvironmentWithSessionToken) {
    const Environment env(Vars{{"AWS_ACCESS_KEY_ID", "ENV"},
                               {"AWS_SECRET_ACCESS_KEY", "ENVS"},
                               {"AWS_SESSION_TOKEN", "TOK"},
                               {"HOME", "/nonexistent"}});
    const auto c = resolve_credentials({}, {}, env);
    EXPECT_EQ(c.access_key_id, "ENV");
    EXPECT_EQ(c.secret_access_key, "ENVS");
    EXPECT_EQ(c.session_token, "TOK");
}

TEST(Credentials, FromSharedFileProfile) {
    TempDir dir;
    const auto creds =
        dir.write("credentials",
                  "[default]\naws_access_key_id = D\naws_secret_access_key = DS\n"
                  "# comment\n[work]\naws_access_key_id=W\naws_secret_access_key=WS\n"
                  "aws_session_token=WT\n");
    const Environment env(Vars{
        {"AWS_SHARED_CREDENTIALS_FILE", creds}, {"AWS_PROFILE", "work"}, {"HOME", dir.path()}});
    const auto c = resolve_credentials({}, {}, env);
    EXPECT_EQ(c.access_key_id, "W");
    EXPECT_EQ(c.session_token, "WT");
    EXPECT_EQ(resolve_credentials({}, std::string("default"), env).access_key_id, "D");
}

TEST(Credentials, FromConfigFileProfileSection) {
    TempDir dir;
    const auto config =
        dir.write("config", "[profile dev]\naws_access_key_id=C\naws_secret_access_key=CS\n");
    const Environment env(Vars{{"AWS_CONFIG_FILE", config}, {"HOME", dir.path()}});
    EXPECT_EQ(resolve_credentials({}, std::string("dev"), env).access_key_id, "C");
}

TEST(Credentials, MissingNamesEverythingTried) {
    TempDir dir;
    const Environment env(Vars{{"HOME", dir.path()}, {"AWS_PROFILE", "nope"}});
    try {
        (void)resolve_credentials({}, {}, env);
        FAIL();
    } catch (const MissingCredentials& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("AWS_ACCESS_KEY_ID"), std::string::npos) << m;
        EXPECT_NE(m.find("profile 'nope' in the shared credentials file " + dir.path() +
                         "/.aws/credentials"),
                  std::string::npos)
            << m;
        EXPECT_NE(m.find("config file " + dir.path() + "/.aws/config"), std::string::npos) << m;
    }
    EXPECT_THROW((void)resolve_credentials({}, {}, env), std::invalid_argument);
}

TEST(Region, Precedence) {
    TempDir dir;
    const auto config =
        dir.write("config", "[default]\nregion = eu-west-1\n[profile x]\nregion=ap-south-1\n");
    EXPECT_EQ(resolve_region(std::string("us-west-2"), {}, Environment(Vars{{"AWS_REGION", "a"}})),
              "us-west-2");
    EXPECT_EQ(
        resolve_region({}, {}, Environment(Vars{{"AWS_REGION", "a"}, {"AWS_DEFAULT_REGION", "b"}})),
        "a");
    EXPECT_EQ(resolve_region({}, {}, Environment(Vars{{"AWS_DEFAULT_REGION", "b"}})), "b");
    EXPECT_EQ(resolve_region({}, {}, Environment(Vars{{"AWS_CONFIG_FILE", config}})), "eu-west-1");
    EXPECT_EQ(resolve_region({}, std::string("x"), Environment(Vars{{"AWS_CONFIG_FILE", config}})),
              "ap-south-1");
}

TEST(Region, MissingNamesWhatWasTried) {
    try {
        (void)resolve_region({}, {}, Environment(Vars{{"AWS_CONFIG_FILE", "/nonexistent/config"}}));
        FAIL();
    } catch (const MissingRegion& e) {
        EXPECT_STREQ(
            e.what(),
            "no AWS region found; tried the explicit region, AWS_REGION, AWS_DEFAULT_REGION, "
            "'region' of profile 'default' in the config file /nonexistent/config");
    }
}

TEST(Endpoint, ParsesUrls) {
    const Endpoint a = Endpoint::parse("http://127.0.0.1:8000");
    EXPECT_EQ(a.scheme, "http");
    EXPECT_EQ(a.host, "127.0.0.1");
    EXPECT_EQ(a.port, 8000);
    EXPECT_EQ(a.path, "/");
    EXPECT_EQ(a.url(), "http://127.0.0.1:8000/");
    EXPECT_EQ(a.host_header(), "127.0.0.1:8000");
    const Endpoint b = Endpoint::parse("HTTPS://dynamodb.eu-west-1.amazonaws.com/");
    EXPECT_EQ(b.port, 443);
    EXPECT_EQ(b.host_header(), "dynamodb.eu-west-1.amazonaws.com");
    const Endpoint c = Endpoint::parse("http://[::1]:9000/base");
    EXPECT_EQ(c.host, "::1");
    EXPECT_EQ(c.host_header(), "[::1]:9000");
    EXPECT_EQ(c.path, "/base");
}

class EndpointRejects : public ::testing::TestWithParam<const char*> {};
TEST_P(EndpointRejects, WithInvalidEndpoint) {
    try {
        (void)Endpoint::parse(GetParam());
        FAIL() << GetParam();
    } catch (const InvalidEndpoint& e) {
        EXPECT_NE(std::string(e.what()).find(GetParam()), std::string::npos) << e.what();
    }
}
INSTANTIATE_TEST_SUITE_P(Endpoint, EndpointRejects,
                         ::testing::Values("localhost:8000", "ftp://host", "http://",
                                           "http://host:0", "http://host:70000", "http://host:abc",
                                           "http://host:", "http://user@host", "http://host/?x=1",
                                           "http://ho st", "http://[::1", "http://[zz]:1",
                                           "http://h\xe4st:8000"));

TEST(Endpoint, Resolution) {
    const Environment none(Vars{});
    EXPECT_EQ(resolve_endpoint(Service::dynamodb, {}, "eu-west-1", none).url(),
              "https://dynamodb.eu-west-1.amazonaws.com/");
    EXPECT_EQ(resolve_endpoint(Service::streams, {}, "eu-west-1", none).url(),
              "https://streams.dynamodb.eu-west-1.amazonaws.com/");
    EXPECT_EQ(resolve_endpoint(Service::dynamodb, {}, "cn-north-1", none).url(),
              "https://dynamodb.cn-north-1.amazonaws.com.cn/");
    const Environment env(
        Vars{{"AWS_ENDPOINT_URL", "http://all:1"}, {"AWS_ENDPOINT_URL_DYNAMODB", "http://ddb:2"}});
    EXPECT_EQ(resolve_endpoint(Service::dynamodb, {}, "r", env).url(), "http://ddb:2/");
    EXPECT_EQ(resolve_endpoint(Service::streams, {}, "r", env).url(), "http://all:1/");
    EXPECT_EQ(resolve_endpoint(Service::streams, std::string("http://x:3"), "r", env).url(),
              "http://x:3/");
    const Environment streams(Vars{{"AWS_ENDPOINT_URL_DYNAMODB_STREAMS", "http://s:4"}});
    EXPECT_EQ(resolve_endpoint(Service::streams, {}, "r", streams).url(), "http://s:4/");
    EXPECT_THROW((void)resolve_endpoint(Service::dynamodb, {}, "Not A Region", none),
                 InvalidEndpoint);
    EXPECT_THROW((void)resolve_endpoint(Service::dynamodb, {}, "r",
                                        Environment(Vars{{"AWS_ENDPOINT_URL", "nope"}})),
                 InvalidEndpoint);
}

TEST(Endpoint, FipsDualStackPartitionsAndAccountsAsAwsRulesSay) {
    const Environment none(Vars{});
    const auto url = [&](Service service, std::string_view region, EndpointSettings s,
                         std::optional<std::string> custom = {}) {
        return resolve_endpoint(service, custom, region, s, none).url();
    };
    EXPECT_EQ(url(Service::dynamodb, "us-east-1", {.use_fips = true}),
              "https://dynamodb-fips.us-east-1.amazonaws.com/");
    EXPECT_EQ(url(Service::dynamodb, "us-east-1", {.use_dualstack = true}),
              "https://dynamodb.us-east-1.api.aws/");
    EXPECT_EQ(url(Service::streams, "us-east-1", {.use_fips = true}),
              "https://streams.dynamodb-fips.us-east-1.amazonaws.com/");
    EXPECT_EQ(url(Service::streams, "us-gov-west-1", {.use_fips = true}),
              "https://streams.dynamodb.us-gov-west-1.amazonaws.com/")
        << "GovCloud's regional endpoint is FIPS already";
    EXPECT_EQ(url(Service::dynamodb, "us-iso-east-1", {}), "https://dynamodb.us-iso-east-1.c2s.ic.gov/")
        << "an ISO partition's own suffix";
    EXPECT_EQ(url(Service::dynamodb, "eu-west-1", {.account_id = "111122223333"}),
              "https://111122223333.ddb.eu-west-1.amazonaws.com/");
    EXPECT_EQ(url(Service::dynamodb, "eu-west-1",
                  {.account_id = "111122223333",
                   .account_id_mode = AccountIdEndpointMode::disabled}),
              "https://dynamodb.eu-west-1.amazonaws.com/");
    EXPECT_EQ(url(Service::dynamodb, "eu-west-1", {.account_id = "111122223333"},
                  "http://localhost:8000"),
              "http://localhost:8000/")
        << "a custom endpoint wins";
    try {
        (void)url(Service::dynamodb, "us-east-1", {.use_fips = true}, "http://localhost:8000");
        FAIL();
    } catch (const InvalidEndpoint& e) {
        EXPECT_STREQ(e.what(), "Invalid Configuration: FIPS and custom endpoint are not supported");
    }
    EXPECT_THROW(
        (void)url(Service::dynamodb, "eu-west-1", {.account_id_mode = AccountIdEndpointMode::required}),
        InvalidEndpoint);
}

TEST(Endpoint, SettingsFromTheEnvironmentThenTheProfile) {
    TempDir dir;
    const std::string config =
        dir.write("config", "[default]\nuse_dualstack_endpoint = true\naws_account_id = "
                            "444455556666\naccount_id_endpoint_mode = disabled\n");
    EndpointSettings s = resolve_endpoint_settings({}, Environment(Vars{{"AWS_CONFIG_FILE", config}}));
    EXPECT_FALSE(s.use_fips);
    EXPECT_TRUE(s.use_dualstack);
    EXPECT_EQ(s.account_id, "444455556666");
    EXPECT_EQ(s.account_id_mode, AccountIdEndpointMode::disabled);
    s = resolve_endpoint_settings({}, Environment(Vars{{"AWS_CONFIG_FILE", config},
                                                       {"AWS_USE_FIPS_ENDPOINT", "TRUE"},
                                                       {"AWS_USE_DUALSTACK_ENDPOINT", "false"},
                                                       {"AWS_ACCOUNT_ID_ENDPOINT_MODE", "required"},
                                                       {"AWS_ACCOUNT_ID", "777788889999"}}));
    EXPECT_TRUE(s.use_fips);
    EXPECT_FALSE(s.use_dualstack);
    EXPECT_EQ(s.account_id, "777788889999");
    EXPECT_EQ(s.account_id_mode, AccountIdEndpointMode::required);
    EXPECT_EQ(resolve_endpoint(Service::dynamodb, {}, "eu-west-1",
                               Environment(Vars{{"AWS_USE_FIPS_ENDPOINT", "true"}}))
                  .url(),
              "https://dynamodb-fips.eu-west-1.amazonaws.com/");
    EXPECT_THROW((void)resolve_endpoint_settings({}, Environment(Vars{{"AWS_USE_FIPS_ENDPOINT", "yes"}})),
                 InvalidConfiguration);
    EXPECT_THROW((void)resolve_endpoint_settings(
                     {}, Environment(Vars{{"AWS_ACCOUNT_ID_ENDPOINT_MODE", "sometimes"}})),
                 InvalidConfiguration);
}

TEST(Retry, AttemptsAndModeFromTheEnvironmentThenTheProfileExplicitWinning) {
    TempDir dir;
    const std::string config =
        dir.write("config", "[default]\nretry_mode = legacy\n[profile std]\nretry_mode = "
                            "standard\nmax_attempts = 4\n");
    // Nothing set anywhere: bloop's own.
    RetryPolicy p = resolve_retry_policy({}, {}, Environment(Vars{}));
    EXPECT_EQ(p.max_attempts, 8);
    EXPECT_FALSE(p.mode);
    EXPECT_EQ(p.base_delay, std::chrono::milliseconds(25));
    EXPECT_EQ(p.max_delay, std::chrono::milliseconds(2000));
    // The profile's mode and attempts.
    p = resolve_retry_policy({}, "std", Environment(Vars{{"AWS_CONFIG_FILE", config}}));
    EXPECT_EQ(p.mode, RetryMode::standard);
    EXPECT_EQ(p.max_attempts, 4);
    EXPECT_EQ(p.base_delay, std::chrono::milliseconds(1000));
    EXPECT_EQ(p.max_delay, std::chrono::milliseconds(20000));
    p = resolve_retry_policy({}, {}, Environment(Vars{{"AWS_CONFIG_FILE", config}}));
    EXPECT_EQ(p.mode, RetryMode::legacy);
    EXPECT_EQ(p.max_attempts, 11);
    // The environment over the profile; explicit options over both.
    const Environment env(Vars{{"AWS_CONFIG_FILE", config},
                               {"AWS_RETRY_MODE", "adaptive"},
                               {"AWS_MAX_ATTEMPTS", "6"}});
    p = resolve_retry_policy({}, "std", env);
    EXPECT_EQ(p.mode, RetryMode::adaptive);
    EXPECT_EQ(p.max_attempts, 6);
    p = resolve_retry_policy({.max_attempts = 2, .mode = RetryMode::legacy}, "std", env);
    EXPECT_EQ(p.mode, RetryMode::legacy);
    EXPECT_EQ(p.max_attempts, 2);
    EXPECT_EQ(p.base_delay, std::chrono::milliseconds(25));
}

TEST(Retry, BadSettingsAreNamed) {
    try {
        (void)resolve_retry_policy({}, {}, Environment(Vars{{"AWS_MAX_ATTEMPTS", "0"}}));
        FAIL();
    } catch (const InvalidConfiguration& e) {
        EXPECT_STREQ(e.what(),
                     "AWS_MAX_ATTEMPTS must be a whole number of attempts of at least 1, got \"0\"");
    }
    try {
        (void)resolve_retry_policy({}, {}, Environment(Vars{{"AWS_RETRY_MODE", "eager"}}));
        FAIL();
    } catch (const InvalidConfiguration& e) {
        EXPECT_STREQ(e.what(), "AWS_RETRY_MODE must be legacy, standard or adaptive, got \"eager\"");
    }
}

}  // namespace
}  // namespace bloop
