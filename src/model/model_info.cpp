#include <bloop/exceptions.hpp>
#include <bloop/model/model.hpp>
#include <bloop/model/model_info.hpp>

#include "util/ascii.hpp"

#include <algorithm>
#include <set>

namespace bloop {
namespace {

bool is_key_backing(const ColumnInfo& c) {
    return !c.dynamic && (c.backing == AttributeType::S || c.backing == AttributeType::N ||
                          c.backing == AttributeType::B);
}

// DynamoDB's rule for table and index names.
bool valid_resource_name(std::string_view name) {
    return name.size() >= 3 && name.size() <= 255 &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return detail::is_ascii_alnum(c) || c == '_' || c == '-' || c == '.';
           });
}

std::string quoted(const std::string& model, const std::string& member) {
    return "'" + model + "." + member + "'";
}

void check_units(const ModelInfo& m, const std::string& what,
                 const std::optional<std::int64_t>& units) {
    if (units && *units < 1) {
        throw InvalidModel(what + " of '" + m.name + "' must be at least 1, got " +
                           std::to_string(*units));
    }
}

void check_columns(const ModelInfo& m) {
    std::set<std::string, std::less<>> names;
    std::set<std::string, std::less<>> dynamo_names;
    for (const auto& c : m.columns) {
        if (c.name.empty()) throw InvalidModel("'" + m.name + "' has a column without a name");
        if (c.dynamo_name.empty())
            throw InvalidModel(quoted(m.name, c.name) + " has an empty dynamo_name");
        if (!names.insert(c.name).second) {
            throw InvalidModel("'" + m.name + "' has two columns named '" + c.name + "'");
        }
        if (!dynamo_names.insert(c.dynamo_name).second) {
            throw InvalidModel("'" + m.name + "' has two columns stored as '" + c.dynamo_name +
                               "'");
        }
    }
}

void resolve_keys(ModelInfo& m) {
    for (std::size_t i = 0; i < m.columns.size(); ++i) {
        const auto& c = m.columns[i];
        if (c.hash_key && c.range_key)
            throw InvalidModel("'" + m.name + "' has the same hash and range key.");
        if (c.hash_key) {
            if (m.hash_key) throw InvalidModel("'" + m.name + "' has more than one hash key.");
            m.hash_key = i;
        }
        if (c.range_key) {
            if (m.range_key) throw InvalidModel("'" + m.name + "' has more than one range key.");
            m.range_key = i;
        }
    }
    if (!m.hash_key) throw InvalidModel("'" + m.name + "' has no hash key.");
    for (const auto key : m.key_columns()) {
        const auto& c = m.columns[key];
        if (!is_key_backing(c)) {
            throw InvalidModel(
                quoted(m.name, c.name) + " cannot be a key: it is stored as " +
                (c.dynamic ? std::string("any type") : std::string(to_string(c.backing))) +
                " (keys must be S, N or B)");
        }
    }
}

std::size_t index_column(const ModelInfo& m, const IndexInfo& ix, const std::string& column) {
    const auto found = m.column_index(column);
    if (!found) {
        throw InvalidIndex(quoted(m.name, ix.name) + " names '" + column +
                           "', which is not a column of '" + m.name + "'");
    }
    return *found;
}

std::size_t index_key(const ModelInfo& m, const IndexInfo& ix, const std::string& column) {
    const std::size_t i = index_column(m, ix, column);
    if (!is_key_backing(m.columns[i])) {
        throw InvalidIndex(
            quoted(m.name, ix.name) + " cannot use '" + column + "' as a key: it is stored as " +
            std::string(to_string(m.columns[i].backing)) + " (keys must be S, N or B)");
    }
    return i;
}

