#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vcluster::portal {

// What one request may take of the portal's memory before it is answered.
struct RequestLimits {
    std::size_t maxHeadBytes = std::size_t{16} * 1024;  // request line, headers and chunk trailers
    std::size_t maxHeaders = 64;
    std::size_t maxBody = std::size_t{64} * 1024;  // after de-chunking
};

// Reads one HTTP/1.1 request from the bytes a connection delivers, checking
// its framing as they arrive, so that no request is held beyond `limits`
// whatever it claims or however it is encoded: a head too large or with too
// many fields is refused (431) before it is complete, a Content-Length above
// the limit at once (413), and a chunked body (413) as soon as its chunks
// pass the limit. A complete request is handed on in a plain form (chunked
// bodies de-chunked behind a Content-Length; no Transfer-Encoding or Expect
// fields), which is all the HTTP server behind it then reads. Bytes past the
// end of one request are kept for the next on the connection.
class RequestReader {
  public:
    enum class State { Head, Body, ChunkSize, ChunkData, ChunkEnd, Trailers, Complete, Failed };

    explicit RequestReader(RequestLimits limits);

    // Takes received bytes; returns the state after them.
    State feed(std::string_view bytes);
    State state() const { return state_; }
    bool started() const { return started_; }
    // The head is read and the client waits for "100 Continue" to send the body.
    bool wantsContinue() const { return expectContinue_ && state_ != State::Head; }

    // Failed: the status to answer (400, 413, 431, 501) and why.
    int errorStatus() const { return errorStatus_; }
    const std::string& errorMessage() const { return errorMessage_; }

    // Complete: the request in its plain form; the reader starts on the next
    // request with the bytes it holds beyond this one.
    std::string take();

  private:
    void fail(int status, std::string message);
    void readHead();
    void headDone(std::size_t end);
    void readBody();
    void readChunks();

    RequestLimits limits_;
    State state_ = State::Head;
    bool started_ = false;
    bool expectContinue_ = false;
    int errorStatus_ = 0;
    std::string errorMessage_;
    std::string pending_;  // received, not yet consumed
    std::string head_;     // request line and kept fields, each ending in CRLF
    std::string body_;
    std::size_t bodyLeft_ = 0;   // Body: bytes still to come
    std::size_t chunkLeft_ = 0;  // ChunkData: bytes of this chunk still to come
    std::size_t trailerBytes_ = 0;
};

}  // namespace vcluster::portal
