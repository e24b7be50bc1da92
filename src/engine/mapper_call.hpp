#pragma once
// A mapper call as telemetry sees it: `observed` runs the call as the thread's current mapper call
// (its requests are its span's children and carry its models) and reports a MapperEvent when it
// ends. Without telemetry it only runs the call.

#include <bloop/client/client.hpp>
#include <bloop/model/model_info.hpp>

#include "client/telemetry/context.hpp"

#include <chrono>
#include <exception>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

namespace bloop::detail {

/// The names of `models`, sorted, each once, joined with '+'.
std::string model_names(std::span<const ModelInfo* const> models);

/// One mapper call under way; its destructor restores the thread's context.
class MapperCall {
  public:
    MapperCall(Telemetry& telemetry, std::string_view name, std::string model, std::size_t objects);
    ~MapperCall();
    MapperCall(const MapperCall&) = delete;
    MapperCall& operator=(const MapperCall&) = delete;
    /// Reports the call, failed with `error` (null: succeeded).
    void end(const std::exception* error);
    /// Sets the number of objects (a page's, known once it came).
    void objects(std::size_t n) noexcept { event_.objects = n; }

  private:
    Telemetry& telemetry_;
    MapperEvent event_;
    std::chrono::steady_clock::time_point started_;
    CallContext previous_;
};

/// Runs `run(call)` (`call`: the MapperCall, or null without telemetry) as mapper call `name` of
/// the models `models()` names, over `objects` objects.
template <class Models, class Run>
auto observed(const Client& client, std::string_view name, Models&& models, std::size_t objects,
              Run&& run) -> std::invoke_result_t<Run, MapperCall*> {
    Telemetry* telemetry = client.telemetry();
    if (telemetry == nullptr) return run(static_cast<MapperCall*>(nullptr));
    MapperCall call(*telemetry, name, models(), objects);
    try {
        if constexpr (std::is_void_v<std::invoke_result_t<Run, MapperCall*>>) {
            run(&call);
            call.end(nullptr);
        } else {
            auto result = run(&call);
            call.end(nullptr);
            return result;
        }
    } catch (const std::exception& e) {
        call.end(&e);
        throw;
    }
}

}  // namespace bloop::detail
