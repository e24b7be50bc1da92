#include "util/crypto.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstring>
#include <memory>
#include <stdexcept>

namespace bloop::detail {
namespace {

// OpenSSL 3 looks an algorithm up on every EVP_sha256() use; fetch it once instead.
const EVP_MD* sha256_md() {
    static const struct Md {
        EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
        ~Md() { EVP_MD_free(md); }
    } holder;
    if (holder.md == nullptr) throw std::runtime_error("OpenSSL has no SHA256");
    return holder.md;
}

struct CtxDeleter {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

// One digest context per thread, reused.
EVP_MD_CTX* context() {
    thread_local std::unique_ptr<EVP_MD_CTX, CtxDeleter> ctx(EVP_MD_CTX_new());
    return ctx.get();
}

Digest digest(std::string_view a, std::string_view b = {}) {
    EVP_MD_CTX* c = context();
    Digest out{};
    unsigned int len = 0;
    if (EVP_DigestInit_ex(c, sha256_md(), nullptr) != 1 ||
        EVP_DigestUpdate(c, a.data(), a.size()) != 1 ||
        EVP_DigestUpdate(c, b.data(), b.size()) != 1 ||
        EVP_DigestFinal_ex(c, out.data(), &len) != 1) {
        throw std::runtime_error("SHA256 failed");
    }
    return out;
}

}  // namespace

Digest sha256(std::string_view data) {
    return digest(data);
}

// HMAC (RFC 2104) over SHA-256 with a 64-byte block.
Digest hmac_sha256(std::string_view key, std::string_view data) {
    constexpr std::size_t kBlock = 64;
    unsigned char k[kBlock] = {0};
    if (key.size() > kBlock) {
        const Digest hashed = sha256(key);
        std::memcpy(k, hashed.data(), hashed.size());
    } else {
        std::memcpy(k, key.data(), key.size());
    }
    char inner_pad[kBlock];
    char outer_pad[kBlock];
    for (std::size_t i = 0; i < kBlock; ++i) {
        inner_pad[i] = static_cast<char>(k[i] ^ 0x36);
        outer_pad[i] = static_cast<char>(k[i] ^ 0x5c);
    }
    const Digest inner = digest({inner_pad, kBlock}, data);
    return digest({outer_pad, kBlock}, {reinterpret_cast<const char*>(inner.data()), inner.size()});
}

std::string to_hex(const Digest& digest) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(digest.size() * 2, '\0');
    for (std::size_t i = 0; i < digest.size(); ++i) {
        out[2 * i] = kHex[digest[i] >> 4];
        out[2 * i + 1] = kHex[digest[i] & 15];
    }
    return out;
}

}  // namespace bloop::detail

namespace bloop::detail {

std::string sha1_hex(std::string_view data) {
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (const unsigned char b : digest) {
        out.push_back(kHex[b >> 4]);
        out.push_back(kHex[b & 15]);
    }
    return out;
}

}  // namespace bloop::detail
