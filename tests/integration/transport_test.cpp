// Both transports against DynamoDB Local and against loopback servers that misbehave: typed
// errors, bounded memory and time, and never a request sent twice on their own.

#include <bloop/client/client.hpp>
#include <bloop/exceptions.hpp>

#include "integration.hpp"
#include "loopback.hpp"
#include "tls_server.hpp"

#include <gtest/gtest.h>

#include <sys/socket.h>

#include <cstdlib>
#include <fstream>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace bloop {
namespace {

using test::LoopbackServer;

class TransportTest : public ::testing::TestWithParam<std::string> {
  protected:
    std::shared_ptr<Transport> transport(const ResponseLimits& limits = {}) const {
        return GetParam() == "curl" ? make_curl_transport(4, limits)
                                    : make_socket_transport(4, limits);
    }
    ClientOptions quick(const std::string& url, const ResponseLimits& limits = {}) const {
        ClientOptions options = testing::local_client_options(url);
        options.transport = transport(limits);
        options.retry.max_attempts = 2;
        options.retry.base_delay = std::chrono::milliseconds(1);
        options.timeouts.request = std::chrono::milliseconds(300);
        return options;
    }
    json::Value call(const ClientOptions& options, Operation op = Operation::ListTables,
                     json::Value request = json::Value::object()) const {
        return Client(options).call(op, request);
    }
};

// Answers each request of a connection with what `reply` returns for its index on the server.
std::function<void(int)> answering(std::atomic<int>& requests,
                                   std::function<std::string(int)> reply) {
    return [&requests, reply = std::move(reply)](int fd) {
        test::RawRequest r;
        while (test::read_request(fd, r)) {
            const std::string answer = reply(requests++);
            if (answer.empty() || !test::write_all(fd, answer)) return;
        }
    };
}

TEST_P(TransportTest, TalksToDynamoDbLocal) {
    ClientOptions options = test::client_options();
    options.transport = transport();
    const json::Value tables = call(options);
    EXPECT_TRUE(tables.at("TableNames").is_array());
}

TEST_P(TransportTest, NothingListeningIsConnectionRefusedAndRetried) {
    std::vector<std::string> logs;
    ClientOptions options = quick("http://127.0.0.1:1");
    options.log = [&](LogLevel, std::string_view m) { logs.emplace_back(m); };
    try {
        (void)call(options, Operation::UpdateItem,
                   json::parse(R"({"TableName":"T","UpdateExpression":"ADD #c :v"})"));
        FAIL();
    } catch (const ConnectionRefused& e) {
        EXPECT_NE(std::string(e.what()).find("http://127.0.0.1:1/"), std::string::npos);
        EXPECT_FALSE(e.outcome_unknown());
    }
    int attempts = 0;
    for (const auto& line : logs) attempts += line.find("UpdateItem -> ") == 0;
    EXPECT_EQ(attempts, 2) << "nothing was sent, so even a relative update is retried";
}

TEST_P(TransportTest, ClosedWithoutAnswerIsConnectionReset) {
    LoopbackServer server([](int fd) {
        test::RawRequest r;
        (void)test::read_request(fd, r);
    });
    EXPECT_THROW((void)call(quick(server.url())), ConnectionReset);
}

TEST_P(TransportTest, NoAnswerIsRequestTimeout) {
    LoopbackServer server([](int fd) {
        test::RawRequest r;
        (void)test::read_request(fd, r);
        std::this_thread::sleep_for(std::chrono::milliseconds(700));
    });
    EXPECT_THROW((void)call(quick(server.url())), RequestTimeout);
}

TEST_P(TransportTest, TruncatedResponseIsConnectionReset) {
    LoopbackServer server([](int fd) {
        test::RawRequest r;
        (void)test::read_request(fd, r);
        (void)test::write_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"Tab");
    });
    EXPECT_THROW((void)call(quick(server.url())), ConnectionReset);
}

TEST_P(TransportTest, MalformedBodyIsAProtocolError) {
    std::atomic<int> requests{0};
    LoopbackServer server(
        answering(requests, [](int) { return test::http_response(200, "{\"Tab"); }));
    EXPECT_THROW((void)call(quick(server.url())), ProtocolError);
    EXPECT_EQ(requests.load(), 1);
}

TEST_P(TransportTest, HostileChunkSizesAreProtocolErrors) {
    // A negative size once made the socket transport loop forever; curl rejects these as well.
    for (const std::string size : {"-a", "zz", "ffffffffffffffffffff"}) {
        LoopbackServer server([&size](int fd) {
            test::RawRequest r;
            (void)test::read_request(fd, r);
            (void)test::write_all(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
                                          size + "\r\nabc\r\n0\r\n\r\n");
        });
        try {
            (void)call(quick(server.url()));
            ADD_FAILURE() << size;
        } catch (const ProtocolError&) {
        } catch (const TransportError& e) {
            // libcurl reports its own chunk parser's refusal as a receive error.
            EXPECT_EQ(GetParam(), "curl") << size << ": " << e.what();
        }
    }
}

TEST_P(TransportTest, AHugeContentLengthIsRefusedWithoutBufferingIt) {
    std::atomic<int> requests{0};
    LoopbackServer server(answering(requests, [](int) {
        return std::string("HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n{}");
    }));
    try {
        (void)call(quick(server.url()));
        FAIL();
    } catch (const ProtocolError& e) {
        EXPECT_NE(std::string(e.what()).find("limit"), std::string::npos) << e.what();
    }
}

TEST_P(TransportTest, AnEndlessBodyStopsAtTheLimit) {
    LoopbackServer server([](int fd) {
        test::RawRequest r;
        (void)test::read_request(fd, r);
        if (!test::write_all(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")) return;
        const std::string chunk = "4000\r\n" + std::string(0x4000, 'a') + "\r\n";
        while (test::write_all(fd, chunk)) {
        }
    });
    ClientOptions options = quick(server.url(), ResponseLimits{.body_bytes = 1 << 20});
    options.timeouts.request = std::chrono::seconds(20);
    EXPECT_THROW((void)call(options), ProtocolError);
}

TEST_P(TransportTest, TheRequestTimeoutBoundsAResponseThatNeverEnds) {
    // A byte every 20 ms: never idle long enough for a per-read timeout to fire.
    LoopbackServer server([](int fd) {
        test::RawRequest r;
        (void)test::read_request(fd, r);
        if (!test::write_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")) return;
        for (int i = 0; i < 200 && test::write_all(fd, "a"); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
    });
    ClientOptions options = quick(server.url());
    options.retry.max_attempts = 1;
    // Had the timeout not held, the server's close after 4 s would end it as a cut response.
    EXPECT_THROW((void)call(options), RequestTimeout);
}

TEST_P(TransportTest, AReusedConnectionThatClosesUnansweredIsNotSentAgain) {
    // The first request is answered on a keep-alive connection; the second reaches the server,
    // which closes without answering. Sending it again could apply an ADD twice.
    std::atomic<int> requests{0};
    LoopbackServer server(answering(
        requests, [](int n) { return n == 0 ? test::http_response(200, "{}") : std::string(); }));
    ClientOptions options = quick(server.url());
    options.retry.max_attempts = 3;
    const Client client(options);
    const json::Value add = json::parse(R"({"TableName":"T","UpdateExpression":"ADD #c :v"})");
    (void)client.call(Operation::UpdateItem, add);
    EXPECT_THROW((void)client.call(Operation::UpdateItem, add), ConnectionReset);
    EXPECT_EQ(requests.load(), 2);
}

TEST_P(TransportTest, ABodyLargerThanTheSocketBuffersArrivesWhole) {
    // 8 MiB to a server that starts reading late: the kernel takes the request in parts, and
    // every byte must arrive once, in order, after the head.
    std::string received;
    LoopbackServer server([&received](int fd) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        test::RawRequest r;
        if (!test::read_request(fd, r)) return;
        received = std::move(r.body);
        (void)test::write_all(fd, test::http_response(200, "{}"));
    });
    HttpRequest request;
    request.url = server.url();
    request.headers = {{"Host", "127.0.0.1"}, {"Content-Type", "application/x-amz-json-1.0"}};
    request.body.resize(8 << 20);
    for (std::size_t i = 0; i < request.body.size(); ++i)
        request.body[i] = static_cast<char>('a' + (i * 7919 % 26));
    const HttpResponse response = transport()->send(request, Timeouts{});
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(received.size(), request.body.size());
    EXPECT_TRUE(received == request.body);
}

TEST_P(TransportTest, AnIdleConnectionTheServerClosedIsNotUsed) {
    // The server closes each connection after one answer (without saying so): the next request
    // must go out on a fresh connection, once.
    std::atomic<int> requests{0};
    LoopbackServer server([&requests](int fd) {
        test::RawRequest r;
        if (!test::read_request(fd, r)) return;
        ++requests;
        (void)test::write_all(fd, test::http_response(200, "{}"));
    });
    const Client client(quick(server.url()));
    const json::Value add = json::parse(R"({"TableName":"T","UpdateExpression":"ADD #c :v"})");
    (void)client.call(Operation::UpdateItem, add);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the close arrives
    (void)client.call(Operation::UpdateItem, add);
    EXPECT_EQ(requests.load(), 2);
    EXPECT_EQ(server.connections(), 2);
}

TEST(DefaultTransport, PlainHttpGoesThroughTheProxyCurlWouldUse) {
    // The lean socket transport has no proxy support, so with http_proxy set the client uses curl,
    // which sends the request to the proxy with the absolute URL.
    std::atomic<int> requests{0};
    std::mutex mutex;
    std::string head;
    LoopbackServer proxy([&](int fd) {
        test::RawRequest r;
        while (test::read_request(fd, r)) {
            {
                std::lock_guard lock(mutex);
                head = r.head;
            }
            ++requests;
            if (!test::write_all(fd, test::http_response(200, R"({"TableNames":[]})"))) return;
        }
    });
    ::setenv("http_proxy", proxy.url().c_str(), 1);
    try {
        ClientOptions options = testing::local_client_options("http://dynamodb.example:8000");
        (void)Client(options).call(Operation::ListTables, json::Value::object());
    } catch (...) {
        ::unsetenv("http_proxy");
        throw;
    }
    ::unsetenv("http_proxy");
    EXPECT_EQ(requests.load(), 1);
    std::lock_guard lock(mutex);
    EXPECT_EQ(head.rfind("POST http://dynamodb.example:8000/ HTTP/1.1", 0), 0u) << head;
}

// Behind a TLS-inspecting proxy, the service's certificate is signed by a private CA: refused
// until the client is told to trust that CA — by ClientOptions::ca_bundle, AWS_CA_BUNDLE or the
// profile's ca_bundle.
TEST(DefaultTransport, ACaBundleMakesAPrivateCertificateAuthorityTrusted) {
    const test::TestCertificates certs = test::make_test_certificates(::testing::TempDir());
    test::TlsServer server(certs, test::http_response(200, R"({"TableNames":["T"]})"));
    const auto options = [&](std::map<std::string, std::string, std::less<>> vars) {
        ClientOptions o = testing::local_client_options(server.url());
        o.retry.max_attempts = 1;
        o.environment = Environment(std::move(vars));
        return o;
    };
    const auto tables = [](const ClientOptions& o) {
        return Client(o).call(Operation::ListTables, json::Value::object()).at("TableNames");
    };
    EXPECT_THROW((void)tables(options({})), TransportError);
    // The server's side of the broken handshake may end a moment after the client's.
    for (int i = 0; i < 500 && server.refused() == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_GE(server.refused(), 1);
    EXPECT_EQ(server.answered(), 0);

    ClientOptions explicit_bundle = options({});
    explicit_bundle.ca_bundle = certs.ca;
    EXPECT_EQ(tables(explicit_bundle).as_array().size(), 1u);
    EXPECT_EQ(tables(options({{"AWS_CA_BUNDLE", certs.ca}})).as_array().size(), 1u);
    const std::string config = ::testing::TempDir() + "/ca-bundle-config";
    std::ofstream(config) << "[default]\nca_bundle = " << certs.ca << "\n";
    EXPECT_EQ(tables(options({{"AWS_CONFIG_FILE", config}})).as_array().size(), 1u);
    EXPECT_EQ(server.answered(), 3);

    ClientOptions missing = options({});
    missing.ca_bundle = ::testing::TempDir() + "/no-such-bundle.pem";
    EXPECT_THROW((void)Client(missing), InvalidConfiguration);
}

INSTANTIATE_TEST_SUITE_P(Transports, TransportTest, ::testing::Values("socket", "curl"),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace bloop
