#pragma once
// SHA-256 and HMAC-SHA256 (OpenSSL's SHA-256), lowercase hex, and SHA-1 for the AWS SSO cache's
// file names.

#include <openssl/sha.h>

#include <array>
#include <span>
#include <string>
#include <string_view>

namespace bloop::detail {

using Digest = std::array<unsigned char, 32>;

Digest sha256(std::string_view data);
Digest hmac_sha256(std::string_view key, std::string_view data);

/// An HMAC-SHA256 key with its padded blocks already hashed: signing with it hashes only the data
/// (and the inner digest), not the key again. A plain value: copy it freely.
class HmacSha256Key {
  public:
    HmacSha256Key() = default;
    explicit HmacSha256Key(std::string_view key);
    [[nodiscard]] Digest sign(std::string_view data) const;

  private:
    SHA256_CTX inner_{};
    SHA256_CTX outer_{};
};

/// Appends the lowercase hex of `bytes` (a digest) to `out`.
void append_hex(std::string& out, std::span<const unsigned char> bytes);
std::string to_hex(const Digest& digest);
/// Lowercase hex SHA-1 of `data` (names, not security: the AWS CLI's SSO token cache files).
std::string sha1_hex(std::string_view data);

}  // namespace bloop::detail
