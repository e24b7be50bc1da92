#include "client/transports/response_parser.hpp"

#include <bloop/exceptions.hpp>

#include "util/ascii.hpp"

#include <cstdlib>

namespace bloop::detail {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// A non-empty run of decimal digits that fits `limit`; nullopt otherwise.
bool parse_decimal(std::string_view text, std::size_t limit, std::size_t& out) {
    if (text.empty()) return false;
    std::size_t value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return false;
        value = value * 10 + static_cast<std::size_t>(c - '0');
        if (value > limit) return false;
    }
    out = value;
    return true;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

ResponseParser::ResponseParser(std::string url, const ResponseLimits& limits)
    : url_(std::move(url)), limits_(limits) {}

void ResponseParser::fail(const std::string& what) const {
    throw ProtocolError("HTTP request to " + url_ + " got a malformed response: " + what);
}

bool ResponseParser::take_line(std::string_view& bytes, std::string& line, std::size_t limit) {
    const auto end = bytes.find('\n');
    if (end == std::string_view::npos) {
        if (pending_.size() + bytes.size() > limit)
            fail("a line longer than " + std::to_string(limit) + " bytes");
        pending_.append(bytes);
        bytes = {};
        return false;
    }
    if (pending_.size() + end > limit)
        fail("a line longer than " + std::to_string(limit) + " bytes");
    pending_.append(bytes.substr(0, end));
    bytes.remove_prefix(end + 1);
    if (pending_.empty() || pending_.back() != '\r') fail("a line not ended by CRLF");
    pending_.pop_back();
    line = std::move(pending_);
    pending_.clear();
    return true;
}

bool ResponseParser::feed(std::string_view bytes) {
    if (!bytes.empty()) started_ = true;
    while (!bytes.empty() && state_ != State::done) {
        switch (state_) {
            case State::head: {
                // Look for the blank line across what is pending and what arrived.
                const std::size_t before = pending_.size();
                pending_.append(bytes);
                const auto end = pending_.find("\r\n\r\n", before >= 3 ? before - 3 : 0);
                if (end == std::string::npos) {
                    if (pending_.size() > limits_.header_bytes)
                        fail("headers longer than " + std::to_string(limits_.header_bytes) +
                             " bytes");
                    return false;
                }
                if (end + 4 > limits_.header_bytes)
                    fail("headers longer than " + std::to_string(limits_.header_bytes) + " bytes");
                const std::size_t consumed = end + 4 - before;
                std::string head = std::move(pending_);
                pending_.clear();
                head.resize(end);
                bytes.remove_prefix(consumed);
                parse_head(head);
                start_body();
                break;
            }
            case State::body_length:
            case State::chunk_data: {
                const std::size_t n = std::min(left_, bytes.size());
                append_body(bytes.substr(0, n));
                bytes.remove_prefix(n);
                left_ -= n;
                if (left_ == 0)
                    state_ = state_ == State::body_length ? State::done : State::chunk_end;
                break;
            }
            case State::body_close:
                append_body(bytes);
                bytes = {};
                break;
            case State::chunk_size: {
                std::string line;
                if (!take_line(bytes, line, 1024)) return false;
                std::string_view size = line;
                if (const auto semicolon = size.find(';'); semicolon != std::string_view::npos)
                    size = size.substr(0, semicolon);  // chunk extensions are ignored
                size = trim(size);
                if (size.empty()) fail("an empty chunk size");
                std::size_t value = 0;
                for (const char c : size) {
                    const int d = hex_digit(c);
                    if (d < 0)
                        fail("the chunk size \"" + std::string(size.substr(0, 40)) +
                             "\" is not hexadecimal");
                    value = value * 16 + static_cast<std::size_t>(d);
                    if (value > limits_.body_bytes) fail("a chunk larger than the body limit");
                }
                if (value == 0) {
                    state_ = State::trailers;
                } else {
                    left_ = value;
                    state_ = State::chunk_data;
                }
                break;
            }
            case State::chunk_end: {
                std::string line;
                if (!take_line(bytes, line, 2)) return false;
                if (!line.empty()) fail("chunk data longer than its size");
                state_ = State::chunk_size;
                break;
            }
            case State::trailers: {
                std::string line;
                if (!take_line(bytes, line, limits_.header_bytes)) return false;
                trailer_bytes_ += line.size() + 2;
                if (trailer_bytes_ > limits_.header_bytes)
                    fail("trailers longer than the header limit");
                if (line.empty()) state_ = State::done;
                break;
            }
            case State::done: break;
        }
    }
    if (state_ == State::done && !bytes.empty()) stray_bytes_ = true;
    return state_ == State::done;
}

void ResponseParser::end_of_stream() {
    if (state_ == State::done) return;
    if (state_ == State::body_close) {
        state_ = State::done;
        return;
    }
    throw ConnectionReset("HTTP request to " + url_ +
                          (started_ ? " failed: the response was cut short"
                                    : " failed: the connection closed before a response"));
}

void ResponseParser::parse_head(std::string_view head) {
    const auto line_end = head.find("\r\n");
    const std::string_view status_line = head.substr(0, line_end);
    // "HTTP/1.1 200 OK": a version, a three-digit status, an optional reason.
    if (status_line.size() < 12 || status_line.substr(0, 5) != "HTTP/" || status_line[8] != ' ' ||
        (status_line.size() > 12 && status_line[12] != ' ')) {
        fail("the status line \"" + std::string(status_line.substr(0, 60)) + "\"");
    }
    std::size_t status = 0;
    if (!parse_decimal(status_line.substr(9, 3), 999, status) || status < 100)
        fail("the status line \"" + std::string(status_line.substr(0, 60)) + "\"");
    response_.status = static_cast<int>(status);
    keep_alive_ = status_line.substr(0, 8) == "HTTP/1.1";
    std::size_t pos = line_end == std::string_view::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
        const auto end = std::min(head.find("\r\n", pos), head.size());
        const std::string_view line = head.substr(pos, end - pos);
        pos = end + 2;
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0)
            fail("the header line \"" + std::string(line.substr(0, 60)) + "\"");
        header(line.substr(0, colon), trim(line.substr(colon + 1)));
    }
}

