// The socket transport's response parser, fed in pieces: a response within the limits, a
// ProtocolError, or a ConnectionReset at the end of the stream; never a hang or an overrun.

#include <bloop/exceptions.hpp>

#include "client/transports/response_parser.hpp"

#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
    if (size < 1) return 0;
    const std::size_t piece = 1 + data[0] % 16;
    std::string_view text = as_text(data + 1, size - 1);
    const bloop::ResponseLimits limits{.header_bytes = 512, .body_bytes = 1024};
    bloop::detail::ResponseParser parser("http://fuzz/", limits);
    try {
        bool done = false;
        while (!text.empty() && !done) {
            const auto n = std::min(piece, text.size());
            done = parser.feed(text.substr(0, n));
            text.remove_prefix(n);
        }
        if (!done) parser.end_of_stream();
        BLOOP_FUZZ_CHECK(parser.done());
        const bloop::HttpResponse r = parser.take();
        BLOOP_FUZZ_CHECK(r.body.size() <= limits.body_bytes);
        BLOOP_FUZZ_CHECK(r.status >= 200 && r.status <= 999);
    } catch (const bloop::ProtocolError&) {
    } catch (const bloop::ConnectionReset&) {
    }
    return 0;
}
