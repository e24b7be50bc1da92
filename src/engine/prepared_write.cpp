// Preparing one object's save, delete or condition check: the request, the snapshot and version
// conditions, and why such a condition failed.

#include "engine/prepared_write.hpp"

#include <bloop/conditions/render.hpp>
#include <bloop/exceptions.hpp>

#include "engine/core.hpp"

#include <algorithm>

namespace bloop::detail {
namespace {

// bloop's atomic condition: the stored item is as last loaded or saved. Known columns, by DynamoDB
// name, equal their snapshot (or are absent); never synced: every column absent.
Condition snapshot_condition(const ModelInfo& m, const ObjectState& state) {
    std::vector<Condition> parts;
    for (const std::size_t i : m.dynamo_order) {
        if (state.synced() && !state.known(i)) continue;
        const AttributeValue* stored = nullptr;
        if (state.synced()) {
            const auto found = state.snapshot()->find(m.columns[i].dynamo_name);
            if (found != state.snapshot()->end()) stored = &found->second;
        }
        if (stored != nullptr) {
            parts.push_back(
                Condition::compare(Condition::Op::eq, Path::of_column(m, i), {Operand(*stored)}));
        } else {
            parts.push_back(Condition::compare(Condition::Op::not_exists, Path::of_column(m, i)));
        }
    }
    if (parts.empty()) return {};
    if (parts.size() == 1) return std::move(parts.front());
    return Condition::group(Condition::Op::and_, std::move(parts));
}

// The version an object holds (0: never saved or loaded).
// A version attribute's integer; nullopt for anything else (another writer may store anything).
std::optional<std::int64_t> version_value(const AttributeValue& value) {
    if (value.type() != AttributeType::N) return std::nullopt;
    try {
        return std::stoll(value.as_number());
    } catch (const std::logic_error&) {
        return std::nullopt;
    }
}

std::int64_t version_of(const ModelInfo& m, const void* object) {
    const auto value = detail::ModelAccess::dump(m.columns[*m.version], object);
    return value ? version_value(*value).value_or(0) : 0;
}

// Optimistic locking: a new object (version 0) requires that no item exists (a save) or that the
// stored item has no version (a remove); a loaded one requires the stored version to be its own.
Condition version_condition(const ModelInfo& m, std::int64_t version, bool remove) {
    if (version == 0) {
        const std::size_t column = remove ? *m.version : *m.hash_key;
        return Condition::compare(Condition::Op::not_exists, Path::of_column(m, column));
    }
    return Condition::compare(Condition::Op::eq, Path::of_column(m, *m.version),
                              {Operand(AttributeValue::number(version))});
}

// Why a versioned write's condition failed, from the stored item; empty when the versions agree
// (then the caller's own condition failed).
std::string stale_reason(const ModelInfo& m, std::int64_t version, const AttributeMap* stored,
                         bool remove) {
    std::optional<std::int64_t> stored_version;
    if (stored != nullptr) {
        const auto found = stored->find(m.columns[*m.version].dynamo_name);
        if (found != stored->end()) stored_version = version_value(found->second);
    }
    if (version == 0) {
        if (stored == nullptr) return {};
        if (remove && !stored_version) return {};
        return "it was never loaded or saved (version 0), but the table holds it at version " +
               (stored_version ? std::to_string(*stored_version) : std::string("none"));
    }
    if (stored == nullptr)
        return "it has version " + std::to_string(version) + ", but the item no longer exists";
    if (stored_version == version) return {};
    return "it has version " + std::to_string(version) + ", but the table holds version " +
           (stored_version ? std::to_string(*stored_version) : std::string("none"));
}

// Whether one path is the other or lies within it.
bool overlap(const Path& a, const Path& b) {
    const std::size_t n = std::min(a.segments.size(), b.segments.size());
    return std::equal(a.segments.begin(), a.segments.begin() + static_cast<std::ptrdiff_t>(n),
                      b.segments.begin());
}

// Checks the update actions and adds them to `actions`; returns the columns they act on.
std::vector<std::size_t> add_actions(const ModelInfo& m, const void* object,
                                     std::span<const UpdateAction> given, UpdateActions& actions) {
    std::vector<std::size_t> acted;
    for (std::size_t i = 0; i < given.size(); ++i) {
        const UpdateAction& a = given[i];
        const std::string where = describe_object(m, object) + "." + a.path.to_string();
        if (a.path.model != &m || a.path.column >= m.columns.size()) {
            throw InvalidUpdate(std::string(action_name(a.kind)) + " on " + a.path.to_string() +
                                ", which is not a column of '" + m.name + "'");
        }
        const ColumnInfo& c = m.columns[a.path.column];
        if (c.hash_key || c.range_key) {
            throw InvalidUpdate(where + ": " + action_name(a.kind) +
                                " on a key column (a key is never changed by a save)");
        }
        if (m.version == a.path.column) {
            throw InvalidUpdate(where + ": " + action_name(a.kind) +
                                " on the version column, which bloop writes itself");
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (overlap(given[j].path, a.path)) {
                throw InvalidUpdate(where + ": two update actions on one column (" +
                                    action_name(given[j].kind) + " on " +
                                    given[j].path.to_string() + " and " + action_name(a.kind) +
                                    " on " + a.path.to_string() + ")");
            }
        }
        acted.push_back(a.path.column);
        if (a.kind == UpdateAction::Kind::remove) {
            actions.remove.push_back(a.path);
            continue;
        }
        if (!a.value) {
            throw InvalidUpdate(where + ": " + action_name(a.kind) +
                                " needs a value (an empty set or list, or no value, has none)");
        }
        const AttributeValue& value = *a.value;
        switch (a.kind) {
            case UpdateAction::Kind::add: actions.add.emplace_back(a.path, value); break;
            case UpdateAction::Kind::remove_from:
                actions.remove_elements.emplace_back(a.path, value);
                break;
            case UpdateAction::Kind::append: actions.append.emplace_back(a.path, value); break;
            case UpdateAction::Kind::prepend: actions.prepend.emplace_back(a.path, value); break;
            case UpdateAction::Kind::set_if_missing:
                actions.set_if_missing.emplace_back(a.path, value);
                break;
            case UpdateAction::Kind::remove: break;  // above
        }
    }
    std::sort(acted.begin(), acted.end());
    acted.erase(std::unique(acted.begin(), acted.end()), acted.end());
    return acted;
}

const char* return_values(Sync sync, WriteKind kind, const ModelInfo& m, const void* object) {
    switch (sync) {
        case Sync::none: return nullptr;
        case Sync::before: return "ALL_OLD";
        case Sync::after:
            if (kind == WriteKind::remove) {
                throw InvalidUpdate("a delete of " + describe_object(m, object) +
                                    " leaves no item to sync with after it: use Sync::before");
            }
            return "ALL_NEW";
    }
    return nullptr;
}

PreparedWrite prepare_one(const ObjectRef& ref, const Binding& binding, const WriteSpec& spec,
                          WriteKind kind) {
    const bool remove = kind == WriteKind::remove;
    const bool check = kind == WriteKind::check;
    const ModelInfo& m = *ref.model;
    const Condition& condition = spec.condition;
    const bool atomic = spec.atomic;
    if (!spec.actions.empty() && kind != WriteKind::save) {
        throw InvalidUpdate("update actions belong to a save; the " +
                            std::string(remove ? "delete" : "check") + " of " +
                            describe_object(m, ref.object) + " has " +
                            std::to_string(spec.actions.size()));
    }
    PreparedWrite p{ref, kind, {}, {}, {}, {}, std::nullopt, spec.sync};
    const std::string& table = binding.table_name;
    Item key = key_of(m, ref.object);
    ObjectState* state = detail::ModelAccess::state(m, ref.object);
    Condition full = condition;
    if (atomic) {
        if (state == nullptr) {
            throw InvalidModel("an atomic " +
                               std::string(remove  ? "delete"
                                           : check ? "check"
                                                   : "save") +
                               " of '" + m.name + "' needs an ObjectState member (Model<" + m.name +
                               ">::state)");
        }
        full = std::move(full) && snapshot_condition(m, *state);
    }
    if (m.version && !check) {  // a check tests only what it is given
        p.version = version_of(m, ref.object);
        full = std::move(full) && version_condition(m, *p.version, remove);
    }
    Renderer r;
    // The condition first, so its placeholders get the lower numbers (as bloop's).
    std::string condition_text = r.condition(full).value_or(std::string());
    std::string update_text;
    if (kind == WriteKind::save) {
        UpdateActions actions;
        actions.set.reserve(m.columns.size());
        p.acted = add_actions(m, ref.object, spec.actions, actions);
        for (const auto& a : spec.actions) {
            if (a.kind == UpdateAction::Kind::remove && a.path.is_column())
                p.effect.removed.push_back(m.columns[a.path.column].dynamo_name);
        }
        p.written.reserve(m.columns.size());
        for (const auto column : m.key_columns()) p.written.push_back(column);
        // The columns set below follow the actions' own SETs; their values become the effect once
        // rendered (moved, not copied: a save's values are its largest part).
        const std::size_t first_column_set = actions.set.size();
        for (const std::size_t i : m.dynamo_order) {
            const ColumnInfo& c = m.columns[i];
            if (c.hash_key || c.range_key) continue;
            // The actions decide these columns' stored values.
            if (std::binary_search(p.acted.begin(), p.acted.end(), i)) continue;
            if (m.version == i) {
                actions.set.emplace_back(Path::of_column(m, i),
                                         AttributeValue::number(*p.version + 1));
                p.written.push_back(i);
                continue;
            }
            auto value = dump_for_write(m, i, ref.object);
            // Without an ObjectState the object is its item's whole truth: every column is known.
            const bool known = state == nullptr || state->known(i);
            if (!known && value && state != nullptr && state->synced()) {
                // Not fetched by the last load: write it only if it was changed since.
                const auto before = state->baseline().find(c.dynamo_name);
                if (before != state->baseline().end() && before->second == *value) continue;
            }
            if (value) {
                actions.set.emplace_back(Path::of_column(m, i), std::move(*value));
                p.written.push_back(i);
            } else if (known) {
                p.effect.removed.push_back(c.dynamo_name);
                actions.remove.push_back(Path::of_column(m, i));
                p.written.push_back(i);
            }
        }
        std::sort(p.written.begin(), p.written.end());
        update_text = r.update(actions).value_or(std::string());
        Item::container_type effect;
        effect.reserve(actions.set.size() - first_column_set);
        for (std::size_t j = first_column_set; j < actions.set.size(); ++j) {
            auto& [path, value] = actions.set[j];
            effect.emplace_back(m.columns[path.column].dynamo_name, std::move(value));
        }
        p.effect.set = Item::from_entries(std::move(effect));
    }
    const char* returned = return_values(spec.sync, kind, m, ref.object);
    // A failed condition returns the stored item: it tells a stale object from a failed condition,
    // and a true violation from a retry that met its own earlier, unanswered write.
    const char* old_on_failure = condition_text.empty() ? "" : "ALL_OLD";
    switch (kind) {
        case WriteKind::save:
            p.request = wire::UpdateItem{table,
                                         std::move(key),
                                         std::move(update_text),
                                         std::move(condition_text),
                                         r.take_attributes(),
                                         returned != nullptr ? returned : "",
                                         old_on_failure};
            break;
        case WriteKind::remove:
            p.request = wire::DeleteItem{table,
                                         std::move(key),
                                         std::move(condition_text),
                                         r.take_attributes(),
                                         returned != nullptr ? returned : "",
                                         old_on_failure};
            break;
        case WriteKind::check:
            p.request = wire::ConditionCheck{table, std::move(key), std::move(condition_text),
                                             r.take_attributes(), old_on_failure};
            break;
    }
    return p;
}

}  // namespace

PreparedWrite prepare_write(const ObjectRef& ref, const Binding& binding, const WriteSpec& spec,
                            WriteKind kind) {
    require_concrete(*ref.model);
    return prepare_one(ref, binding, spec, kind);
}

ConditionFailure condition_failure(const PreparedWrite& p, const AttributeMap* stored) {
    const ModelInfo& m = *p.ref.model;
    const std::string stale =
        p.version ? stale_reason(m, *p.version, stored, p.kind == WriteKind::remove) : "";
    if (!stale.empty()) return {true, describe_object(m, p.ref.object) + " is stale: " + stale};
    return {false, "The condition was not met for " + describe_object(m, p.ref.object)};
}

bool mark_written(PreparedWrite& p, Item* returned) {
    const ModelInfo& m = *p.ref.model;
    switch (p.kind) {
        case WriteKind::save:
            if (p.version)
                detail::ModelAccess::load(m.columns[*m.version], p.ref.object,
                                          AttributeValue::number(*p.version + 1));
            sync_state(m, p.ref.object, p.written, p.acted, &p.effect.set);
            if (returned == nullptr) return false;
            load_and_sync(m, p.ref.object, std::move(*returned), m.projection.available);
            return true;
        case WriteKind::remove:
            if (returned != nullptr)
                load_columns(m, p.ref.object, std::move(*returned), m.projection.available);
            if (m.state) detail::ModelAccess::state(m, p.ref.object)->forget();
            // Deleted: saving it again creates it anew.
            if (p.version)
                detail::ModelAccess::load(m.columns[*m.version], p.ref.object,
                                          AttributeValue::number(0));
            return returned != nullptr;
        case WriteKind::check: return false;
    }
    return false;
}

}  // namespace bloop::detail
