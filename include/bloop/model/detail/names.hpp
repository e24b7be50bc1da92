#pragma once
// Names deduced at compile time from __PRETTY_FUNCTION__ (g++ and clang spell it
// "... [with auto M = &ns::Account::id; ...]" and "... [with T = ns::Account; ...]").

#include <string_view>

namespace bloop::detail {

constexpr std::string_view pretty_argument(std::string_view pretty, std::string_view marker) {
    const auto start = pretty.find(marker) + marker.size();
    const auto end = pretty.find_first_of(";]", start);
    return pretty.substr(start, end - start);
}

/// The part after the last "::" that is not inside template arguments.
constexpr std::string_view unqualified(std::string_view name) {
    int depth = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (name[i] == '<') ++depth;
        if (name[i] == '>') --depth;
        if (depth == 0 && name[i] == ':' && i + 1 < name.size() && name[i + 1] == ':')
            start = i + 2;
    }
    return name.substr(start);
}

/// "id" for &ns::Account::id.
template <auto Member>
constexpr std::string_view member_name() {
    return unqualified(pretty_argument(__PRETTY_FUNCTION__, "Member = &"));
}

/// "Account" for ns::Account.
template <class T>
constexpr std::string_view type_name() {
    return unqualified(pretty_argument(__PRETTY_FUNCTION__, "T = "));
}

}  // namespace bloop::detail
