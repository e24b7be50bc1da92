// Engine::save and Engine::remove: UpdateItem / DeleteItem per object, concurrently for many.

#include <bloop/exceptions.hpp>

#include "client/text_calls.hpp"
#include "engine/applied.hpp"
#include "engine/core.hpp"
#include "engine/prepared_write.hpp"
#include "engine/mapper_call.hpp"

#include <future>
#include <set>

namespace bloop {
namespace {

using detail::PreparedWrite;
using detail::WriteKind;

// Whether a failed condition met the write's own earlier attempt, which got no answer but was
// applied: a save's values are in place, or a removed item is gone.
bool applied_earlier(const PreparedWrite& p, const ConditionalCheckFailed& e, bool remove) {
    if (!e.info().earlier_attempt_unknown) return false;
    if (remove) return e.item() == nullptr;
    return detail::save_in_place(p.effect, e.item());
}

}  // namespace

namespace {

void write_now(detail::EngineCore& core, std::span<const detail::ObjectRef> objects,
               const detail::WriteSpec& spec, bool remove) {
    // Everything that can be wrong with the input is found before anything is sent.
    std::vector<PreparedWrite> prepared;
    std::set<const void*> seen;
    const WriteKind kind = remove ? WriteKind::remove : WriteKind::save;
    for (const auto& ref : objects) {
        if (!seen.insert(ref.object).second) continue;  // the same object twice is one write
        detail::require_concrete(*ref.model);  // before the binding: an abstract one has none
        prepared.push_back(detail::prepare_write(ref, *core.bound(*ref.model), spec, kind));
    }
    const Operation op = remove ? Operation::DeleteItem : Operation::UpdateItem;
    // The request's text, and whether it may be sent again after an unknown outcome.
    const auto text = [&](const PreparedWrite& p) -> std::pair<std::string, bool> {
        if (remove)
            return {detail::wire::encode(std::get<detail::wire::DeleteItem>(p.request)), true};
        const auto& update = std::get<detail::wire::UpdateItem>(p.request);
        return {detail::wire::encode(update), detail::wire::idempotent(update)};
    };
    std::vector<std::future<std::string>> pending;
    if (prepared.size() > 1) {
        pending.reserve(prepared.size());
        for (const auto& p : prepared) {
            auto [body, idempotent] = text(p);
            pending.push_back(
                detail::TextCalls::call_async(core.client, op, std::move(body), idempotent));
        }
    }

    std::vector<WriteFailed::Failure> failures;
    std::exception_ptr receiver_error;  // the first exception a signal receiver threw
    for (std::size_t i = 0; i < prepared.size(); ++i) {
        PreparedWrite& p = prepared[i];
        const ModelInfo& m = *p.ref.model;
        std::optional<Item> returned;  // the item DynamoDB returned for `sync`
        try {
            try {
                std::string answer;
                if (pending.empty()) {
                    auto [body, idempotent] = text(p);
                    answer = detail::TextCalls::call(core.client, op, std::move(body), idempotent);
                } else {
                    answer = pending[i].get();
                }
                returned =
                    detail::wire::ItemAttributes::decode(answer, operation_name(op)).attributes;
            } catch (const ConditionalCheckFailed& e) {
                if (!applied_earlier(p, e, remove)) {
                    throw ConstraintViolation(detail::condition_failure(p, e.item()).message +
                                              " (" + e.request_id() + ").");
                }
                // Our own earlier attempt was applied: the stored item is the one it wrote.
                if (spec.sync == Sync::after && e.item() != nullptr) returned = *e.item();
            }
        } catch (const std::exception& e) {
            if (prepared.size() == 1) throw;
            failures.push_back({detail::IdentityAccess::of(p.ref.object),
                                detail::describe_object(m, p.ref.object) + ": " + e.what(),
                                std::current_exception()});
            continue;
        }
        // Written: the object is synced whatever its receivers do.
        const bool loaded = detail::mark_written(p, returned ? &*returned : nullptr);
        std::exception_ptr error = loaded ? core.signal_loaded(std::span(&p.ref, 1)) : nullptr;
        if (auto written = core.signal_written(p.ref, remove); !error) error = written;
        if (!receiver_error) receiver_error = error;
    }
    if (!failures.empty()) {
        std::string message = std::to_string(failures.size()) + " of " +
                              std::to_string(prepared.size()) + " " +
                              (remove ? "deletes" : "saves") + " failed:";
        for (const auto& f : failures) message += "\n  - " + f.message;
        throw WriteFailed(message, std::move(failures));
    }
    if (receiver_error) std::rethrow_exception(receiver_error);
}

}  // namespace

void detail::write(detail::EngineCore& core, std::span<const detail::ObjectRef> objects,
                   const detail::WriteSpec& spec, bool remove) {
    detail::observed(
        core.client, remove ? "delete" : "save", [&] { return detail::models_of(objects); },
        objects.size(), [&](detail::MapperCall*) { write_now(core, objects, spec, remove); });
}

}  // namespace bloop
