#pragma once
// An HTTPS server on loopback for the client's TLS settings (a CA bundle of one's own): a CA and a
// server certificate made for the test with Debian's openssl command, and a server that speaks
// TLS with it and answers each request with a fixed HTTP response.

#include "loopback.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace bloop::test {

/// A certificate authority made for a test and a certificate it signed for 127.0.0.1 and
/// localhost, as PEM files in `dir`.
struct TestCertificates {
    std::string ca;          ///< the CA's certificate: the bundle that trusts the server
    std::string server;      ///< the server's certificate
    std::string server_key;  ///< its private key
};

/// Makes them with `openssl` (Debian's); throws std::runtime_error when it fails.
TestCertificates make_test_certificates(const std::string& dir);

/// Serves HTTPS on 127.0.0.1 with `certs.server`, answering every request with `answer`.
class TlsServer {
  public:
    TlsServer(const TestCertificates& certs, std::string answer);
    ~TlsServer();
    TlsServer(const TlsServer&) = delete;
    TlsServer& operator=(const TlsServer&) = delete;

    /// "https://127.0.0.1:<port>"
    [[nodiscard]] std::string url() const;
    /// Requests answered so far.
    [[nodiscard]] int answered() const { return answered_.load(); }
    /// TLS handshakes the client broke off (it did not trust the certificate).
    [[nodiscard]] int refused() const { return refused_.load(); }

  private:
    void serve(int fd);

    struct Context;
    std::unique_ptr<Context> context_;
    std::string answer_;
    std::atomic<int> answered_{0};
    std::atomic<int> refused_{0};
    std::unique_ptr<LoopbackServer> server_;  // last: its threads use the members above
};

}  // namespace bloop::test
