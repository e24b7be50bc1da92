#include "engine/applied.hpp"

#include <bloop/types/decimal.hpp>

#include <algorithm>

namespace bloop::detail {
namespace {

bool same_number(const std::string& a, const std::string& b) {
    return a == b || Decimal(a) == Decimal(b);
}

bool same_number_set(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    if (a.size() != b.size()) return false;
    std::vector<Decimal> x(a.begin(), a.end()), y(b.begin(), b.end());
    std::sort(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    return x == y;
}

}  // namespace

bool stores_as(const AttributeValue& sent, const AttributeValue& stored) {
    if (sent.type() != stored.type()) return false;
    switch (sent.type()) {
        case AttributeType::N: return same_number(sent.as_number(), stored.as_number());
        case AttributeType::NS:
            return same_number_set(sent.as_number_set(), stored.as_number_set());
        case AttributeType::L: {
            const auto& a = sent.as_list();
            const auto& b = stored.as_list();
            if (a.size() != b.size()) return false;
            for (std::size_t i = 0; i < a.size(); ++i)
                if (!stores_as(a[i], b[i])) return false;
            return true;
        }
        case AttributeType::M: {
            const auto& a = sent.as_map();
            const auto& b = stored.as_map();
            if (a.size() != b.size()) return false;
            for (const auto& [name, value] : a) {
                const auto found = b.find(name);
                if (found == b.end() || !stores_as(value, found->second)) return false;
            }
            return true;
        }
        default: return sent == stored;
    }
}

bool save_in_place(const WriteEffect& effect, const Item* stored) {
    if (stored == nullptr) return false;  // a save always leaves an item
    for (const auto& [name, value] : effect.set) {
        const auto found = stored->find(name);
        if (found == stored->end() || !stores_as(value, found->second)) return false;
    }
    for (const auto& name : effect.removed)
        if (stored->find(name) != stored->end()) return false;
    return true;
}

}  // namespace bloop::detail
