#include <bloop/exceptions.hpp>
#include <bloop/json/json.hpp>

#include "engine/core.hpp"
#include "model/value_context.hpp"
#include "engine/mapper_call.hpp"
#include "util/utf8.hpp"

namespace bloop {

Engine::Engine() : Engine(Client()) {}

Engine::Engine(EngineOptions options) : Engine(Client(options.client), options) {}

Engine::Engine(Client client)
    : core_(std::make_unique<detail::EngineCore>(
          *this, std::move(client), EngineOptions::default_bind_timeout, std::string())) {}

Engine::Engine(Client client, EngineOptions options)
    : core_(std::make_unique<detail::EngineCore>(*this, std::move(client), options.bind_timeout,
                                                 std::move(options.table_name_template))) {
    const auto& t = core_->table_name_template;
    if (!t.empty() && t.find("{table_name}") == std::string::npos) {
        throw InvalidConfiguration("table_name_template \"" + t + "\" has no {table_name}");
    }
}

Engine::~Engine() = default;

const Client& Engine::client() const noexcept {
    return core_->client;
}

namespace detail {

EngineCore& EngineAccess::core(Engine& engine) noexcept {
    return *engine.core_;
}

std::string EngineCore::table_name(const ModelInfo& model) const {
    if (table_name_template.empty()) return model.table_name;
    std::string name = table_name_template;
    for (auto at = name.find("{table_name}"); at != std::string::npos;
         at = name.find("{table_name}", at)) {
        name.replace(at, 12, model.table_name);
        at += model.table_name.size();
    }
    return name;
}

std::shared_ptr<const Binding> EngineCore::bound(const ModelInfo& model) const {
    std::lock_guard lock(mutex);
    const auto it = bindings.find(&model);
    if (it == bindings.end()) {
        throw UnboundModel("'" + model.name + "' is not bound to this engine; call engine.bind<" +
                           model.name + ">()");
    }
    return it->second;
}

Binding binding_of(const EngineCore& core, const ModelInfo& model) {
    return *core.bound(model);
}

std::future<void> run_async(EngineCore& core, std::function<void()> task) {
    auto job = std::make_shared<std::packaged_task<void()>>(std::move(task));
    std::future<void> done = job->get_future();
    std::call_once(core.async_once,
                   [&] { core.async = std::make_unique<Executor>(core.client.max_in_flight()); });
    core.async->submit([job, context = current_context()] {  // its spans under the caller's
        const Carried carried(context);
        (*job)();
    });
    return done;
}

std::string describe_object(const ModelInfo& model, const void* object) {
    std::string out = model.name + "(";
    bool first = true;
    for (const auto key : model.key_columns()) {
        const ColumnInfo& c = model.columns[key];
        if (!first) out += ", ";
        first = false;
        out += c.name + "=";
        try {
            if (const auto value = detail::ModelAccess::dump(c, object)) {
                out += repr(*value);
            } else {
                out += "(missing)";
            }
        } catch (const InvalidArgument&) {
            out += "(invalid)";  // the error that follows says why
        }
    }
    return out + ")";
}

namespace {
// Throws InvalidValue when a string anywhere in `v` is not UTF-8 (DynamoDB would answer 500).
void require_utf8(const AttributeValue& v) {
    const auto check = [](std::string_view s) {
        if (const auto at = detail::first_invalid_utf8(s); at != std::string_view::npos) {
            throw InvalidValue("a string is not valid UTF-8 (byte " + std::to_string(at) + " of " +
                               std::to_string(s.size()) + ")");
        }
    };
    switch (v.type()) {
        case AttributeType::S: check(v.as_string()); break;
        case AttributeType::SS:
            for (const auto& s : v.as_string_set()) check(s);
            break;
        case AttributeType::L:
            for (const auto& e : v.as_list()) require_utf8(e);
            break;
        case AttributeType::M:
            for (const auto& [name, e] : v.as_map()) {
                check(name);
                require_utf8(e);
            }
            break;
        default: break;
    }
}
}  // namespace

std::optional<AttributeValue> dump_for_write(const ModelInfo& model, std::size_t column,
                                             const void* object) {
    const ColumnInfo& c = model.columns[column];
    return with_context([&] { return describe_object(model, object) + "." + c.name + ": "; },
                        [&] {
                            auto value = detail::ModelAccess::dump(c, object);
                            if (value) require_utf8(*value);
                            return value;
                        });
}

Item key_of(const ModelInfo& model, const void* object) {
    Item key;
    const auto keys = model.key_columns();
    for (std::size_t k = 0; k < keys.size(); ++k) {
        const ColumnInfo& c = model.columns[keys[k]];
        auto value = dump_for_write(model, keys[k], object);
        if (!value) {
            throw MissingKey(describe_object(model, object) + " is missing its " +
                             (k == 0 ? "hash" : "range") + " key '" + c.name + "'");
        }
        key.insert_or_assign(c.dynamo_name, std::move(*value));
    }
    return key;
}

namespace {
std::string normalised_number(const std::string& text) {
    const Decimal d(text);
    if (d.is_zero()) return "0";
    std::string digits = d.coefficient();
    int exponent = d.exponent();
    while (digits.size() > 1 && digits.back() == '0') {
        digits.pop_back();
        ++exponent;
    }
    return (d.is_negative() ? "-" : "") + digits + "e" + std::to_string(exponent);
}
}  // namespace

Item key_in(const ModelInfo& model, const Item& item) {
    Item key;
    for (const auto k : model.key_columns()) {
        const auto found = item.find(model.columns[k].dynamo_name);
        if (found != item.end()) key.insert_or_assign(found->first, found->second);
    }
    return key;
}

std::string canonical_key(const Item& key) {
    Item canonical;
    for (const auto& [name, value] : key) {
        canonical.insert_or_assign(
            name, value.type() == AttributeType::N
                      ? AttributeValue::number(normalised_number(value.as_number()))
                      : value);
    }
    std::string out;
    json::write_item(out, canonical);
    return out;
}

std::string item_id(const std::string& table, const Item& key) {
    return table + '\n' + canonical_key(key);
}

std::string models_of(std::span<const ObjectRef> objects) {
    if (!objects.empty() && std::all_of(objects.begin(), objects.end(), [&](const ObjectRef& r) {
            return r.model == objects.front().model;
        })) {
        return objects.front().model->name;  // the common case: one model
    }
    std::vector<const ModelInfo*> models;
    models.reserve(objects.size());
    for (const ObjectRef& ref : objects) models.push_back(ref.model);
    return model_names(models);
}

void require_concrete(const ModelInfo& model) {
    if (model.abstract) throw InvalidModel("'" + model.name + "' is abstract.");
}

MissingObjects missing_objects(std::span<const ObjectRef> missing) {
    std::string names;
    std::vector<ObjectIdentity> objects;
    for (const auto& ref : missing) {
        names += (names.empty() ? "" : ", ") + describe_object(*ref.model, ref.object);
        objects.push_back(IdentityAccess::of(ref.object));
    }
    return MissingObjects("Failed to load some objects: " + names, std::move(objects));
}

}  // namespace detail

std::unique_ptr<StreamCoordinator> Engine::coordinator_of(const ModelInfo& m,
                                                          const StreamPosition& position) {
    const std::string arn = m.abstract ? std::string() : detail::binding_of(*core_, m).stream_arn;
    if (!m.stream || arn.empty()) {
        throw InvalidStream("<Model[" + m.name +
                            "]> does not have a stream arn (bind it, with a stream in its Meta)");
    }
    auto coordinator = std::make_unique<StreamCoordinator>(
        client_streams_api(client()), arn, client().log_listener(), client().telemetry());
    position.apply(*coordinator);
    coordinator->start_refresher();  // iterators stay alive even when nobody calls next()
    return coordinator;
}

}  // namespace bloop
