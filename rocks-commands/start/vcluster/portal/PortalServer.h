#pragma once

#include <httplib.h>

#include "portal/HttpFront.h"

namespace vcluster::portal {

// cpp-httplib's routing and request parsing, fed the complete requests that
// HttpFront read (httplib's own listener, one thread per connection for the
// connection's life, is not used: a slow client would hold a thread).
class PortalServer : public httplib::Server {
  public:
    // Answers the request of `x`; true when the connection may carry another.
    bool answer(Exchange& x) {
        ExchangeStream stream(x);
        bool closed = false;
        bool ok = process_request(stream, x.last(), closed, nullptr);
        return ok && !closed;
    }

  private:
    class ExchangeStream : public httplib::Stream {
      public:
        explicit ExchangeStream(Exchange& x) : x_(x) {}
        bool is_readable() const override { return x_.readable(); }
        bool is_writable() const override { return true; }
        ssize_t read(char* ptr, size_t size) override { return x_.read(ptr, size); }
        ssize_t write(const char* ptr, size_t size) override { return x_.write(ptr, size); }
        void get_remote_ip_and_port(std::string& ip, int& port) const override {
            ip = x_.remoteIp();
            port = x_.remotePort();
        }
        void get_local_ip_and_port(std::string& ip, int& port) const override {
            ip = x_.localIp();
            port = x_.localPort();
        }
        socket_t socket() const override { return x_.socket(); }

      private:
        Exchange& x_;
    };
};

}  // namespace vcluster::portal
