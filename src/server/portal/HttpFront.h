#pragma once

#include <sys/types.h>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "portal/RequestReader.h"

namespace vcluster::portal {

struct FrontOptions {
    RequestLimits limits;
    // From a connection's start (or its previous answer) to the end of the
    // request head, and from there to the end of the body: a client sending a
    // byte now and then is answered 408 and closed when its time is up.
    std::chrono::milliseconds headTimeout{10000};
    std::chrono::milliseconds bodyTimeout{30000};
    std::chrono::milliseconds writeTimeout{10000};  // each write of an answer
    int perAddress = 32;                            // open connections from one client address
    std::vector<std::string> uncapped;              // addresses without that cap (trusted proxies)
    int maxConnections = 1024;                      // open connections in all
    int workers = 32;                               // requests handled at once
    int keepAliveMax = 100;                         // requests on one connection
    std::string certFile;                           // both set: TLS
    std::string keyFile;
};

// A complete request (in RequestReader's plain form) and the connection to
// answer it on, as a worker thread handles it.
class Exchange {
  public:
    bool readable() const { return offset_ < request_.size(); }
    ssize_t read(char* buffer, std::size_t size);
    // Writes to the client (TLS or not) within the write timeout; -1: failed.
    ssize_t write(const char* data, std::size_t size);
    const std::string& remoteIp() const { return remoteIp_; }
    int remotePort() const { return remotePort_; }
    const std::string& localIp() const { return localIp_; }
    int localPort() const { return localPort_; }
    int socket() const { return fd_; }
    // The last request this connection may carry (keep-alive limit).
    bool last() const { return last_; }

  private:
    friend class HttpFront;
    std::string request_;
    std::size_t offset_ = 0;
    int fd_ = -1;
    void* ssl_ = nullptr;  // SSL*, owned by the connection
    std::string remoteIp_;
    int remotePort_ = 0;
    std::string localIp_;
    int localPort_ = 0;
    bool last_ = false;
    std::chrono::milliseconds writeTimeout_{0};
};

// Handles one request; returns true to keep the connection for another.
using FrontHandler = std::function<bool(Exchange&)>;

// The portal's network front: one thread waits (poll) on every connection
// and reads requests through RequestReader within their limits and time, so
// slow or oversized clients cost a little memory and no worker; only a
// complete request goes to one of the worker threads. TLS (OpenSSL) is
// terminated here too. Connections beyond `perAddress` from one address or
// `maxConnections` in all are answered 503 and closed at once.
class HttpFront {
  public:
    HttpFront(FrontOptions options, FrontHandler handler);
    ~HttpFront();
    HttpFront(const HttpFront&) = delete;
    HttpFront& operator=(const HttpFront&) = delete;

    int bind(const std::string& host, int port);  // returns the port (port 0: a free one)
    bool serve();                                 // until stop()
    void stop();
    bool tls() const { return ctx_ != nullptr; }

  private:
    struct Conn;
    using Clock = std::chrono::steady_clock;
    void acceptAll();
    void onEvent(Conn& c, short revents);
    void readFrom(Conn& c);
    void dispatch(int fd);
    void answerAndClose(int fd, int status, const std::string& message);
    void close(int fd);
    void closeConn(Conn& c);
    void takeReturned();
    void expire(Clock::time_point now);
    void work();

    FrontOptions options_;
    FrontHandler handler_;
    void* ctx_ = nullptr;  // SSL_CTX*
    int listenFd_ = -1;
    int wakeRead_ = -1;
    int wakeWrite_ = -1;
    std::atomic<bool> stopping_{false};

    // The poll thread's own: connections it reads, counts per address.
    std::map<int, std::unique_ptr<Conn>> conns_;
    std::map<std::string, int> perAddress_;
    int busy_ = 0;  // connections a worker has
    Clock::time_point acceptPausedUntil_{};

    // Handed between the poll thread and the workers.
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<std::unique_ptr<Conn>> queue_;
    std::vector<std::pair<std::unique_ptr<Conn>, bool>> returned_;  // keep open?
    std::vector<std::thread> workers_;
};

}  // namespace vcluster::portal
