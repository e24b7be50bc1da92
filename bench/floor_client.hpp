#pragma once
// The floor for a sequential client: requests rendered to bytes beforehand, sent over one blocking
// keep-alive socket, each answer read to its end and nothing else done (no signing, no JSON). It
// replays the requests bloop sent, so its CPU per request is what the kernel alone costs for them
// on this machine: no client that waits for each answer can go under it.

#include <bloop/client/http.hpp>

#include <string>

namespace bench {

/// `r` as HTTP/1.1 bytes, the way the socket transport writes it.
std::string wire_text(const bloop::HttpRequest& r);

class FloorClient {
  public:
    /// Connects to `endpoint` ("http://127.0.0.1:PORT").
    explicit FloorClient(const std::string& endpoint);
    ~FloorClient();
    FloorClient(const FloorClient&) = delete;
    FloorClient& operator=(const FloorClient&) = delete;

    /// Sends `wire` and reads the whole answer (Content-Length bodies only); its status code.
    int exchange(const std::string& wire);

  private:
    int fd_ = -1;
    std::string in_;
};

}  // namespace bench
