#include <bloop/exceptions.hpp>
#include <bloop/uuid.hpp>

#include <array>
#include <ostream>
#include <random>

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
    thread_local std::mt19937_64 rng{[] {
        std::random_device device;
        std::seed_seq seed{device(), device(), device(), device()};
        return std::mt19937_64(seed);
    }()};
    std::array<std::uint8_t, 16> bytes{};
    for (std::size_t i = 0; i < 16; i += 8) {
        const std::uint64_t r = rng();
        for (std::size_t j = 0; j < 8; ++j) bytes[i + j] = static_cast<std::uint8_t>(r >> (8 * j));
    }
    bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0F) | 0x40);  // version 4
    bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
    return Uuid(bytes);
}

std::string Uuid::to_string() const {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
        out.push_back(kHex[bytes_[i] >> 4]);
        out.push_back(kHex[bytes_[i] & 15]);
    }
    return out;
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
