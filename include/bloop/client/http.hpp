#pragma once
/// \file
/// HTTP messages and the transport interface the client sends them through. Unit tests swap in a
/// scripted transport; the default is a pooled libcurl transport.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bloop {

/// A header list in sending order. Names compare case-insensitively where it matters.
using Headers = std::vector<std::pair<std::string, std::string>>;

/// The value of the first header named `name` (case-insensitive), or empty.
[[nodiscard]] std::string_view find_header(const Headers& headers, std::string_view name) noexcept;

/// An HTTP request.
struct HttpRequest {
    /// The HTTP method.
    std::string method = "POST";
    std::string url;         ///< full URL, e.g. "http://127.0.0.1:8000/"
    std::string path = "/";  ///< the path part of `url`, as signed
    std::string query;       ///< the query part of `url` without '?', as signed
    Headers headers;         ///< the request headers, in order
    std::string body;        ///< the request body
};

/// An HTTP response.
struct HttpResponse {
    int status = 0;    ///< the status code, e.g. 200
    Headers headers;   ///< the response headers, in order
    std::string body;  ///< the response body
};

/// Timeouts of one request.
struct Timeouts {
    std::chrono::milliseconds connect{3000};   ///< TCP (and TLS) connect
    std::chrono::milliseconds request{30000};  ///< the whole exchange
};

/// Bounds on what a transport accepts from a server; a response past them is a ProtocolError, so
/// a hostile or broken endpoint cannot make the client buffer without end.
struct ResponseLimits {
    std::size_t header_bytes = 64 * 1024;  ///< the status line and headers (and trailers)
    /// The body. DynamoDB's largest responses (BatchGetItem, 16 MB of items) fit with room.
    std::size_t body_bytes = 64 * 1024 * 1024;
};

/// Sends HTTP requests. Implementations are safe to call from many threads at once.
class Transport {
  public:
    virtual ~Transport() = default;
    /// Sends `request` once and returns the response (any status); the request timeout bounds the
    /// whole exchange. Throws ConnectionRefused or ConnectTimeout when nothing was sent;
    /// ConnectionReset, RequestTimeout or TransportError when the request may have reached the
    /// server but no whole response came back; ProtocolError for a malformed or oversized
    /// response. A transport never sends a request twice on its own.
    virtual HttpResponse send(const HttpRequest& request, const Timeouts& timeouts) = 0;
};

/// The libcurl transport: keeps up to `max_connections` keep-alive connections and reuses them.
/// A caller beyond that many concurrent sends waits for a free connection. Honours curl's proxy
/// variables (`http_proxy`, `https_proxy`, `all_proxy`, `no_proxy`). `ca_bundle`: a PEM file of
/// the certificate authorities to trust for https (e.g. a TLS-inspecting proxy's); empty: the
/// system's.
[[nodiscard]] std::shared_ptr<Transport> make_curl_transport(std::size_t max_connections,
                                                             const ResponseLimits& limits = {},
                                                             std::string ca_bundle = {});

/// A minimal HTTP/1.1 transport for `http://` URLs only (no TLS): keep-alive sockets, bounded in
/// flight like the curl one, several times less CPU per request. No proxy support: the client
/// uses it when both its endpoints are plain http (DynamoDB Local) and no proxy variable is set;
/// otherwise curl.
[[nodiscard]] std::shared_ptr<Transport> make_socket_transport(std::size_t max_connections,
                                                               const ResponseLimits& limits = {});

}  // namespace bloop
