#include "tls_server.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace bloop::test {

namespace {

void run(const std::string& command) {
    if (std::system((command + " >/dev/null 2>&1").c_str()) != 0)
        throw std::runtime_error("failed: " + command);
}

}  // namespace

TestCertificates make_test_certificates(const std::string& dir) {
    const TestCertificates c{dir + "/test-ca.pem", dir + "/test-server.pem",
                             dir + "/test-server.key"};
    const std::string ca_key = dir + "/test-ca.key";
    const std::string csr = dir + "/test-server.csr";
    const std::string ext = dir + "/test-server.ext";
    std::ofstream(ext) << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
    run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=bloop test CA' -keyout '" +
        ca_key + "' -out '" + c.ca + "'");
    run("openssl req -newkey rsa:2048 -nodes -subj '/CN=localhost' -keyout '" + c.server_key +
        "' -out '" + csr + "'");
    run("openssl x509 -req -days 2 -in '" + csr + "' -CA '" + c.ca + "' -CAkey '" + ca_key +
        "' -CAcreateserial -extfile '" + ext + "' -out '" + c.server + "'");
    return c;
}

struct TlsServer::Context {
    SSL_CTX* ctx = nullptr;
    ~Context() { SSL_CTX_free(ctx); }
};

TlsServer::TlsServer(const TestCertificates& certs, std::string answer)
    : context_(std::make_unique<Context>()), answer_(std::move(answer)) {
    context_->ctx = SSL_CTX_new(TLS_server_method());
    if (context_->ctx == nullptr ||
        SSL_CTX_use_certificate_chain_file(context_->ctx, certs.server.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(context_->ctx, certs.server_key.c_str(), SSL_FILETYPE_PEM) !=
            1) {
        throw std::runtime_error("TlsServer: cannot load " + certs.server);
    }
    server_ = std::make_unique<LoopbackServer>([this](int fd) { serve(fd); });
}

TlsServer::~TlsServer() {
    server_.reset();  // joins the connection threads first
}

std::string TlsServer::url() const {
    return "https://127.0.0.1:" + std::to_string(server_->port());
}

void TlsServer::serve(int fd) {
    SSL* ssl = SSL_new(context_->ctx);
    struct Free {
        SSL* s;
        ~Free() { SSL_free(s); }
    } free_ssl{ssl};
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) != 1) {
        ++refused_;
        return;
    }
    std::string buffer;
    char chunk[4096];
    while (true) {
        // One request: headers, then Content-Length bytes of body.
        std::size_t head_end;
        while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
            const int n = SSL_read(ssl, chunk, sizeof chunk);
            if (n <= 0) return;
            buffer.append(chunk, static_cast<std::size_t>(n));
        }
        std::size_t length = 0;
        const auto at = buffer.find("Content-Length: ");
        if (at != std::string::npos && at < head_end)
            length = std::stoul(buffer.substr(at + 16, buffer.find("\r\n", at) - at - 16));
        while (buffer.size() < head_end + 4 + length) {
            const int n = SSL_read(ssl, chunk, sizeof chunk);
            if (n <= 0) return;
            buffer.append(chunk, static_cast<std::size_t>(n));
        }
        buffer.erase(0, head_end + 4 + length);
        if (SSL_write(ssl, answer_.data(), static_cast<int>(answer_.size())) <= 0) return;
        ++answered_;
    }
}

}  // namespace bloop::test
