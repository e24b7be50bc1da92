#pragma once
// An Engine over a scripted transport, for unit tests of the requests the engine sends: models are
// bound without table setup (no request), every request is recorded, answers come from a queue.

#include <bloop/engine/engine.hpp>

#include "fake_transport.hpp"

#include <memory>
#include <string>
#include <vector>

namespace bloop::test {

/// Client options for unit tests: fixed region and credentials, nothing read from the machine,
/// retries without sleeping, every request to `transport`.
inline ClientOptions scripted_client_options(std::shared_ptr<Transport> transport) {
    ClientOptions o;
    o.region = "us-east-1";
    o.credentials = Credentials{"AKID", "SECRET", ""};
    o.endpoint = "http://127.0.0.1:8000";
    o.transport = std::move(transport);
    o.environment = Environment(
        std::map<std::string, std::string, std::less<>>{{"AWS_EC2_METADATA_DISABLED", "true"}});
    o.retry.sleep = [](std::chrono::milliseconds) {};
    return o;
}

struct ScriptedEngine {
    std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
    Engine engine{Client(options())};

    ClientOptions options() { return scripted_client_options(transport); }
    /// The bodies of the requests sent so far.
    std::vector<std::string> bodies() const {
        std::vector<std::string> out;
        for (const auto& r : transport->requests()) out.push_back(r.body);
        return out;
    }
    /// Their X-Amz-Target headers ("DynamoDB_20120810.UpdateItem").
    std::vector<std::string> targets() const {
        std::vector<std::string> out;
        for (const auto& r : transport->requests()) {
            for (const auto& [name, value] : r.headers)
                if (name == "X-Amz-Target") out.push_back(value);
        }
        return out;
    }
};

}  // namespace bloop::test
