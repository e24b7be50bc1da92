// Error responses: any body and error header becomes a typed ServiceError, and no secret that
// was in the body reaches the message.

#include <bloop/exceptions.hpp>

#include "client/policies/error_mapping.hpp"

#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
    if (size < 2) return 0;
    const int status = 400 + (data[0] % 2) * 100 + data[1] % 4;
    const std::string_view rest = as_text(data + 2, size - 2);
    const auto split = rest.find('\n');
    bloop::HttpResponse response;
    response.status = status;
    if (split != std::string_view::npos)
        response.headers.emplace_back("x-amzn-ErrorType", std::string(rest.substr(0, split)));
    response.body = std::string(split == std::string_view::npos ? rest : rest.substr(split + 1));
    // The secret ends the body; neither it nor a piece of it cut off may reach the message
    // (the fuzzer may write the prefix itself: only more copies than it wrote are a leak).
    const std::string secret = "SECRETKEYSECRETKEY";
    const std::string prefix = secret.substr(0, 10);
    const auto copies = [&](std::string_view text) {
        std::size_t n = 0;
        for (auto at = text.find(prefix); at != std::string_view::npos;
             at = text.find(prefix, at + 1))
            ++n;
        return n;
    };
    const std::size_t written = copies(rest);
    const bool plain = rest.find('\\') == std::string_view::npos;  // no JSON escapes to decode
    response.body += secret;
    const bloop::detail::Secrets secrets{secret, "", ""};
    bloop::ServiceErrorInfo info = bloop::detail::error_info("PutItem", response, secrets);
    BLOOP_FUZZ_CHECK(info.message.find(secret) == std::string::npos);
    if (plain) BLOOP_FUZZ_CHECK(copies(info.message) <= written);
    try {
        bloop::detail::throw_service_error(std::move(info), response.body);
    } catch (const bloop::ServiceError& e) {
        if (plain) BLOOP_FUZZ_CHECK(copies(e.what()) <= written);
    }
    return 0;
}
