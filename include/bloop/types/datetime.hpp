#pragma once
/// \file
/// Time types with bloop's wire formats.
///
/// - `bloop::DateTime`: a UTC instant with microsecond precision, stored as S
///   "YYYY-MM-DDTHH:MM:SS.ffffff+00:00" (exactly bloop's DateTime layout).
/// - `bloop::Timestamp`: a UTC instant in whole seconds, stored as N (epoch seconds), for TTL.

#include <chrono>
#include <string>
#include <string_view>

namespace bloop {

/// A UTC instant, microsecond precision. Convert with
/// `std::chrono::floor<std::chrono::microseconds>`.
using DateTime = std::chrono::sys_time<std::chrono::microseconds>;

/// A UTC instant in whole seconds (epoch seconds on the wire).
using Timestamp = std::chrono::sys_seconds;

/// "2016-08-09T08:16:25.322849+00:00". Throws InvalidValue for years outside 1..9999.
[[nodiscard]] std::string format_datetime(DateTime t);

/// Parses exactly bloop's layout "YYYY-MM-DDTHH:MM:SS.ffffff+00:00" (six fraction digits, the
/// literal offset "+00:00"). Any other text throws InvalidValue naming it.
[[nodiscard]] DateTime parse_datetime(std::string_view text);

}  // namespace bloop
