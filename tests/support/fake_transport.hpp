#pragma once
// A scripted Transport for unit tests: records every request and answers from a queue of
// responses or transport failures.

#include <bloop/client/http.hpp>
#include <bloop/exceptions.hpp>

#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace bloop::test {

class FakeTransport : public Transport {
  public:
    /// Queues a response.
    void respond(int status, std::string body, Headers headers = {}) {
        std::lock_guard lock(mutex_);
        script_.push_back([=] { return HttpResponse{status, headers, body}; });
    }
    /// Queues an error response in the AWS JSON error shape.
    void fail(int status, const std::string& code, const std::string& message) {
        respond(status,
                R"({"__type":"com.amazonaws.dynamodb.v20120810#)" + code + R"(","message":")" +
                    message + R"("})",
                {{"x-amzn-RequestId", "REQ-" + code}});
    }
    /// Queues any step: what it returns is the response, what it throws the failure.
    void then(std::function<HttpResponse()> step) {
        std::lock_guard lock(mutex_);
        script_.push_back(std::move(step));
    }
    /// Queues a transport failure.
    template <class E>
    void drop(const std::string& message) {
        std::lock_guard lock(mutex_);
        script_.push_back([=]() -> HttpResponse { throw E(message); });
    }

    HttpResponse send(const HttpRequest& request, const Timeouts& timeouts) override {
        std::function<HttpResponse()> next;
        {
            std::lock_guard lock(mutex_);
            requests_.push_back(request);
            timeouts_.push_back(timeouts);
            if (script_.empty()) throw TransportError("FakeTransport: no scripted response left");
            next = std::move(script_.front());
            script_.pop_front();
        }
        return next();
    }

    std::vector<HttpRequest> requests() const {
        std::lock_guard lock(mutex_);
        return requests_;
    }
    std::vector<Timeouts> timeouts() const {
        std::lock_guard lock(mutex_);
        return timeouts_;
    }

  private:
    mutable std::mutex mutex_;
    std::deque<std::function<HttpResponse()>> script_;
    std::vector<HttpRequest> requests_;
    std::vector<Timeouts> timeouts_;
};

}  // namespace bloop::test
