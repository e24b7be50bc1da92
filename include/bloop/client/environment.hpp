#pragma once
/// \file
/// Where the client reads environment variables and files from; replaceable in tests.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace bloop {

/// A source of environment variables. The default reads the process environment.
class Environment {
  public:
    /// Looks up one environment variable by name; nullopt when unset.
    using Lookup = std::function<std::optional<std::string>(std::string_view)>;
    /// The process environment (`getenv`).
    Environment();
    /// A fixed set of variables; nothing else is visible.
    explicit Environment(std::map<std::string, std::string, std::less<>> variables);
    /// Any lookup function.
    explicit Environment(Lookup lookup) : lookup_(std::move(lookup)) {}

    /// The value of `name`, or nullopt when unset or empty.
    [[nodiscard]] std::optional<std::string> get(std::string_view name) const;
    /// The user's home directory ($HOME), or nullopt.
    [[nodiscard]] std::optional<std::string> home() const { return get("HOME"); }

  private:
    Lookup lookup_;
};

}  // namespace bloop