void resolve_index(const ModelInfo& m, IndexInfo& ix) {
    const std::string label = quoted(m.name, ix.name);
    if (ix.kind == IndexKind::local) {
        if (!ix.hash_key_column.empty())
            throw InvalidIndex("An LSI shares its hash key with the Model.");
        if (ix.read_units || ix.write_units) {
            throw InvalidIndex("An LSI shares its provisioned throughput with the Model.");
        }
        if (!m.range_key) throw InvalidIndex("An LSI requires the Model to have a range key.");
        if (ix.range_key_column.empty()) throw InvalidIndex(label + " has no range key.");
        ix.hash_key = m.hash_key;
    } else {
        if (ix.hash_key_column.empty()) throw InvalidIndex(label + " has no hash key.");
        if (!ix.strict) throw InvalidIndex(label + " is a GSI, and a GSI is always strict.");
        if ((ix.read_units && *ix.read_units < 1) || (ix.write_units && *ix.write_units < 1)) {
            throw InvalidIndex("units of " + label + " must be at least 1");
        }
        ix.hash_key = index_key(m, ix, ix.hash_key_column);
    }
    if (!ix.range_key_column.empty()) ix.range_key = index_key(m, ix, ix.range_key_column);
    if (!ix.more_hash_columns.empty() || !ix.more_range_columns.empty()) {
        if (ix.kind == IndexKind::local)
            throw InvalidIndex(label + ": only a GSI can have a multi-attribute key");
        if (ix.more_hash_columns.size() > 3 || ix.more_range_columns.size() > 3) {
            throw InvalidIndex(label + " has more than 4 hash or 4 range key attributes");
        }
        if (!ix.more_range_columns.empty() && ix.range_key_column.empty())
            throw InvalidIndex(label + " has further range key attributes but no first one");
    }
    ix.more_hash_keys.clear();
    ix.more_range_keys.clear();
    for (const auto& c : ix.more_hash_columns) ix.more_hash_keys.push_back(index_key(m, ix, c));
    for (const auto& c : ix.more_range_columns) ix.more_range_keys.push_back(index_key(m, ix, c));
    {
        std::set<std::size_t> distinct;
        for (const auto k : ix.hash_keys()) distinct.insert(k);
        for (const auto k : ix.range_keys()) distinct.insert(k);
        if (distinct.size() != ix.hash_keys().size() + ix.range_keys().size())
            throw InvalidIndex(label + " names one column twice in its key");
    }

    std::set<std::size_t> included;
    if (ix.projection_mode == ProjectionMode::all) {
        for (std::size_t i = 0; i < m.columns.size(); ++i) {
            if (!m.columns[i].absent) included.insert(i);
        }
    } else {
        for (const auto key : m.key_columns()) included.insert(key);
        for (const auto key : ix.hash_keys()) included.insert(key);
        for (const auto key : ix.range_keys()) included.insert(key);
        if (ix.projection_mode == ProjectionMode::include) {
            for (const auto& c : ix.include_columns) included.insert(index_column(m, ix, c));
        }
    }
    std::erase_if(included, [&](std::size_t i) { return m.columns[i].absent; });
    ix.projection.mode = ix.projection_mode;
    ix.projection.strict = ix.strict;
    ix.projection.included.assign(included.begin(), included.end());
    if (ix.strict) {
        ix.projection.available = ix.projection.included;
    } else {
        ix.projection.available.clear();
        for (std::size_t i = 0; i < m.columns.size(); ++i) {
            if (!m.columns[i].absent) ix.projection.available.push_back(i);
        }
    }
}

}  // namespace

const ColumnInfo* ModelInfo::column(std::string_view column_name) const noexcept {
    const auto i = column_index(column_name);
    return i ? &columns[*i] : nullptr;
}

std::optional<std::size_t> ModelInfo::column_index(std::string_view column_name) const noexcept {
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (columns[i].name == column_name) return i;
    }
    return std::nullopt;
}

const IndexInfo* ModelInfo::index(std::string_view index_name) const noexcept {
    for (const auto& ix : indexes) {
        if (ix.name == index_name) return &ix;
    }
    return nullptr;
}

