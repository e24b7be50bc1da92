// The socket transport's HTTP response parser: framing, strictness and limits.

#include <bloop/exceptions.hpp>

#include "client/transports/response_parser.hpp"

#include <gtest/gtest.h>

#include <string>

namespace bloop {
namespace {

using detail::ResponseParser;

// Feeds `text` one byte at a time (every split point) and whole; both must agree.
HttpResponse parse_all(const std::string& text, bool& keep_alive, bool at_eof = false) {
    ResponseParser whole("http://x/");
    bool done = whole.feed(text);
    if (!done && at_eof) {
        whole.end_of_stream();
        done = true;
    }
    EXPECT_TRUE(done);
    ResponseParser bytewise("http://x/");
    bool done2 = false;
    for (char c : text) done2 = bytewise.feed(std::string_view(&c, 1)) || done2;
    if (!done2 && at_eof) bytewise.end_of_stream();
    HttpResponse a = whole.take();
    HttpResponse b = bytewise.take();
    EXPECT_EQ(a.body, b.body);
    EXPECT_EQ(a.status, b.status);
    keep_alive = whole.keep_alive();
    return a;
}

TEST(ResponseParser, ContentLengthBody) {
    bool keep = false;
    const auto r = parse_all(
        "HTTP/1.1 200 OK\r\nx-amzn-RequestId: R1\r\nContent-Length: 2\r\n\r\n{}", keep);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "{}");
    EXPECT_EQ(find_header(r.headers, "X-AMZN-REQUESTID"), "R1");
    EXPECT_TRUE(keep);
}

TEST(ResponseParser, ChunkedBodyWithExtensionsAndTrailersKeepsTheConnection) {
    bool keep = false;
    const auto r = parse_all(
        "HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n"
        "3;name=value\r\nabc\r\nA\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\n",
        keep);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, "abc0123456789");
    EXPECT_TRUE(keep);
}

TEST(ResponseParser, CloseDelimitedBodyEndsAtEndOfStream) {
    bool keep = true;
    const auto r = parse_all("HTTP/1.0 200 OK\r\n\r\nhello", keep, true);
    EXPECT_EQ(r.body, "hello");
    EXPECT_FALSE(keep);
}

TEST(ResponseParser, ConnectionCloseAndStrayBytesEndKeepAlive) {
    ResponseParser closing("http://x/");
    EXPECT_TRUE(closing.feed("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"));
    EXPECT_FALSE(closing.keep_alive());
    ResponseParser stray("http://x/");
    EXPECT_TRUE(stray.feed("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nab"));
    EXPECT_FALSE(stray.keep_alive());
    EXPECT_EQ(stray.take().body, "a");
}

void expect_protocol_error(const std::string& text) {
    ResponseParser p("http://x/");
    EXPECT_THROW(
        {
            p.feed(text);
            p.end_of_stream();
        },
        ProtocolError)
        << text;
}

TEST(ResponseParser, MalformedFramingIsAProtocolError) {
    const std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    expect_protocol_error(chunked + "-a\r\n");          // a negative size once hung the client
    expect_protocol_error(chunked + "zz\r\nab\r\n0\r\n\r\n");
    expect_protocol_error(chunked + "\r\n");             // an empty size
    expect_protocol_error(chunked + "2\r\nabc\r\n0\r\n\r\n");  // data longer than its size
    expect_protocol_error(chunked + "2\nab\r\n");        // a bare LF
    expect_protocol_error(chunked + "ffffffffffffffffffff\r\n");  // overflows
    expect_protocol_error("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n");
    expect_protocol_error("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n");
    expect_protocol_error("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");
    expect_protocol_error("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n");
    expect_protocol_error("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n");
    expect_protocol_error("HTTP/1.1 2x0 OK\r\n\r\n");
    expect_protocol_error("SMTP/1.1 200 OK\r\n\r\n");
    expect_protocol_error("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n");
    expect_protocol_error("HTTP/1.1 100 Continue\r\n\r\n");
}

TEST(ResponseParser, ACutResponseIsAConnectionReset) {
    for (const std::string& text :
         {std::string(), std::string("HTTP/1.1 200 OK\r\nContent-Len"),
          std::string("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{\"a\""),
          std::string("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"),
          std::string("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n")}) {
        ResponseParser p("http://x/");
        EXPECT_FALSE(p.feed(text));
        EXPECT_EQ(p.started(), !text.empty());
        EXPECT_THROW(p.end_of_stream(), ConnectionReset) << text;
    }
}

TEST(ResponseParser, LimitsBoundHeadersAndBody) {
    const ResponseLimits limits{.header_bytes = 100, .body_bytes = 10};
    {
        ResponseParser p("http://x/", limits);
        EXPECT_THROW(p.feed("HTTP/1.1 200 OK\r\nX: " + std::string(200, 'a')), ProtocolError);
    }
    {
        ResponseParser p("http://x/", limits);
        EXPECT_THROW(p.feed("HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n"),
                     ProtocolError);
    }
    {
        // An endless chunked body stops at the limit.
        ResponseParser p("http://x/", limits);
        EXPECT_FALSE(p.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
        EXPECT_FALSE(p.feed("5\r\naaaaa\r\n"));
        EXPECT_THROW(p.feed("5\r\naaaaa\r\n5\r\naaaaa\r\n"), ProtocolError);
    }
    {
        ResponseParser p("http://x/", limits);
        EXPECT_THROW(
            {
                p.feed("HTTP/1.0 200 OK\r\n\r\n");
                p.feed(std::string(11, 'a'));
            },
            ProtocolError);
    }
    {
        ResponseParser p("http://x/", limits);
        p.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n");
        EXPECT_THROW(p.feed(std::string(50, 'a') + "\r\n" + std::string(60, 'b') + "\r\n"),
                     ProtocolError);
    }
}

}  // namespace
}  // namespace bloop
