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

/// The facts of one request body.
struct RequestFacts {
    std::vector<std::string> tables;
    std::string index;
    std::int64_t limit = -1;
    std::string select;
    std::string projection;
};

/// Reads `body` (a request of `op`) for its facts; a body it cannot read yields what was read.
RequestFacts request_facts(Operation op, std::string_view body);

/// Whether `op` takes ReturnConsumedCapacity.
bool reports_capacity(Operation op) noexcept;

/// `body` asking for ReturnConsumedCapacity INDEXES, unless it already names a
/// ReturnConsumedCapacity of its own; whether it was added.
bool ask_for_capacity(std::string& body);

/// The capacity `answer` (of `op`) reports, per table and index; empty when it reports none.
/// With `strip`, the ConsumedCapacity member is taken out of the answer (it was asked for by
/// telemetry, not by the caller).
std::vector<CapacityUse> consumed_capacity(Operation op, std::string& answer, bool strip);

}  // namespace bloop::detail
