#pragma once
/// \file
/// `bloop::LocalDateTime<"Europe/Paris">`: a date-time that loads in a given time zone (bloop's
/// `DateTime(timezone=...)`). It is stored exactly as `bloop::DateTime`, in UTC
/// ("YYYY-MM-DDTHH:MM:SS.ffffff+00:00"); only the loaded value carries the zone. Uses the system's
/// tz database (Debian's `tzdata`) through HowardHinnant's date library.

#include <bloop/types/datetime.hpp>
#include <bloop/types/type_traits.hpp>

#include <date/tz.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace bloop {

/// A time zone name usable as a template argument: `LocalDateTime<"America/New_York">`.
template <std::size_t N>
struct ZoneName {
    /// The zone's name, NUL-terminated.
    char value[N]{};
    constexpr ZoneName(const char (&name)[N]) { std::copy_n(name, N, value); }  // NOLINT
    [[nodiscard]] constexpr std::string_view view() const { return {value, N - 1}; }
};

/// The zone named `name`; throws InvalidValue when the tz database has no such zone.
[[nodiscard]] const date::time_zone* find_time_zone(std::string_view name);

/// A microsecond instant seen in time zone `Zone`.
template <ZoneName Zone>
class LocalDateTime : public date::zoned_time<std::chrono::microseconds> {
  public:
    /// The zoned time this is.
    using Base = date::zoned_time<std::chrono::microseconds>;
    /// The epoch, in `Zone`.
    LocalDateTime() : Base(find_time_zone(Zone.view()), DateTime{}) {}
    /// The instant `utc`, in `Zone`.
    explicit LocalDateTime(DateTime utc) : Base(find_time_zone(Zone.view()), utc) {}
    /// The instant as UTC.
    [[nodiscard]] DateTime utc() const { return get_sys_time(); }
    friend bool operator==(const LocalDateTime& a, const LocalDateTime& b) {
        return a.utc() == b.utc();
    }
};

/// LocalDateTime ↔ S in bloop's UTC layout; loads in `Zone`. Missing loads as the epoch.
template <ZoneName Zone>
struct TypeTraits<LocalDateTime<Zone>> {
    static constexpr AttributeType backing = AttributeType::S;
    static std::optional<AttributeValue> dump(const LocalDateTime<Zone>& v) {
        return AttributeValue::string(format_datetime(v.utc()));
    }
    static LocalDateTime<Zone> load(AttributeValue&& v) {
        return LocalDateTime<Zone>(parse_datetime(v.as_string()));
    }
    static LocalDateTime<Zone> missing() { return LocalDateTime<Zone>(); }
};

}  // namespace bloop
