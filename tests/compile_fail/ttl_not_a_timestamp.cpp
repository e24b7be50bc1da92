// Must not compile: see tests/CMakeLists.txt for the expected diagnostic.
#include "structs.hpp"

template <>
struct bloop::Model<Versioned> {
    static constexpr Meta meta{};
    static constexpr auto hash_key = &Versioned::id;
    static constexpr auto ttl = &Versioned::label;  // a string, not a Timestamp
};
const auto& info = bloop::model_info<Versioned>();
