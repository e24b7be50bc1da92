// Objects handed to the user: loaded from an item and signalled, and the signals of writes. Every
// object is signalled even when a receiver throws; the first exception is returned, so a receiver
// never turns a write or a load into a failure of the objects after it.

#include <bloop/engine/engine.hpp>

#include "engine/core.hpp"

namespace bloop::detail {

std::exception_ptr EngineCore::signal_loaded(std::span<const ObjectRef> objects) {
    std::exception_ptr receiver_error;
    for (const auto& ref : objects) {
        try {
            for (const auto& column : ref.model->columns)
                engine.object_modified.emit(ColumnEvent(engine, *ref.model, ref.object, column));
            engine.object_loaded.emit(ObjectEvent(engine, *ref.model, ref.object));
        } catch (...) {
            if (!receiver_error) receiver_error = std::current_exception();
        }
    }
    return receiver_error;
}

std::exception_ptr EngineCore::signal_written(const ObjectRef& ref, bool removed) {
    try {
        (removed ? engine.object_deleted : engine.object_saved)
            .emit(ObjectEvent(engine, *ref.model, ref.object));
    } catch (...) {
        return std::current_exception();
    }
    return nullptr;
}

void EngineCore::signal_delivered(const ModelInfo& model, void* object,
                                  std::span<const std::size_t> columns) {
    for (const auto c : columns)
        engine.object_modified.emit(ColumnEvent(engine, model, object, model.columns[c]));
    engine.object_loaded.emit(ObjectEvent(engine, model, object));
}

void deliver(EngineCore& core, const ModelInfo& model, void* object, Item&& item,
             std::span<const std::size_t> columns) {
    load_and_sync(model, object, std::move(item), columns);
    core.signal_delivered(model, object, columns);
}

}  // namespace bloop::detail
