#pragma once
// Parallel scans beneath `Engine::scan_all_segments` (internal): the segments read on a few
// threads, each a Search<T> of its own.

#include <bloop/engine/options.hpp>
#include <bloop/engine/search.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <vector>

namespace bloop::detail {

/// DynamoDB's largest TotalSegments.
inline constexpr std::int64_t max_scan_segments = 1'000'000;

/// How many threads scan `segments` segments of `model`'s table at once: as many as the segments,
/// at most `max_in_flight`. Throws InvalidArgument unless 1 <= segments <= max_scan_segments.
[[nodiscard]] std::size_t parallel_scan_workers(const ModelInfo& model, std::int64_t segments,
                                                std::size_t max_in_flight);

/// Runs `scan_segment(s)` for every s in [0, segments) on `workers` threads (the caller's one of
/// them), each taking the next segment not yet started. Once one throws, no further segment
/// starts; after every thread has finished, the first exception is rethrown.
void run_segments(std::int64_t segments, std::size_t workers,
                  const std::function<void(std::int64_t)>& scan_segment);
/// Reads `segments` segments of T's table on as many threads as the client lets in flight:
/// `scan_one(options)` returns the Search of one segment's options; `keep(segment, object)` takes
/// each result; `ready()` runs once the arguments are checked, before the segments are read.
template <class T, class Scan, class Keep, class Ready>
void scan_segments(std::size_t max_in_flight, std::int64_t segments, ScanOptions<T> options,
                   const Scan& scan_one, const Keep& keep, const Ready& ready) {
    const ModelInfo& model = model_info<T>();
    if (options.parallel) {
        throw InvalidArgument("scan_all_segments of " + model.name +
                              " chooses the segments itself: leave options.parallel unset");
    }
    if (options.projection.mode == ProjectionSpec::Mode::count) {
        throw InvalidArgument("scan_all_segments of " + model.name +
                              " returns objects: count_only() has none (count with scan())");
    }
    const std::size_t workers = parallel_scan_workers(model, segments, max_in_flight);
    if (options.read_rate) options.read_rate = *options.read_rate / static_cast<double>(workers);
    ready();
    std::atomic<std::size_t> kept{0};
    std::atomic<bool> stop{false};  // the limit is reached, or a segment failed
    run_segments(segments, workers, [&](std::int64_t s) {
        ScanOptions<T> own = options;
        own.parallel = Segment{s, segments};
        try {
            Search<T> search = scan_one(own);
            while (!stop.load()) {
                std::vector<T> page = search.next_page();
                if (page.empty()) return;
                for (T& object : page) {
                    if (!options.limit) {
                        keep(s, std::move(object));
                        continue;
                    }
                    const std::size_t n = kept.fetch_add(1);
                    if (n < *options.limit) keep(s, std::move(object));
                    if (n + 1 >= *options.limit) {
                        stop = true;
                        return;
                    }
                }
            }
        } catch (...) {
            stop = true;
            throw;
        }
    });
}

/// scan_segments keeping the results, in segment order.
template <class T, class Scan>
std::vector<T> collect_segments(std::size_t max_in_flight, std::int64_t segments,
                                ScanOptions<T> options, const Scan& scan_one) {
    std::vector<std::vector<T>> parts;  // by segment, sized once the arguments are checked
    scan_segments<T>(
        max_in_flight, segments, std::move(options), scan_one,
        [&](std::int64_t s, T&& object) {
            parts[static_cast<std::size_t>(s)].push_back(std::move(object));
        },
        [&] { parts.resize(static_cast<std::size_t>(segments)); });
    std::size_t total = 0;
    for (const auto& part : parts) total += part.size();
    std::vector<T> all;
    all.reserve(total);
    for (auto& part : parts) std::move(part.begin(), part.end(), std::back_inserter(all));
    return all;
}

/// scan_segments handing each result to `each` (concurrently, from the scan's threads).
template <class T, class Scan, class Each>
void hand_on_segments(std::size_t max_in_flight, std::int64_t segments, ScanOptions<T> options,
                      const Scan& scan_one, Each& each) {
    scan_segments<T>(
        max_in_flight, segments, std::move(options), scan_one,
        [&](std::int64_t, T&& object) { each(std::move(object)); }, [] {});
}

}  // namespace bloop::detail