void finalize_model(ModelInfo& m) {
    if (m.name.empty()) throw InvalidModel("a model needs a name");
    if (m.table_name.empty()) m.table_name = m.name;
    check_columns(m);
    m.hash_key.reset();
    m.range_key.reset();
    const bool table = !m.document && !m.abstract;
    if (table) {
        resolve_keys(m);
        if (!valid_resource_name(m.table_name)) {
            throw InvalidModel(
                "'" + m.name + "' has table name '" + m.table_name +
                "': DynamoDB table names are 3-255 characters of a-z, A-Z, 0-9, '_', '-' and '.'");
        }
        check_units(m, "read_units", m.read_units);
        check_units(m, "write_units", m.write_units);
        if (m.billing == Billing::on_demand) {
            bool units = m.read_units || m.write_units;
            for (const auto& ix : m.indexes) units = units || ix.read_units || ix.write_units;
            if (units) {
                throw InvalidModel("'" + m.name +
                                   "' is billed on demand, so neither its table nor its GSIs "
                                   "take read_units or write_units");
            }
        }
        std::set<std::string, std::less<>> index_names;
        for (auto& ix : m.indexes) {
            if (ix.name.empty()) {
                throw InvalidIndex("'" + m.name +
                                   "' has an index without a name: name it "
                                   "(global_index(\"by_x\")) or list it by its member "
                                   "(bloop::indexes<&by_x>())");
            }
            if (ix.dynamo_name.empty()) ix.dynamo_name = ix.name;
            if (!valid_resource_name(ix.dynamo_name)) {
                throw InvalidIndex(quoted(m.name, ix.name) + " has index name '" + ix.dynamo_name +
                                   "': DynamoDB index names are 3-255 characters of a-z, A-Z, 0-9, "
                                   "'_', '-' and '.'");
            }
            if (!index_names.insert(ix.dynamo_name).second) {
                throw InvalidIndex("'" + m.name + "' has two indexes named '" + ix.dynamo_name +
                                   "'");
            }
            resolve_index(m, ix);
        }
    } else if (m.document && !m.indexes.empty()) {
        throw InvalidModel("'" + m.name + "' is a document (no table) and cannot have indexes");
    }

    m.projection.mode = ProjectionMode::all;
    m.projection.strict = true;
    m.projection.included.clear();
    for (std::size_t i = 0; i < m.columns.size(); ++i) {
        if (!m.columns[i].absent) m.projection.included.push_back(i);
    }
    m.projection.available = m.projection.included;

    m.dynamo_order = m.projection.included;
    std::sort(m.dynamo_order.begin(), m.dynamo_order.end(), [&](std::size_t a, std::size_t b) {
        return m.columns[a].dynamo_name < m.columns[b].dynamo_name;
    });
}

// ---- streams
// -------------------------------------------------------------------------------------

StreamView stream_view_from_include(std::initializer_list<std::string_view> include) {
    bool keys = false;
    bool new_image = false;
    bool old_image = false;
    if (include.size() == 0) throw InvalidStream("The stream's 'include' must not be empty.");
    for (const auto v : include) {
        if (v == "keys") {
            keys = true;
        } else if (v == "new") {
            new_image = true;
        } else if (v == "old") {
            old_image = true;
        } else {
            throw InvalidStream(
                "The stream's 'include' may only hold 'keys', 'new' and 'old', not '" +
                std::string(v) + "'.");
        }
    }
    if (keys && (new_image || old_image)) {
        throw InvalidStream("The stream's 'include' cannot combine 'keys' with 'new' or 'old'.");
    }
    if (keys) return StreamView::keys_only;
    if (new_image && old_image) return StreamView::new_and_old_images;
    return new_image ? StreamView::new_image : StreamView::old_image;
}

std::string_view stream_view_type(StreamView view) noexcept {
    switch (view) {
        case StreamView::keys_only: return "KEYS_ONLY";
        case StreamView::new_image: return "NEW_IMAGE";
        case StreamView::old_image: return "OLD_IMAGE";
        case StreamView::new_and_old_images: return "NEW_AND_OLD_IMAGES";
    }
    return "";
}

StreamView stream_view_from_type(std::string_view type) {
    for (const auto v : {StreamView::keys_only, StreamView::new_image, StreamView::old_image,
                         StreamView::new_and_old_images}) {
        if (stream_view_type(v) == type) return v;
    }
    throw InvalidStream("unknown StreamViewType '" + std::string(type) + "'");
}

Signal<const ModelInfo&>& model_created() {
    static Signal<const ModelInfo&> signal;
    return signal;
}

// ---- object state
// --------------------------------------------------------------------------------

void ObjectState::mark_known(std::span<const std::size_t> columns) {
    if (columns.empty()) return;
    // Grown once to the highest column, not once per column.
    const std::size_t top = *std::max_element(columns.begin(), columns.end());
    if (top >= known_.size()) known_.resize(top + 1, false);
    for (const auto c : columns) known_[c] = true;
}

void ObjectState::mark_unknown(std::span<const std::size_t> columns) {
    for (const auto c : columns) {
        if (c < known_.size()) known_[c] = false;
    }
}

void ObjectState::forget() noexcept {
    known_.clear();
    snapshot_.reset();
    baseline_.clear();
}

}  // namespace bloop
