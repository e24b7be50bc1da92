#pragma once
// SHA-256 and HMAC-SHA256 (OpenSSL), lowercase hex, and SHA-1 for the AWS SSO cache's file names.

#include <array>
#include <string>
#include <string_view>

namespace bloop::detail {

using Digest = std::array<unsigned char, 32>;

Digest sha256(std::string_view data);
Digest hmac_sha256(std::string_view key, std::string_view data);
std::string to_hex(const Digest& digest);
/// Lowercase hex SHA-1 of `data` (names, not security: the AWS CLI's SSO token cache files).
std::string sha1_hex(std::string_view data);

}  // namespace bloop::detail
