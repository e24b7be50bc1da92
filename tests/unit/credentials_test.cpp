// Credentials providers without a network: renewal, many threads, failures, credential_process,
// the expiry times they report.

#include <bloop/client/credentials.hpp>
#include <bloop/exceptions.hpp>

#include "client/credentials/credentials_json.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

namespace bloop {
namespace {

using Clock = std::chrono::system_clock;
using namespace std::chrono_literals;

Credentials temporary(const std::string& id, Clock::time_point expiration) {
    return Credentials{id, "secret-" + id, "token-" + id, expiration};
}

TEST(CredentialsJson, Iso8601Times) {
    const auto t = detail::parse_iso8601("2026-11-29T05:00:00Z");
    ASSERT_TRUE(t);
    EXPECT_EQ(Clock::to_time_t(*t), 1795928400);
    EXPECT_EQ(detail::parse_iso8601("2026-11-29T05:00:00.123Z"), t);
    EXPECT_EQ(detail::parse_iso8601("2026-11-29T05:00:00+00:00"), t);
    EXPECT_EQ(detail::parse_iso8601("9999-12-31T23:59:59Z"),
              detail::parse_iso8601("2200-01-01T00:00:00Z"))
        << "past the clock's range: far future, no overflow";
    for (const char* bad : {"", "2026-11-29", "2026-11-29T05:00:00", "2026-02-30T00:00:00Z",
                            "2026-11-29T05:00:00+01:00", "2026-11-29 05:00:00Z"}) {
        EXPECT_FALSE(detail::parse_iso8601(bad)) << bad;
    }
}

TEST(CredentialsJson, DocumentsAreCheckedAndSecretsNeverQuoted) {
    const Credentials c = detail::parse_credentials_json(
        R"({"Code":"Success","AccessKeyId":"AKID","SecretAccessKey":"S3CR3T","Token":"TOK","Expiration":"2026-11-29T05:00:00Z"})",
        "ec2-instance-metadata", "Token");
    EXPECT_EQ(c.access_key_id, "AKID");
    EXPECT_EQ(c.secret_access_key, "S3CR3T");
    EXPECT_EQ(c.session_token, "TOK");
    EXPECT_TRUE(c.expiration);
    for (const char* bad :
         {R"({"AccessKeyId":"AKID"})", R"(S3CR3T not json)",
          R"({"Code":"Failure","AccessKeyId":"AKID","SecretAccessKey":"S3CR3T"})",
          R"({"AccessKeyId":"AKID","SecretAccessKey":"S3CR3T","Expiration":"tomorrow"})"}) {
        try {
            (void)detail::parse_credentials_json(bad, "container-credentials", "Token");
            ADD_FAILURE() << bad;
        } catch (const CredentialsUnavailable& e) {
            EXPECT_EQ(std::string(e.what()).find("S3CR3T"), std::string::npos) << e.what();
            EXPECT_EQ(std::string(e.what()).rfind("container-credentials", 0), 0u) << e.what();
        }
    }
}

TEST(RefreshingCredentials, RenewsAheadOfExpiryAndNotBefore) {
    Clock::time_point now = Clock::now();
    int fetches = 0;
    auto provider = refreshing_credentials_provider(
        "test",
        [&] {
            ++fetches;
            return temporary("k" + std::to_string(fetches), now + 1h);
        },
        RefreshOptions{.ahead = 300s, .jitter = 0s, .clock = [&] { return now; }});
    EXPECT_EQ(provider->credentials().access_key_id, "k1");
    now += 54min;
    EXPECT_EQ(provider->credentials().access_key_id, "k1");
    now += 2min;  // within 5 minutes of expiry
    EXPECT_EQ(provider->credentials().access_key_id, "k2");
    EXPECT_EQ(fetches, 2);
    EXPECT_EQ(provider->name(), "test");
}

TEST(RefreshingCredentials, LongTermCredentialsAreFetchedOnce) {
    int fetches = 0;
    auto provider = refreshing_credentials_provider("test", [&] {
        ++fetches;
        return Credentials{"A", "S", "", std::nullopt};
    });
    for (int i = 0; i < 5; ++i) EXPECT_EQ(provider->credentials().access_key_id, "A");
    EXPECT_EQ(fetches, 1);
}

TEST(RefreshingCredentials, AFailedRenewalKeepsWorkingCredentialsAndSaysSo) {
    Clock::time_point now = Clock::now();
    bool fail = false;
    std::vector<std::string> logs;
    auto provider = refreshing_credentials_provider(
        "ec2-instance-metadata",
        [&] {
            if (fail) throw CredentialsUnavailable("ec2-instance-metadata: HTTP 500");
            return temporary("k", now + 1h);
        },
        RefreshOptions{.ahead = 300s,
                       .jitter = 0s,
                       .retry_after = 10s,
                       .clock = [&] { return now; },
                       .log = [&](LogLevel, std::string_view m) { logs.emplace_back(m); }});
    (void)provider->credentials();
    fail = true;
    now += 57min;
    EXPECT_EQ(provider->credentials().access_key_id, "k");
    ASSERT_EQ(logs.size(), 1u);
    EXPECT_NE(logs[0].find("renewing credentials from ec2-instance-metadata failed"),
              std::string::npos)
        << logs[0];
    EXPECT_EQ(logs[0].find("secret-k"), std::string::npos);
    now += 5s;  // not retried before retry_after
    (void)provider->credentials();
    EXPECT_EQ(logs.size(), 1u);
    now += 4min;  // expired
    try {
        (void)provider->credentials();
        FAIL();
    } catch (const CredentialsUnavailable& e) {
        EXPECT_NE(std::string(e.what()).find("no credentials from ec2-instance-metadata"),
                  std::string::npos)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("expired"), std::string::npos) << e.what();
    }
    fail = false;
    now += 1s;  // a failure with nothing usable is not asked again for a second
    EXPECT_EQ(provider->credentials().access_key_id, "k") << "recovers once the source does";
}

TEST(RefreshingCredentials, RetriesAfterAFailedRenewalNeverPassTheExpiration) {
    Clock::time_point now = Clock::now();
    const auto expiry = now + 1h;
    bool fail = false;
    int fetches = 0;
    auto provider = refreshing_credentials_provider(
        "sts",
        [&] {
            ++fetches;
            if (fail) throw CredentialsUnavailable("sts: unreachable");
            return temporary("k", expiry);
        },
        RefreshOptions{.ahead = 300s, .jitter = 0s, .retry_after = 600s, .clock = [&] { return now; }});
    (void)provider->credentials();
    fail = true;
    now = expiry - 5s;  // the renewal fails; the next try would be 10 minutes on
    EXPECT_EQ(provider->credentials().access_key_id, "k");
    now = expiry - 1s;
    EXPECT_EQ(provider->credentials().access_key_id, "k");
    EXPECT_EQ(fetches, 2);
    for (const auto at : {expiry, expiry + 1s, expiry + 9min}) {
        now = at;
        EXPECT_THROW((void)provider->credentials(), CredentialsUnavailable)
            << "expired credentials handed out";
        now += 1s;
    }
}

TEST(RefreshingCredentials, CredentialsAlreadyExpiredWhenFetchedAreRefusedAndNotFetchedOnEveryCall) {
    Clock::time_point now = Clock::now();
    int fetches = 0;
    auto provider = refreshing_credentials_provider(
        "container-credentials",
        [&] {
            ++fetches;
            return temporary("k", now - 1min);
        },
        RefreshOptions{.clock = [&] { return now; }});
    for (int i = 0; i < 3; ++i) {
        try {
            (void)provider->credentials();
            FAIL();
        } catch (const CredentialsUnavailable& e) {
            EXPECT_NE(std::string(e.what()).find("no credentials from container-credentials: it "
                                                 "answered credentials that had already expired"),
                      std::string::npos)
                << e.what();
        }
    }
    EXPECT_EQ(fetches, 1);
    now += 1s;
    EXPECT_THROW((void)provider->credentials(), CredentialsUnavailable);
    EXPECT_EQ(fetches, 2);
}

TEST(RefreshingCredentials, SixteenThreadsShareOneRenewalAndNeverGetExpiredCredentials) {
    // Credentials that live 200 ms: renewed about every 100 ms while 16 threads sign.
    std::atomic<int> fetching{0};
    std::atomic<int> overlapping{0};
    std::atomic<int> fetches{0};
    auto provider = refreshing_credentials_provider(
        "short-lived",
        [&] {
            if (++fetching > 1) ++overlapping;
            std::this_thread::sleep_for(5ms);
            const int n = ++fetches;
            --fetching;
            return temporary("k" + std::to_string(n), Clock::now() + 200ms);
        },
        RefreshOptions{.ahead = 300s, .jitter = 0s});
    std::atomic<int> expired{0};
    std::atomic<int> calls{0};
    std::vector<std::thread> threads;
    const auto until = Clock::now() + 700ms;
    for (int t = 0; t < 16; ++t) {
        threads.emplace_back([&] {
            while (Clock::now() < until) {
                // Valid when handed out: later than the moment it was asked for (a thread may be
                // descheduled for a while right after, so "now" afterwards proves nothing).
                const auto asked = Clock::now();
                const Credentials c = provider->credentials();
                if (!c.expiration || *c.expiration <= asked) ++expired;
                ++calls;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(overlapping.load(), 0) << "one renewal at a time";
    EXPECT_EQ(expired.load(), 0);
    EXPECT_GT(fetches.load(), 1) << "renewed";
    EXPECT_LT(fetches.load(), calls.load() / 10) << "cached between renewals";
}

class ProcessCredentials : public ::testing::Test {
  protected:
    std::string dir = ::testing::TempDir();
    std::string write(const std::string& name, const std::string& text) {
        const std::string path = dir + "/" + name;
        std::ofstream(path) << text;
        return path;
    }
};

TEST_F(ProcessCredentials, RunsTheCommandAndReadsItsJson) {
    const std::string out = write(
        "process.json",
        R"({"Version":1,"AccessKeyId":"PAKID","SecretAccessKey":"PSECRET","SessionToken":"PTOKEN","Expiration":"2999-01-01T00:00:00Z"})");
    auto provider = process_credentials_provider("cat '" + out + "'");
    const Credentials c = provider->credentials();
    EXPECT_EQ(c.access_key_id, "PAKID");
    EXPECT_EQ(c.session_token, "PTOKEN");
    EXPECT_TRUE(c.expiration);
    EXPECT_EQ(provider->name(), "credential_process");
}

TEST_F(ProcessCredentials, AFailingCommandIsCredentialsUnavailable) {
    auto provider = process_credentials_provider("echo oops >&2; exit 3");
    try {
        (void)provider->credentials();
        FAIL();
    } catch (const CredentialsUnavailable& e) {
        EXPECT_NE(std::string(e.what()).find("credential_process exited with status 3"),
                  std::string::npos)
            << e.what();
    }
}

// A command that hangs — whether it keeps its output open or closes it first — is stopped at the
// timeout with everything it started.
TEST_F(ProcessCredentials, AHangingCommandIsStoppedAtTheTimeout) {
    for (const char* hang : {"exec sleep 30", "exec >&- ; exec sleep 30"}) {
        const std::string pid_file = dir + "/hanging.pid";
        std::remove(pid_file.c_str());
        auto provider = process_credentials_provider(
            "echo $$ > '" + pid_file + "'; " + hang, {}, std::chrono::milliseconds(300));
        try {
            (void)provider->credentials();
            FAIL();
        } catch (const CredentialsUnavailable& e) {
            EXPECT_STREQ(e.what(),
                         "no credentials from credential_process: credential_process did not "
                         "finish within 300 ms; stopped it");
        }
        pid_t pid = 0;
        std::ifstream(pid_file) >> pid;
        ASSERT_GT(pid, 0);
        EXPECT_NE(::kill(pid, 0), 0) << "the command still runs";
    }
}

TEST_F(ProcessCredentials, AProfileWithACredentialProcessIsUsedByTheLocalChain) {
    const std::string out =
        write("p2.json", R"({"Version":1,"AccessKeyId":"FROMPROC","SecretAccessKey":"S"})");
    const std::string config = write("config", "[profile dev]\ncredential_process = cat '" + out +
                                                   "'\nregion = eu-west-1\n");
    const Environment env(std::map<std::string, std::string, std::less<>>{
        {"AWS_CONFIG_FILE", config}, {"AWS_PROFILE", "dev"}});
    auto provider = local_credentials_provider({}, {}, env);
    EXPECT_EQ(provider->credentials().access_key_id, "FROMPROC");
    EXPECT_EQ(resolve_credentials({}, {}, env).access_key_id, "FROMPROC");
}

TEST(LocalCredentials, EnvironmentBeatsTheFilesAndNamesItself) {
    const Environment env(std::map<std::string, std::string, std::less<>>{
        {"AWS_ACCESS_KEY_ID", "E"}, {"AWS_SECRET_ACCESS_KEY", "S"}, {"AWS_SESSION_TOKEN", "T"}});
    auto provider = local_credentials_provider({}, {}, env);
    EXPECT_EQ(provider->name(), "environment");
    EXPECT_EQ(provider->credentials().session_token, "T");
    EXPECT_EQ(local_credentials_provider(Credentials{"X", "Y", ""}, {}, env)->name(), "explicit");
}

}  // namespace
}  // namespace bloop
