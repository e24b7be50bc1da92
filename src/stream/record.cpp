// Stream records' sequence numbers.

#include "stream/record.hpp"

#include <algorithm>
#include <string_view>

namespace bloop::detail {

// Sequence numbers are decimal digit strings of any length: compare them as integers.
bool sequence_less(const std::string& a, const std::string& b) {
    const auto skip = [](const std::string& s) {
        return std::min(s.find_first_not_of('0'), s.size());
    };
    const std::string_view x = std::string_view(a).substr(skip(a));
    const std::string_view y = std::string_view(b).substr(skip(b));
    return x.size() != y.size() ? x.size() < y.size() : x < y;
}

}  // namespace bloop::detail
