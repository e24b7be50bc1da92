#include <bloop/exceptions.hpp>
#include <bloop/types/uuid.hpp>

#include <sys/random.h>
#include <array>
#include <ostream>

#include <cerrno>
#include <cstring>

namespace bloop {
namespace {
constexpr auto kHexValue = [] {
    std::array<std::int8_t, 256> t{};
    for (auto& v : t) v = -1;
    for (int c = 0; c < 10; ++c) t['0' + c] = static_cast<std::int8_t>(c);
    for (int c = 0; c < 6; ++c) {
        t['a' + c] = static_cast<std::int8_t>(10 + c);
        t['A' + c] = static_cast<std::int8_t>(10 + c);
    }
    return t;
}();
// Where each byte's two hex digits start in 8-4-4-4-12.
constexpr std::array<std::uint8_t, 16> kByteOffsets = {0,  2,  4,  6,  9,  11, 14, 16,
                                                       19, 21, 24, 26, 28, 30, 32, 34};
}  // namespace

Uuid::Uuid(std::string_view text) {
    const auto hex = [&](std::size_t i) { return kHexValue[static_cast<unsigned char>(text[i])]; };
    bool ok = text.size() == 36 && text[8] == '-' && text[13] == '-' && text[18] == '-' &&
              text[23] == '-';
    for (std::size_t b = 0; ok && b < 16; ++b) {
        const int hi = hex(kByteOffsets[b]);
        const int lo = hex(kByteOffsets[b] + 1u);
        ok = hi >= 0 && lo >= 0;
        bytes_[b] = static_cast<std::uint8_t>(hi * 16 + lo);
    }
    if (!ok) {
        throw InvalidValue("\"" + std::string(text.substr(0, 60)) +
                           "\" is not a UUID (expected 8-4-4-4-12 hex digits)");
    }
}

Uuid Uuid::random() {
    // The kernel's CSPRNG on every call: no generator state that a fork() could duplicate.
    std::array<std::uint8_t, 16> bytes{};
    std::size_t filled = 0;
    while (filled < bytes.size()) {
        const ssize_t n = ::getrandom(bytes.data() + filled, bytes.size() - filled, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw RuntimeError(std::string("getrandom failed: ") + std::strerror(errno));
        }
        filled += static_cast<std::size_t>(n);
    }
    bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0F) | 0x40);  // version 4
    bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
    return Uuid(bytes);
}

std::string Uuid::to_string() const {
    static constexpr char kHex[] = "0123456789abcdef";
    char text[36];
    std::size_t at = 0;
    for (std::size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) text[at++] = '-';
        text[at++] = kHex[bytes_[i] >> 4];
        text[at++] = kHex[bytes_[i] & 15];
    }
    return std::string(text, sizeof text);
}

std::ostream& operator<<(std::ostream& out, const Uuid& u) {
    return out << u.to_string();
}

}  // namespace bloop

std::size_t std::hash<bloop::Uuid>::operator()(const bloop::Uuid& u) const noexcept {
    std::uint64_t h = 1469598103934665603ULL;
    for (const auto b : u.bytes()) h = (h ^ b) * 1099511628211ULL;
    return static_cast<std::size_t>(h);
}
