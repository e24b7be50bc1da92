#pragma once
// A real Prometheus server (Debian's `prometheus`), started on loopback to scrape one target every
// second, and asked through its HTTP API: how the exporter's output is checked by a reader that is
// not ours.

#include <bloop/json/json.hpp>

#include <sys/types.h>
#include <optional>
#include <string>

namespace bloop::test {

class PrometheusServer {
  public:
    /// Starts `prometheus` scraping http://127.0.0.1:<target_port>/metrics; throws when the
    /// binary is missing or does not come up.
    explicit PrometheusServer(int target_port);
    ~PrometheusServer();
    PrometheusServer(const PrometheusServer&) = delete;
    PrometheusServer& operator=(const PrometheusServer&) = delete;

    /// The `data` of GET /api/v1/<path>?<query> ("query", "query=up"); nullopt when the API does
    /// not answer "success".
    std::optional<json::Value> api(const std::string& path, const std::string& query) const;
    /// The value of instant query `promql` as a number; nullopt while it has no result.
    std::optional<double> scalar(const std::string& promql) const;

  private:
    std::string dir_;
    int port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace bloop::test
