#include <bloop/client/environment.hpp>

#include <cstdlib>

namespace bloop {

Environment::Environment()
    : lookup_([](std::string_view name) -> std::optional<std::string> {
          const char* v = std::getenv(std::string(name).c_str());
          if (v == nullptr) return std::nullopt;
          return std::string(v);
      }) {}

Environment::Environment(std::map<std::string, std::string, std::less<>> variables)
    : lookup_([vars = std::move(variables)](std::string_view name) -> std::optional<std::string> {
          auto it = vars.find(name);
          if (it == vars.end()) return std::nullopt;
          return it->second;
      }) {}

std::optional<std::string> Environment::get(std::string_view name) const {
    auto v = lookup_(name);
    if (v && v->empty()) return std::nullopt;
    return v;
}

}  // namespace bloop
