#pragma once
/// \file
/// What the engine's signals carry: `ModelEvent` (bind), `ObjectEvent` (load, save, delete) and
/// `ColumnEvent` (a column written into an object). Objects are handed out typed, and only as
/// their own model's type.

#include <bloop/model/model.hpp>

namespace bloop {

class Engine;
namespace detail {
class EngineCore;
}  // namespace detail

/// What the model signals carry.
struct ModelEvent {
    Engine& engine;          ///< the engine binding the model
    const ModelInfo& model;  ///< the model being bound

    /// Whether the event is about model T.
    template <Modeled T>
    [[nodiscard]] bool is() const {
        return &model == &model_info<T>();
    }
};

/// What the object signals carry: the object, typed on request.
///
/// ```cpp
/// engine.object_saved.connect([](const bloop::ObjectEvent& e) {
///     if (Account* a = e.object<Account>()) std::cout << "saved " << a->id << "\n";
/// });
/// ```
class ObjectEvent {
  public:
    Engine& engine;          ///< the engine that loaded, saved or deleted the object
    const ModelInfo& model;  ///< the object's model

    /// The object, when it is a T (its model is T's); nullptr otherwise.
    template <Modeled T>
    [[nodiscard]] T* object() const {
        return &model == &model_info<T>() ? static_cast<T*>(object_) : nullptr;
    }

  private:
    friend class detail::EngineCore;
    ObjectEvent(Engine& e, const ModelInfo& m, void* o) : engine(e), model(m), object_(o) {}
    void* object_;
};

/// What object_modified carries: a column the engine wrote into an object.
class ColumnEvent {
  public:
    Engine& engine;            ///< the engine that wrote the column
    const ModelInfo& model;    ///< the object's model
    const ColumnInfo& column;  ///< the column written

    /// The object, when it is a T (its model is T's); nullptr otherwise.
    template <Modeled T>
    [[nodiscard]] T* object() const {
        return &model == &model_info<T>() ? static_cast<T*>(object_) : nullptr;
    }

  private:
    friend class detail::EngineCore;
    ColumnEvent(Engine& e, const ModelInfo& m, void* o, const ColumnInfo& c)
        : engine(e), model(m), column(c), object_(o) {}
    void* object_;
};

}  // namespace bloop
