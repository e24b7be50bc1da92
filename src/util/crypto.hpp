#pragma once
// SHA-256 and HMAC-SHA256 (OpenSSL), and lowercase hex.

#include <array>
#include <string>
#include <string_view>

namespace bloop::detail {

using Digest = std::array<unsigned char, 32>;

Digest sha256(std::string_view data);
Digest hmac_sha256(std::string_view key, std::string_view data);
std::string to_hex(const Digest& digest);

}  // namespace bloop::detail
