#pragma once
/// \file
/// `bloop::PythonBinary`: bytes stored the way Python bloop stores its `Binary` column, so tables
/// shared with Python bloop read and write the same values (see docs/types.md).

#include <bloop/types/attribute_value.hpp>
#include <bloop/exceptions.hpp>
#include <bloop/types/type_traits.hpp>

#include <optional>
#include <string>
#include <utility>

namespace bloop {

/// Raw bytes, stored as Python bloop (through boto3) stores a Binary column: the B attribute holds
/// the base64 *text* of the bytes (bloop encodes, then boto3 encodes again for the wire). Use it
/// for columns Python bloop also reads or writes; plain `Binary` stores the bytes themselves.
class PythonBinary : public Binary {
  public:
    using Binary::Binary;
    PythonBinary() = default;
    /// The same bytes.
    explicit PythonBinary(Binary bytes) : Binary(std::move(bytes)) {}
};

/// PythonBinary ↔ B holding base64 text. Empty is no value; a stored value that is not base64
/// (written by something other than Python bloop) fails to load with InvalidValue.
template <>
struct TypeTraits<PythonBinary> {
    static constexpr AttributeType backing = AttributeType::B;
    static std::optional<AttributeValue> dump(const PythonBinary& v) {
        if (v.empty()) return std::nullopt;
        return AttributeValue::binary(Binary(v.to_base64()));
    }
    static PythonBinary load(AttributeValue&& v) {
        try {
            return PythonBinary(Binary::from_base64(v.as_binary().bytes()));
        } catch (const InvalidArgument&) {
            throw InvalidValue(
                "a PythonBinary column holds bytes that are not base64 text (Python bloop "
                "stores base64 text; was it written as a plain Binary?)");
        }
    }
    static PythonBinary missing() { return {}; }
};

}  // namespace bloop
