// The portal's request framing: whatever a client sends, in whatever pieces,
// no request is held beyond its limits, and what is handed on reads back as
// itself.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "portal/RequestReader.h"

using namespace vcluster::portal;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) {
        return 0;
    }
    RequestLimits limits;
    limits.maxHeadBytes = 512;
    limits.maxHeaders = 8;
    limits.maxBody = 256;
    // The first byte chooses the piece size, the rest is the stream.
    std::size_t piece = 1 + data[0] % 64;
    std::string stream(reinterpret_cast<const char*>(data + 1), size - 1);
    RequestReader reader(limits);
    for (std::size_t at = 0; at < stream.size(); at += piece) {
        auto s = reader.feed(std::string_view(stream).substr(at, piece));
        while (s == RequestReader::State::Complete) {
            std::string request = reader.take();
            if (request.size() > limits.maxHeadBytes + limits.maxBody + 64) {
                std::abort();
            }
            // The plain form is within the same limits, though it may carry
            // a Content-Length that was not sent (this target found a head
            // with one field too many, then one a few bytes too long, for
            // it: fuzz/regressions/fuzz-request/).
            RequestReader again(limits);
            if (again.feed(request) != RequestReader::State::Complete || again.take() != request) {
                std::abort();
            }
            s = reader.state();
        }
        if (s == RequestReader::State::Failed) {
            int status = reader.errorStatus();
            if (status != 400 && status != 413 && status != 417 && status != 431 && status != 501) {
                std::abort();
            }
            break;
        }
    }
    return 0;
}
