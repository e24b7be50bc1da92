#include <bloop/exceptions.hpp>
#include <bloop/uuid.hpp>

#include <ostream>
#include <random>

namespace bloop {
namespace {
int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
constexpr bool is_dash_position(std::size_t i) {
    return i == 8 || i == 13 || i == 18 || i == 23;
}
}  // namespace

Uuid::Uuid(std::string_view text) {
    const auto bad = [&] {
        return InvalidValue("\"" + std::string(text.substr(0, 60)) +
                            "\" is not a UUID (expected 8-4-4-4-12 hex digits)");
    };
    if (text.size() != 36) throw bad();
    std::size_t byte = 0;
    for (std::size_t i = 0; i < 36;) {
        if (is_dash_position(i)) {
            if (text[i] != '-') throw bad();
            ++i;
            continue;
        }
        const int hi = hex_value(text[i]);
        const int lo = hex_value(text[i + 1]);
        if (hi < 0 || lo < 0) throw bad();
        bytes_[byte++] = static_cast<std::uint8_t>(hi * 16 + lo);
        i += 2;
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
