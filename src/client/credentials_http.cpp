#include "client/credentials_http.hpp"

#include <bloop/exceptions.hpp>

namespace bloop::detail {

HttpResponse send_for_credentials(const std::string& source, const HttpRequest& request,
                                  const Timeouts& timeouts) {
    const bool https = request.url.rfind("https://", 0) == 0;
    const auto transport = https ? make_curl_transport(1) : make_socket_transport(1);
    try {
        return transport->send(request, timeouts);
    } catch (const std::exception& e) {
        throw CredentialsUnavailable(source + ": " + e.what());
    }
}

}  // namespace bloop::detail
