#include "client/credentials/credentials_http.hpp"

#include <bloop/client/endpoint.hpp>
#include <bloop/exceptions.hpp>

namespace bloop::detail {

HttpRequest credentials_request(std::string method, const std::string& url, Headers headers,
                                std::string query) {
    const Endpoint endpoint = Endpoint::parse(url);
    HttpRequest request;
    request.method = std::move(method);
    request.path = endpoint.path;
    request.url = endpoint.url() + (query.empty() ? "" : "?" + query);
    request.query = std::move(query);
    request.headers = std::move(headers);
    request.headers.insert(request.headers.begin(), {"Host", endpoint.host_header()});
    return request;
}

HttpResponse send_for_credentials(const std::string& source, const HttpRequest& request,
                                  const Timeouts& timeouts, const std::string& ca_bundle) {
    const bool https = request.url.rfind("https://", 0) == 0;
    const auto transport =
        https ? make_curl_transport(1, {}, ca_bundle) : make_socket_transport(1);
    try {
        return transport->send(request, timeouts);
    } catch (const ProtocolError&) {
        // The parser quotes what it could not read; in a credentials answer that may be a secret.
        throw CredentialsUnavailable(source + ": the answer from " + request.url +
                                     " is not well-formed HTTP (not quoted here: it may hold "
                                     "credentials)");
    } catch (const std::exception& e) {
        throw CredentialsUnavailable(source + ": " + e.what());
    }
}

}  // namespace bloop::detail
