#pragma once
// Stream records' sequence numbers (a record itself is read by wire::decode_record).

#include <string>

namespace bloop::detail {

/// Whether sequence number `a` comes before `b` (decimal digit strings of any length).
[[nodiscard]] bool sequence_less(const std::string& a, const std::string& b);

}  // namespace bloop::detail
