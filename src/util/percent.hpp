#pragma once
// Percent-encoding as SigV4 and form bodies need it: every byte but A-Z a-z 0-9 - . _ ~ as %XX.

#include <string>
#include <string_view>

namespace bloop::detail {

/// Appends `s` to `out`, percent-encoded (uppercase hex).
void percent_encode(std::string& out, std::string_view s);

}  // namespace bloop::detail