void ResponseParser::header(std::string_view name, std::string_view value) {
    if (ascii_iequals(name, "Content-Length")) {
        std::size_t length = 0;
        if (!parse_decimal(value, limits_.body_bytes, length)) {
            fail("Content-Length \"" + std::string(value.substr(0, 40)) + "\" (the limit is " +
                 std::to_string(limits_.body_bytes) + " bytes)");
        }
        if (has_length_ && length != length_) fail("two different Content-Length headers");
        has_length_ = true;
        length_ = length;
    } else if (ascii_iequals(name, "Transfer-Encoding")) {
        if (!ascii_iequals(value, "chunked"))
            fail("Transfer-Encoding \"" + std::string(value.substr(0, 40)) + "\"");
        chunked_ = true;
    } else if (ascii_iequals(name, "Connection")) {
        if (ascii_iequals(value, "close")) keep_alive_ = false;
        if (ascii_iequals(value, "keep-alive")) keep_alive_ = true;
    }
    if (response_.headers.empty()) response_.headers.reserve(8);  // DynamoDB sends four to six
    response_.headers.emplace_back(std::string(name), std::string(value));
}

void ResponseParser::start_body() {
    const bool no_body =
        response_.status == 204 || response_.status == 304 || response_.status < 200;
    if (response_.status < 200)
        fail("an interim " + std::to_string(response_.status) + " response");
    if (chunked_ && has_length_) fail("both Content-Length and chunked");
    if (no_body) {
        state_ = State::done;
    } else if (chunked_) {
        state_ = State::chunk_size;
    } else if (has_length_) {
        left_ = length_;
        state_ = length_ == 0 ? State::done : State::body_length;
        if (length_ > 0) response_.body.reserve(length_);
    } else {
        keep_alive_ = false;
        state_ = State::body_close;
    }
}

void ResponseParser::append_body(std::string_view bytes) {
    if (response_.body.size() + bytes.size() > limits_.body_bytes)
        fail("a body longer than " + std::to_string(limits_.body_bytes) + " bytes");
    response_.body.append(bytes);
}

}  // namespace bloop::detail
