#include <bloop/types/attribute_value.hpp>

#include <algorithm>
#include <stdexcept>

namespace bloop {
namespace {
bool name_less(const AttributeMap::value_type& entry, std::string_view name) {
    return entry.first < name;
}
}  // namespace

AttributeMap::AttributeMap(std::initializer_list<value_type> entries) {
    entries_.reserve(entries.size());
    for (const auto& e : entries) emplace(e.first, e.second);
}

AttributeMap AttributeMap::from_entries(container_type entries) {
    AttributeMap m;
    m.entries_ = std::move(entries);
    auto& v = m.entries_;
    if (std::is_sorted(
            v.begin(), v.end(),
            [](const value_type& a, const value_type& b) { return a.first < b.first; }) &&
        std::adjacent_find(v.begin(), v.end(), [](const value_type& a, const value_type& b) {
            return a.first == b.first;
        }) == v.end()) {
        return m;
    }
    std::stable_sort(v.begin(), v.end(),
                     [](const value_type& a, const value_type& b) { return a.first < b.first; });
    // Keep the last of each run of equal names.
    auto out = v.begin();
    for (auto it = v.begin(); it != v.end();) {
        auto last = it;
        while (std::next(last) != v.end() && std::next(last)->first == it->first) ++last;
        if (out != last) *out = std::move(*last);
        ++out;
        it = std::next(last);
    }
    v.erase(out, v.end());
    return m;
}

AttributeMap AttributeMap::from_sorted_entries(container_type entries) {
    AttributeMap m;
    m.entries_ = std::move(entries);
    return m;
}

AttributeMap::iterator AttributeMap::lower_bound(std::string_view name) noexcept {
    return std::lower_bound(entries_.begin(), entries_.end(), name, name_less);
}

AttributeMap::iterator AttributeMap::find(std::string_view name) noexcept {
    auto it = lower_bound(name);
    return it != entries_.end() && it->first == name ? it : entries_.end();
}

AttributeMap::const_iterator AttributeMap::find(std::string_view name) const noexcept {
    return const_cast<AttributeMap*>(this)->find(name);
}

bool AttributeMap::contains(std::string_view name) const noexcept {
    return find(name) != end();
}

AttributeMap::size_type AttributeMap::count(std::string_view name) const noexcept {
    return contains(name) ? 1 : 0;
}

AttributeMap::iterator AttributeMap::erase(const_iterator position) {
    return entries_.erase(position);
}

void AttributeMap::clear() noexcept {
    entries_.clear();
}

void AttributeMap::reserve(size_type n) {
    entries_.reserve(n);
}

AttributeValue& AttributeMap::at(std::string_view name) {
    auto it = find(name);
    if (it == end()) throw std::out_of_range("no attribute named \"" + std::string(name) + "\"");
    return it->second;
}

const AttributeValue& AttributeMap::at(std::string_view name) const {
    return const_cast<AttributeMap*>(this)->at(name);
}

AttributeValue& AttributeMap::operator[](std::string_view name) {
    return emplace(std::string(name), AttributeValue()).first->second;
}

std::pair<AttributeMap::iterator, bool> AttributeMap::insert_or_assign(std::string name,
                                                                       AttributeValue value) {
    auto it = lower_bound(name);
    if (it != entries_.end() && it->first == name) {
        it->second = std::move(value);
        return {it, false};
    }
    return {entries_.emplace(it, std::move(name), std::move(value)), true};
}

std::pair<AttributeMap::iterator, bool> AttributeMap::emplace(std::string name,
                                                              AttributeValue value) {
    auto it = lower_bound(name);
    if (it != entries_.end() && it->first == name) return {it, false};
    return {entries_.emplace(it, std::move(name), std::move(value)), true};
}

AttributeMap::size_type AttributeMap::erase(std::string_view name) {
    auto it = find(name);
    if (it == end()) return 0;
    entries_.erase(it);
    return 1;
}

bool operator==(const AttributeMap& a, const AttributeMap& b) {
    return a.entries_ == b.entries_;
}

}  // namespace bloop
