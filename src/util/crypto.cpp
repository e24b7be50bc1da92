// OpenSSL's one-algorithm SHA-256 calls: a context on the stack, no lookup or allocation per
// digest (EVP's generic interface costs more than hashing a DynamoDB request). OpenSSL 3 marks
// them deprecated but keeps them, with the same assembly (SHA extensions where the CPU has them).
#define OPENSSL_SUPPRESS_DEPRECATED
#include "util/crypto.hpp"

#include <cstring>

namespace bloop::detail {
namespace {

constexpr std::size_t kBlock = 64;  // SHA-256's block: HMAC pads the key to it

void update(SHA256_CTX& ctx, std::string_view data) {
    SHA256_Update(&ctx, data.data(), data.size());
}

Digest finish(SHA256_CTX& ctx) {
    Digest out{};
    SHA256_Final(out.data(), &ctx);
    return out;
}

}  // namespace

Digest sha256(std::string_view data) {
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    update(ctx, data);
    return finish(ctx);
}

// HMAC (RFC 2104): H(K ^ opad || H(K ^ ipad || data)), K padded to one block (hashed first when
// longer).
HmacSha256Key::HmacSha256Key(std::string_view key) {
    unsigned char k[kBlock] = {0};
    if (key.size() > kBlock) {
        const Digest hashed = sha256(key);
        std::memcpy(k, hashed.data(), hashed.size());
    } else {
        std::memcpy(k, key.data(), key.size());
    }
    unsigned char inner_pad[kBlock];
    unsigned char outer_pad[kBlock];
    for (std::size_t i = 0; i < kBlock; ++i) {
        inner_pad[i] = static_cast<unsigned char>(k[i] ^ 0x36);
        outer_pad[i] = static_cast<unsigned char>(k[i] ^ 0x5c);
    }
    SHA256_Init(&inner_);
    SHA256_Update(&inner_, inner_pad, kBlock);
    SHA256_Init(&outer_);
    SHA256_Update(&outer_, outer_pad, kBlock);
}

Digest HmacSha256Key::sign(std::string_view data) const {
    SHA256_CTX inner = inner_;
    update(inner, data);
    const Digest inner_digest = finish(inner);
    SHA256_CTX outer = outer_;
    SHA256_Update(&outer, inner_digest.data(), inner_digest.size());
    return finish(outer);
}

Digest hmac_sha256(std::string_view key, std::string_view data) {
    return HmacSha256Key(key).sign(data);
}

void append_hex(std::string& out, std::span<const unsigned char> bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    const std::size_t at = out.size();
    out.resize(at + 2 * bytes.size());  // then written in place: no check per character
    char* p = out.data() + at;
    for (const unsigned char b : bytes) {
        *p++ = kHex[b >> 4];
        *p++ = kHex[b & 15];
    }
}

std::string to_hex(const Digest& digest) {
    std::string out;
    out.reserve(digest.size() * 2);
    append_hex(out, digest);
    return out;
}

std::string sha1_hex(std::string_view data) {
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
    std::string out;
    append_hex(out, digest);
    return out;
}

}  // namespace bloop::detail
