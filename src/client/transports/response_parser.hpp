#pragma once
// An incremental, strict HTTP/1.1 response parser for the socket transport: fed the bytes as they
// arrive, it finds the status line, headers and a Content-Length, chunked or close-delimited body,
// within fixed limits. Anything else is a ProtocolError; it never reads past what it was given.

#include <bloop/client/http.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace bloop::detail {

class ResponseParser {
  public:
    /// `url` only names the request in error messages.
    explicit ResponseParser(std::string url, const ResponseLimits& limits = {});

    /// Consumes `bytes`; true once the response is complete (later bytes are not consumed and
    /// make the connection unusable). Throws ProtocolError for a malformed or oversized response.
    bool feed(std::string_view bytes);
    /// The peer closed the connection: completes a close-delimited body, or throws
    /// ConnectionReset when the response was cut short.
    void end_of_stream();

    /// Whether any byte of a response arrived.
    [[nodiscard]] bool started() const noexcept { return started_; }
    /// Whether the whole response arrived.
    [[nodiscard]] bool done() const noexcept { return state_ == State::done; }
    /// Whether the connection can carry another request after this response.
    [[nodiscard]] bool keep_alive() const noexcept { return keep_alive_ && !stray_bytes_; }
    /// The response; valid once done().
    [[nodiscard]] HttpResponse take() { return std::move(response_); }

  private:
    enum class State {
        head,
        body_length,
        chunk_size,
        chunk_data,
        chunk_end,
        trailers,
        body_close,
        done
    };

    void parse_head(std::string_view head);
    void header(std::string_view name, std::string_view value);
    void start_body();
    void append_body(std::string_view bytes);
    // The next CRLF-terminated line of `pending_` (without the CRLF), if complete.
    bool take_line(std::string_view& bytes, std::string& line, std::size_t limit);
    [[noreturn]] void fail(const std::string& what) const;

    std::string url_;
    ResponseLimits limits_;
    State state_ = State::head;
    HttpResponse response_;
    std::string pending_;  // an unfinished head or line
    bool started_ = false;
    bool keep_alive_ = true;
    bool stray_bytes_ = false;
    bool chunked_ = false;
    bool has_length_ = false;
    std::size_t length_ = 0;  // Content-Length
    std::size_t left_ = 0;    // of the current chunk or body
    std::size_t trailer_bytes_ = 0;
};

}  // namespace bloop::detail
