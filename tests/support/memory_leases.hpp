#pragma once
// A lease table in memory for unit tests of the stream processor: the same conditional writes on
// the lease counter as the real one, with every write recorded.

#include <bloop/stream/lease.hpp>

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace bloop::test {

class MemoryLeases : public LeaseStore {
  public:
    std::vector<StreamLease> list(const std::string& consumer) override {
        std::lock_guard lock(mutex_);
        std::vector<StreamLease> out;
        for (const auto& [key, lease] : leases_)
            if (lease.consumer == consumer) out.push_back(lease);
        return out;
    }

    bool write(StreamLease& lease) override {
        std::lock_guard lock(mutex_);
        const auto found = leases_.find(lease.lease);
        const std::int64_t stored = found == leases_.end() ? 0 : found->second.counter;
        if (stored != lease.counter) return false;
        ++lease.counter;
        leases_[lease.lease] = lease;
        writes_.push_back(lease);
        return true;
    }

    bool remove(const StreamLease& lease) override {
        std::lock_guard lock(mutex_);
        const auto found = leases_.find(lease.lease);
        if (found == leases_.end() || found->second.counter != lease.counter) return false;
        leases_.erase(found);
        return true;
    }

    /// The stored lease of `key` (a copy; counter 0 when none).
    StreamLease get(const std::string& key) {
        std::lock_guard lock(mutex_);
        const auto found = leases_.find(key);
        return found == leases_.end() ? StreamLease{} : found->second;
    }
    /// Stores `lease` as is (as another worker would have written it).
    void put(const StreamLease& lease) {
        std::lock_guard lock(mutex_);
        leases_[lease.lease] = lease;
    }
    /// Every successful write so far, in order.
    std::vector<StreamLease> writes() {
        std::lock_guard lock(mutex_);
        return writes_;
    }

  private:
    std::mutex mutex_;
    std::map<std::string, StreamLease> leases_;
    std::vector<StreamLease> writes_;
};

}  // namespace bloop::test
