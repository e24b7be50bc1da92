#pragma once
// The JSON credential documents of credential_process, the container endpoint and instance
// metadata, and the ISO 8601 times they expire at.

#include <bloop/client/credentials.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace bloop::detail {

/// "2026-11-29T05:00:00Z" (fractions and a +00:00 offset allowed) as a time; nullopt otherwise.
[[nodiscard]] std::optional<std::chrono::system_clock::time_point> parse_iso8601(
    std::string_view text);

/// `t` as "2026-11-29T05:00:00Z" (whole seconds, UTC).
[[nodiscard]] std::string format_iso8601(std::chrono::system_clock::time_point t);

/// Reads `AccessKeyId`, `SecretAccessKey`, the token member named `token_member` ("Token" or
/// "SessionToken"), `Expiration` and `AccountId` from `text`. Throws CredentialsUnavailable naming `source`
/// when the document is not such credentials; never puts a secret in a message.
[[nodiscard]] Credentials parse_credentials_json(std::string_view text, std::string_view source,
                                                 std::string_view token_member);

}  // namespace bloop::detail
