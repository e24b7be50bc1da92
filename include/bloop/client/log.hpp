#pragma once
/// \file
/// One pluggable log listener; silent by default. Log lines never hold credentials, signatures or
/// request bodies.

#include <functional>
#include <string_view>

namespace bloop {

/// Severity of a log line.
enum class LogLevel { debug, info, warning, error };

/// Receives log lines. Called from whichever thread sent the request; must be thread-safe.
using LogListener = std::function<void(LogLevel level, std::string_view message)>;

}  // namespace bloop
