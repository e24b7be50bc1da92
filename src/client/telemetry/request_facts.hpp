#pragma once
// What telemetry reads off a request and its answer without parsing either whole: the tables,
// index, Limit, Select and projection a request names, and the capacity an answer reports.
// Nothing of an item is read.

#include <bloop/client/operation.hpp>
#include <bloop/telemetry/telemetry.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace bloop::detail {

/// Reads `body` (a request of `op`) into `event`'s tables, index, limit, select and projection
/// (the strings it held before are overwritten in place, keeping their storage); a body it cannot
/// read yields what was read.
void read_request(Operation op, std::string_view body, RequestEvent& event);

/// Whether `op` takes ReturnConsumedCapacity.
bool reports_capacity(Operation op) noexcept;

/// `body` asking for ReturnConsumedCapacity INDEXES, unless it already names a
/// ReturnConsumedCapacity of its own; whether it was added.
bool ask_for_capacity(std::string& body);

/// The capacity `answer` (of `op`) reports, per table and index, into `uses` (whose elements are
/// overwritten in place; empty when it reports none). With `strip`, the ConsumedCapacity member is
/// taken out of the answer (it was asked for by telemetry, not by the caller).
void consumed_capacity(Operation op, std::string& answer, bool strip,
                       std::vector<CapacityUse>& uses);

/// The next element of `list` of which `used` are in use: an earlier call's, overwritten (its
/// strings keep their storage), or a new one.
template <class T>
T& next_element(std::vector<T>& list, std::size_t& used) {
    if (used == list.size()) list.emplace_back();
    return list[used++];
}

}  // namespace bloop::detail
