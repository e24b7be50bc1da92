#pragma once
// How telemetry names an exception: its class, unqualified ("RequestTimeout", "WriteFailed",
// "bad_alloc"); never its message, which may name a key.

#include <exception>
#include <string>

namespace bloop::detail {

/// The unqualified class name of `e`.
std::string error_type(const std::exception& e);

}  // namespace bloop::detail
