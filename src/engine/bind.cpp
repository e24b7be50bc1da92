// Engine::bind: create the table, wait until ACTIVE, validate it against the model.

#include <bloop/exceptions.hpp>

#include "engine/core.hpp"
#include "engine/migration.hpp"
#include "engine/table_shape.hpp"
#include "engine/mapper_call.hpp"

#include <algorithm>
#include <set>
#include <thread>

namespace bloop {

using detail::active;
using detail::create_table_request;
using detail::differences;
using detail::units;

namespace {

BindReport bind_now(detail::EngineCore& core, std::span<const ModelInfo* const> models,
                    const BindOptions& options) {
    // bloop's order: for each model, before_create_table then CreateTable (not waiting); then for
    // each, wait until ACTIVE, validate, model_validated and model_bound.
    std::vector<const ModelInfo*> concrete;
    for (const ModelInfo* m : models) {
        if (!m->abstract && !m->document) concrete.push_back(m);
    }
    BindReport report;
    const auto changed = [&](const std::string& table, const std::string& what) {
        report.changes.push_back(table + ": " + what);
        const LogListener& log = core.client.log_listener();
        if (log) log(LogLevel::info, "bind: " + report.changes.back());
    };
    detail::check_shared_tables(concrete);
    std::vector<Binding> bindings(concrete.size());
    std::vector<bool> created(concrete.size(), false);
    for (std::size_t i = 0; i < concrete.size(); ++i) {
        const ModelInfo& m = *concrete[i];
        core.engine.before_create_table.emit({core.engine, m});
        bindings[i].table_name = core.table_name(m);
        if (options.skip_table_setup) continue;
        // Models of one shared table: the first creates it, the others validate it.
        bool shared = false;
        for (std::size_t j = 0; j < i; ++j) {
            if (bindings[j].table_name == bindings[i].table_name) {
                created[i] = created[j];
                shared = true;
            }
        }
        if (shared) continue;
        try {
            // An existing table is the usual case, not a failure worth a warning.
            (void)core.client.call_raw(
                Operation::CreateTable,
                detail::wire::encode(create_table_request(m, bindings[i].table_name)),
                {.expected_errors = {"ResourceInUseException"}});
            created[i] = true;
            changed(bindings[i].table_name, "created the table");
        } catch (const ResourceInUse&) {
            // The table exists: validate it below.
        }
    }
    const auto deadline = std::chrono::steady_clock::now() + core.bind_timeout;
    for (std::size_t i = 0; i < concrete.size(); ++i) {
        const ModelInfo& m = *concrete[i];
        Binding& binding = bindings[i];
        if (!options.skip_table_setup) {
            const auto wait_active = [&] {
                const std::string describe =
                    detail::wire::encode(detail::wire::TableName{binding.table_name});
                for (int attempt = 0;; ++attempt) {
                    detail::wire::TableDescription table = detail::wire::TableDescription::decode(
                        core.client.call_raw(Operation::DescribeTable, describe));
                    if (active(table)) return table;
                    if (std::chrono::steady_clock::now() > deadline) {
                        throw RuntimeError("table '" + binding.table_name +
                                           "' did not become ACTIVE within " +
                                           std::to_string(core.bind_timeout.count()) + " ms");
                    }
                    std::this_thread::sleep_for(
                        std::chrono::milliseconds(std::min(2000, 50 << std::min(attempt, 6))));
                }
            };
            detail::wire::TableDescription table = wait_active();
            if (options.update && !created[i]) {
                for (const auto& c :
                     detail::migrate_table(core.client, m, binding.table_name, table, wait_active))
                    changed(binding.table_name, c);
            }
            auto diffs = differences(m, table);
            // A new table gets its TTL and backups now; an existing one only with `update`.
            const bool allowed = created[i] || options.update;
            std::vector<std::string> notes;
            std::vector<std::string> later =
                detail::migrate_ttl(core.client, m, binding.table_name, allowed, diffs);
            for (auto& c :
                 detail::migrate_backups(core.client, m, binding.table_name, allowed, diffs, notes))
                later.push_back(std::move(c));
            if (!table.table_arn.empty()) {
                for (auto& c :
                     detail::migrate_tags(core.client, m, table.table_arn, allowed, diffs, notes))
                    later.push_back(std::move(c));
            }
            if (detail::dynamodb_local(table) && (m.encryption || m.table_class)) {
                notes.push_back(binding.table_name +
                                ": DynamoDB Local does not report encryption or the table "
                                "class; they are not checked");
            }
            if (!created[i]) {
                for (const auto& c : later) changed(binding.table_name, c);
            }
            if (const LogListener& log = core.client.log_listener(); log) {
                for (const auto& n : notes) log(LogLevel::warning, "bind: " + n);
            }
            if (!diffs.empty()) {
                std::string message =
                    "The expected and actual tables for '" + m.name + "' do not match:";
                for (const auto& d : diffs) message += "\n  - " + d;
                throw TableMismatch(message);
            }
            if (m.stream) binding.stream_arn = table.latest_stream_arn;
            binding.read_units = units(table.provisioned_throughput).read_capacity_units;
            binding.write_units = units(table.provisioned_throughput).write_capacity_units;
        }
        core.engine.model_validated.emit({core.engine, m});
        {
            std::lock_guard lock(core.mutex);
            core.bindings.insert_or_assign(&m, std::make_shared<const Binding>(binding));
        }
        core.engine.model_bound.emit({core.engine, m});
    }
    return report;
}

}  // namespace

BindReport detail::bind_models(detail::EngineCore& core, std::span<const ModelInfo* const> models,
                               const BindOptions& options) {
    return detail::observed(
        core.client, "bind", [&] { return detail::model_names(models); }, models.size(),
        [&](detail::MapperCall*) { return bind_now(core, models, options); });
}

}  // namespace bloop
