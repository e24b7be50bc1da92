#pragma once
// A Transport that sends through a real one (to DynamoDB Local) and records what it sent, so an
// integration test can assert the exact requests beside the table's state.

#include <bloop/client/http.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace bloop::test {

class RecordingTransport : public Transport {
  public:
    explicit RecordingTransport(std::shared_ptr<Transport> real) : real_(std::move(real)) {}

    HttpResponse send(const HttpRequest& request, const Timeouts& timeouts) override {
        {
            std::lock_guard lock(mutex_);
            sent_.emplace_back(std::string(find_header(request.headers, "X-Amz-Target")),
                               request.body);
        }
        return real_->send(request, timeouts);
    }
    /// How many requests were sent so far.
    [[nodiscard]] std::size_t count() const {
        std::lock_guard lock(mutex_);
        return sent_.size();
    }
    /// How many requests of `operation` ("UpdateItem") were sent so far.
    [[nodiscard]] std::size_t count(const std::string& operation) const {
        std::lock_guard lock(mutex_);
        std::size_t n = 0;
        for (const auto& [target, body] : sent_) n += target.ends_with("." + operation) ? 1 : 0;
        return n;
    }
    /// The body of the last request whose X-Amz-Target ends with `operation` ("Query").
    [[nodiscard]] std::string last(const std::string& operation) const {
        std::lock_guard lock(mutex_);
        for (auto it = sent_.rbegin(); it != sent_.rend(); ++it) {
            if (it->first.size() >= operation.size() &&
                it->first.compare(it->first.size() - operation.size(), operation.size(),
                                  operation) == 0 &&
                it->first[it->first.size() - operation.size() - 1] == '.') {
                return it->second;
            }
        }
        return {};
    }

  private:
    std::shared_ptr<Transport> real_;
    mutable std::mutex mutex_;
    std::vector<std::pair<std::string, std::string>> sent_;  // (target, body)
};

}  // namespace bloop::test
