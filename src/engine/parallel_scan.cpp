// Engine::scan_all_segments beneath its template: how many threads, and running the segments on
// them.

#include <bloop/engine/engine.hpp>
#include <bloop/exceptions.hpp>

#include "client/telemetry/context.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace bloop::detail {

std::size_t parallel_scan_workers(const ModelInfo& model, std::int64_t segments,
                                  std::size_t max_in_flight) {
    if (segments < 1 || segments > max_scan_segments) {
        throw InvalidArgument("a parallel scan of " + model.name + " needs 1 to " +
                              std::to_string(max_scan_segments) + " segments, got " +
                              std::to_string(segments));
    }
    return std::clamp<std::size_t>(static_cast<std::size_t>(segments), 1,
                                   std::max<std::size_t>(max_in_flight, 1));
}

void run_segments(std::int64_t segments, std::size_t workers,
                  const std::function<void(std::int64_t)>& scan_segment) {
    std::atomic<std::int64_t> next{0};
    std::atomic<bool> failed{false};
    std::mutex mutex;
    std::exception_ptr first_error;
    const CallContext started_from = current_context();  // each segment's spans under the caller's
    const auto work = [&] {
        const Carried carried(started_from);
        while (!failed.load()) {
            const std::int64_t s = next.fetch_add(1);
            if (s >= segments) return;
            try {
                scan_segment(s);
            } catch (...) {
                std::lock_guard lock(mutex);
                if (!first_error) first_error = std::current_exception();
                failed = true;
            }
        }
    };
    std::vector<std::thread> threads;
    threads.reserve(workers - 1);
    for (std::size_t i = 1; i < workers; ++i) {
        try {
            threads.emplace_back(work);
        } catch (const std::system_error&) {
            break;  // no more threads to be had: the ones running (and this one) share the rest
        }
    }
    work();
    for (auto& t : threads) t.join();
    if (first_error) std::rethrow_exception(first_error);
}

}  // namespace bloop::detail
