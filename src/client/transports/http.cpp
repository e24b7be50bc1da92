#include <bloop/client/http.hpp>

#include "util/ascii.hpp"

namespace bloop {

std::string_view find_header(const Headers& headers, std::string_view name) noexcept {
    for (const auto& [k, v] : headers) {
        if (detail::ascii_iequals(k, name)) return v;
    }
    return {};
}

}  // namespace bloop
