#pragma once
// Requests the wire layer wrote as text, sent without being parsed back: whoever wrote one states
// whether it may be sent again after an attempt whose outcome is unknown.

#include <bloop/client/client.hpp>

#include <future>
#include <string>

namespace bloop::detail {

struct TextCalls {
    /// Sends `body` as `op`; the 200 answer's body. Errors as Client::call.
    static std::string call(const Client& client, Operation op, std::string body, bool idempotent,
                            const CallOptions& options = {});
    /// As `call`, on the client's worker pool.
    static std::future<std::string> call_async(const Client& client, Operation op, std::string body,
                                               bool idempotent);
};

}  // namespace bloop::detail
