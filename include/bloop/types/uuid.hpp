#pragma once
/// \file
/// `bloop::Uuid`: 16 bytes, stored as S in lowercase 8-4-4-4-12 form (bloop's UUID type).

#include <array>
#include <compare>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

namespace bloop {

/// A UUID.
class Uuid {
  public:
    /// The nil UUID (all zero).
    Uuid() = default;
    /// The UUID with these 16 bytes.
    explicit Uuid(const std::array<std::uint8_t, 16>& bytes) : bytes_(bytes) {}
    /// Parses the 8-4-4-4-12 hex form (either case). Throws InvalidValue otherwise.
    explicit Uuid(std::string_view text);
    /// A random (version 4, RFC 4122 variant) UUID.
    static Uuid random();

    /// Lowercase 8-4-4-4-12.
    [[nodiscard]] std::string to_string() const;
    [[nodiscard]] const std::array<std::uint8_t, 16>& bytes() const noexcept { return bytes_; }
    [[nodiscard]] bool is_nil() const noexcept { return *this == Uuid(); }
    /// The version nibble (4 for random UUIDs).
    [[nodiscard]] int version() const noexcept { return bytes_[6] >> 4; }

    friend auto operator<=>(const Uuid&, const Uuid&) = default;
    friend bool operator==(const Uuid&, const Uuid&) = default;

  private:
    std::array<std::uint8_t, 16> bytes_{};
};

/// Writes the lowercase 8-4-4-4-12 text.
std::ostream& operator<<(std::ostream& out, const Uuid& u);

}  // namespace bloop

/// Uuids as keys of unordered containers.
template <>
struct std::hash<bloop::Uuid> {
    /// A hash of the 16 bytes.
    std::size_t operator()(const bloop::Uuid& u) const noexcept;
};
