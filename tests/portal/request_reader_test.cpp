// RequestReader: HTTP/1.1 request framing within bounds, fed byte by byte
// or all at once.
#include <gtest/gtest.h>

#include "portal/RequestReader.h"

using vcluster::portal::RequestLimits;
using vcluster::portal::RequestReader;
using State = RequestReader::State;

namespace {

RequestLimits small() {
    RequestLimits l;
    l.maxHeadBytes = 256;
    l.maxHeaders = 4;
    l.maxBody = 100;
    return l;
}

State feedBytewise(RequestReader& r, const std::string& text) {
    State s = r.state();
    for (char c : text) {
        s = r.feed(std::string_view(&c, 1));
    }
    return s;
}

}  // namespace

TEST(RequestReader, AChunkedBodyIsDechunkedBehindAContentLength) {
    for (bool bytewise : {false, true}) {
        RequestReader r(small());
        std::string text =
            "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
            "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n";
        State s = bytewise ? feedBytewise(r, text) : r.feed(text);
        ASSERT_EQ(s, State::Complete);
        EXPECT_EQ(r.take(), "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world");
    }
}

TEST(RequestReader, AChunkedBodyPastTheLimitIsRefusedBeforeItEnds) {
    RequestReader r(small());
    EXPECT_EQ(r.feed("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"), State::ChunkSize);
    EXPECT_EQ(r.feed("40\r\n" + std::string(64, 'a') + "\r\n"), State::ChunkSize);
    EXPECT_EQ(r.feed("40\r\n"), State::Failed) << "64 + 64 > 100, known from the size line";
    EXPECT_EQ(r.errorStatus(), 413);
    RequestReader huge(small());
    EXPECT_EQ(huge.feed("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffff\r\n"),
              State::Failed);
    EXPECT_EQ(huge.errorStatus(), 413);
    RequestReader overflow(small());
    EXPECT_EQ(overflow.feed("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "fffffffffffffffff\r\n"),
              State::Failed);
    EXPECT_EQ(overflow.errorStatus(), 400);
}

TEST(RequestReader, HeadsTooLargeOrWithTooManyFieldsAreRefusedEarly) {
    RequestReader big(small());
    EXPECT_EQ(big.feed("GET / HTTP/1.1\r\nX: " + std::string(300, 'a')), State::Failed)
        << "no end of head yet, already past the bound";
    EXPECT_EQ(big.errorStatus(), 431);
    RequestReader many(small());
    EXPECT_EQ(many.feed("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\nF: 6\r\n"),
              State::Failed);
    EXPECT_EQ(many.errorStatus(), 431);
    RequestReader four(small());
    EXPECT_EQ(four.feed("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n"), State::Complete);
}

TEST(RequestReader, AnnouncedLengthsAreCheckedBeforeTheBodyComes) {
    RequestReader over(small());
    EXPECT_EQ(over.feed("POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n"), State::Failed);
    EXPECT_EQ(over.errorStatus(), 413);
    RequestReader both(small());
    EXPECT_EQ(
        both.feed("POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"),
        State::Failed);
    EXPECT_EQ(both.errorStatus(), 400);
    RequestReader twice(small());
    EXPECT_EQ(twice.feed("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"),
              State::Failed);
    RequestReader gzip(small());
    EXPECT_EQ(gzip.feed("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"),
              State::Failed);
    EXPECT_EQ(gzip.errorStatus(), 501);
    RequestReader folded(small());
    EXPECT_EQ(folded.feed("GET / HTTP/1.1\r\nA: 1\r\n  folded\r\n\r\n"), State::Failed);
    EXPECT_EQ(folded.errorStatus(), 400);
}

TEST(RequestReader, PipelinedRequestsAreTakenOneByOne) {
    RequestReader r(small());
    ASSERT_EQ(r.feed("POST /a HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\nokGET "
                     "/b HTTP/1.1\r\n\r\nGET /c"),
              State::Complete);
    EXPECT_EQ(r.take(), "POST /a HTTP/1.1\r\nContent-Length: 2\r\n\r\nok");
    ASSERT_EQ(r.state(), State::Complete);
    EXPECT_EQ(r.take(), "GET /b HTTP/1.1\r\n\r\n");
    EXPECT_EQ(r.state(), State::Head);
    EXPECT_TRUE(r.started());
    EXPECT_EQ(r.feed(" HTTP/1.1\r\n\r\n"), State::Complete);
    EXPECT_EQ(r.take(), "GET /c HTTP/1.1\r\n\r\n");
    EXPECT_FALSE(r.started());
}

TEST(RequestReader, AClientWaitingForContinueIsSeen) {
    RequestReader r(small());
    EXPECT_EQ(r.feed("PUT / HTTP/1.1\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"),
              State::Body);
    EXPECT_TRUE(r.wantsContinue());
    EXPECT_EQ(r.feed("abc"), State::Complete);
}

// Found by fuzz/fuzz_request.cpp (fuzz/regressions/fuzz-request/): the plain
// form of a request may carry a Content-Length the client did not send, one
// field and some bytes more. It is counted from the start: what is handed on
// is within the limits the reader enforces, so the same reader takes it back
// unchanged. A POST with as many fields as allowed and no Content-Length is
// refused (431), one with a field fewer is handed on with its Content-Length.
TEST(RequestReader, APostsPlainFormWithItsContentLengthIsWithinTheLimits) {
    RequestReader full(small());
    EXPECT_EQ(full.feed("POST /x HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n"), State::Failed);
    EXPECT_EQ(full.errorStatus(), 431);
    RequestReader r(small());
    ASSERT_EQ(r.feed("POST /x HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"), State::Complete);
    std::string plain = r.take();
    EXPECT_EQ(plain, "POST /x HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nContent-Length: 0\r\n\r\n");
    RequestReader again(small());
    EXPECT_EQ(again.feed(plain), State::Complete);
    EXPECT_EQ(again.take(), plain);
}

// The second finding (fuzz/regressions/fuzz-request/plain-form-past-head-bytes):
// a head a few bytes inside maxHeadBytes whose plain form, with the
// Content-Length added, was past it: handed on, and then refused by the same
// reader (431). Now it is refused at once (a chunked body's head is counted
// with the longest Content-Length it could get).
TEST(RequestReader, AHeadWhosePlainFormWouldPassTheByteLimitIsRefused) {
    const std::string head = "POST /x HTTP/1.1\r\nA: " + std::string(220, 'a') + "\r\n";
    ASSERT_LE(head.size() + 2, small().maxHeadBytes);
    ASSERT_GT(head.size() + std::string("Content-Length: 0\r\n").size() + 2, small().maxHeadBytes);
    RequestReader r(small());
    EXPECT_EQ(r.feed(head + "\r\n"), State::Failed);
    EXPECT_EQ(r.errorStatus(), 431);

    const std::string get = "GET /x HTTP/1.1\r\nA: " + std::string(230, 'a') + "\r\n";
    RequestReader plainGet(small());
    EXPECT_EQ(plainGet.feed(get + "\r\n"), State::Complete) << "no Content-Length added";

    // Within the limits, every plain form reads back as itself.
    for (std::size_t n = 150; n < 240; ++n) {
        for (const char* tail :
             {"\r\n", "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
              "Content-Length: 5\r\n\r\nhello"}) {
            RequestReader first(small());
            const std::string request =
                "POST /x HTTP/1.1\r\nA: " + std::string(n, 'a') + "\r\n" + tail;
            if (first.feed(request) != State::Complete) {
                continue;
            }
            const std::string plain = first.take();
            RequestReader again(small());
            ASSERT_EQ(again.feed(plain), State::Complete) << n << " " << tail;
            EXPECT_EQ(again.take(), plain);
        }
    }
}
