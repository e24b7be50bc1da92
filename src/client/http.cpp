#include <bloop/client/http.hpp>

#include <strings.h>

namespace bloop {

std::string_view find_header(const Headers& headers, std::string_view name) noexcept {
    for (const auto& [k, v] : headers) {
        if (k.size() == name.size() && strncasecmp(k.data(), name.data(), name.size()) == 0)
            return v;
    }
    return {};
}

}  // namespace bloop
