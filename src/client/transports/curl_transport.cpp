// The libcurl transport: a pool of easy handles, each keeping its own keep-alive connection.

#include <bloop/client/http.hpp>
#include <bloop/exceptions.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

namespace bloop {
namespace {

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// What one transfer reads and writes, for curl's callbacks.
struct Exchange {
    const std::string* request_body;
    std::size_t sent = 0;         // bytes of the request body handed to curl
    bool rewind_refused = false;  // curl wanted to send the body again
    HttpResponse* response;
    ResponseLimits limits;
    std::size_t header_bytes = 0;
    bool too_large = false;
};

std::size_t on_read(char* buffer, std::size_t size, std::size_t n, void* user) {
    auto* x = static_cast<Exchange*>(user);
    const std::size_t count = std::min(size * n, x->request_body->size() - x->sent);
    std::memcpy(buffer, x->request_body->data() + x->sent, count);
    x->sent += count;
    return count;
}

// libcurl sends a request again on a fresh connection when a reused one closed without an
// answer. The server may have applied the first: refuse, and let the client's retry rules decide.
int on_seek(void* user, curl_off_t offset, int origin) {
    auto* x = static_cast<Exchange*>(user);
    if (offset == 0 && origin == SEEK_SET && x->sent == 0) return CURL_SEEKFUNC_OK;
    x->rewind_refused = true;
    return CURL_SEEKFUNC_FAIL;
}

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
    auto* x = static_cast<Exchange*>(user);
    if (x->response->body.size() + size * n > x->limits.body_bytes) {
        x->too_large = true;
        return 0;  // aborts the transfer
    }
    x->response->body.append(data, size * n);
    return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
    auto* x = static_cast<Exchange*>(user);
    x->header_bytes += size * n;
    if (x->header_bytes > x->limits.header_bytes) {
        x->too_large = true;
        return 0;
    }
    Headers* headers = &x->response->headers;
    std::string_view line(data, size * n);
    if (line.substr(0, 5) == "HTTP/") {
        headers->clear();  // a new response (after 100 Continue or a redirect)
        return size * n;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return size * n;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
    while (!value.empty() &&
           (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
        value.remove_suffix(1);
    }
    headers->emplace_back(std::string(line.substr(0, colon)), std::string(value));
    return size * n;
}

[[noreturn]] void throw_curl_error(CURL* h, CURLcode code, const HttpRequest& request,
                                   const char* detail, const Exchange& x) {
    std::string message = "HTTP request to " + request.url + " failed: " + curl_easy_strerror(code);
    if (detail[0] != '\0') message += std::string(" (") + detail + ")";
    if (x.too_large) {
        throw ProtocolError("HTTP request to " + request.url +
                            " got a response past the limits (headers " +
                            std::to_string(x.limits.header_bytes) + " bytes, body " +
                            std::to_string(x.limits.body_bytes) + " bytes)");
    }
    if (x.rewind_refused) {
        throw ConnectionReset("HTTP request to " + request.url +
                              " failed: the connection closed without an answer");
    }
    switch (code) {
        case CURLE_COULDNT_CONNECT:
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY: throw ConnectionRefused(message);
        case CURLE_OPERATION_TIMEDOUT: {
            // Nothing of the request left (not even its headers): the connect timed out.
            long request_bytes = 0;
            curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &request_bytes);
            if (request_bytes == 0 && x.sent == 0) throw ConnectTimeout(message);
            throw RequestTimeout(message);
        }
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE: throw ConnectionReset(message);
        default: throw TransportError(message);
    }
}

class CurlTransport final : public Transport {
  public:
    CurlTransport(std::size_t max_connections, const ResponseLimits& limits, std::string ca_bundle)
        : max_(max_connections), limits_(limits), ca_bundle_(std::move(ca_bundle)) {
        global_init();
    }
    CurlTransport(const CurlTransport&) = delete;
    CurlTransport& operator=(const CurlTransport&) = delete;
    ~CurlTransport() override {
        for (CURL* h : idle_) curl_easy_cleanup(h);
    }

    HttpResponse send(const HttpRequest& request, const Timeouts& timeouts) override {
        CURL* h = acquire();
        struct Release {
            CurlTransport* self;
            CURL* h;
            ~Release() { self->release(h); }
        } release{this, h};

        struct SlistDeleter {
            void operator()(curl_slist* l) const { curl_slist_free_all(l); }
        };
        std::unique_ptr<curl_slist, SlistDeleter> header_list;
        for (const auto& [name, value] : request.headers) {
            const std::string line = name + ": " + value;
            curl_slist* next = curl_slist_append(header_list.get(), line.c_str());
            if (next == nullptr) throw TransportError("out of memory building HTTP headers");
            (void)header_list.release();
            header_list.reset(next);
        }
        // No "Expect: 100-continue" round trip, and no Accept header curl would add on its own.
        for (const char* extra : {"Expect:", "Accept:"}) {
            curl_slist* next = curl_slist_append(header_list.get(), extra);
            if (next == nullptr) throw TransportError("out of memory building HTTP headers");
            (void)header_list.release();
            header_list.reset(next);
        }

        HttpResponse response;
        Exchange x{&request.body, 0, false, &response, limits_};
        char error[CURL_ERROR_SIZE] = {0};
        curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
        if (request.method == "POST") {
            curl_easy_setopt(h, CURLOPT_POST, 1L);
            curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
            curl_easy_setopt(h, CURLOPT_READDATA, &x);
            curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, on_seek);
            curl_easy_setopt(h, CURLOPT_SEEKDATA, &x);
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                             static_cast<curl_off_t>(request.body.size()));
        } else {
            curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
        }
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, header_list.get());
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, &x);
        curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(limits_.body_bytes));
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeouts.connect.count()));
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeouts.request.count()));
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
        const CURLcode code = curl_easy_perform(h);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
        curl_easy_setopt(h, CURLOPT_READDATA, nullptr);
        curl_easy_setopt(h, CURLOPT_SEEKDATA, nullptr);
        if (code == CURLE_FILESIZE_EXCEEDED) x.too_large = true;
        if (code != CURLE_OK) throw_curl_error(h, code, request, error, x);
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        response.status = static_cast<int>(status);
        return response;
    }

  private:
    CURL* acquire() {
        std::unique_lock lock(mutex_);
        available_.wait(lock, [&] { return !idle_.empty() || created_ < max_; });
        if (!idle_.empty()) {
            CURL* h = idle_.back();
            idle_.pop_back();
            return h;
        }
        CURL* h = curl_easy_init();
        if (h == nullptr) throw TransportError("curl_easy_init failed");
        ++created_;
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
        curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
        curl_easy_setopt(h, CURLOPT_NOPROGRESS, 1L);
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(h, CURLOPT_MAXAGE_CONN, 20L);  // as the socket transport's idle limit
        if (!ca_bundle_.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, ca_bundle_.c_str());
        return h;
    }

    void release(CURL* h) {
        {
            std::lock_guard lock(mutex_);
            idle_.push_back(h);
        }
        available_.notify_one();
    }

    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<CURL*> idle_;
    std::size_t created_ = 0;
    std::size_t max_;
    ResponseLimits limits_;
    std::string ca_bundle_;
};

}  // namespace

std::shared_ptr<Transport> make_curl_transport(std::size_t max_connections,
                                               const ResponseLimits& limits,
                                               std::string ca_bundle) {
    if (max_connections == 0)
        throw InvalidConfiguration("a transport needs at least one connection");
    return std::make_shared<CurlTransport>(max_connections, limits, std::move(ca_bundle));
}

}  // namespace bloop
