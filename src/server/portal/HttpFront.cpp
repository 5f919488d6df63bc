#include "portal/HttpFront.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <stdexcept>

#include "util/Error.h"

namespace vcluster::portal {

namespace {

SSL* sslOf(void* p) { return static_cast<SSL*>(p); }

std::pair<std::string, int> addressOf(const sockaddr_storage& sa) {
    char host[INET6_ADDRSTRLEN] = {};
    int port = 0;
    if (sa.ss_family == AF_INET) {
        const auto& in = reinterpret_cast<const sockaddr_in&>(sa);
        inet_ntop(AF_INET, &in.sin_addr, host, sizeof host);
        port = ntohs(in.sin_port);
    } else if (sa.ss_family == AF_INET6) {
        const auto& in6 = reinterpret_cast<const sockaddr_in6&>(sa);
        inet_ntop(AF_INET6, &in6.sin6_addr, host, sizeof host);
        port = ntohs(in6.sin6_port);
    }
    return {host, port};
}

const char* reasonOf(int status) {
    switch (status) {
        case 400:
            return "Bad Request";
        case 408:
            return "Request Timeout";
        case 413:
            return "Content Too Large";
        case 417:
            return "Expectation Failed";
        case 431:
            return "Request Header Fields Too Large";
        case 501:
            return "Not Implemented";
        case 503:
            return "Service Unavailable";
        default:
            return "Error";
    }
}

// Waits until `fd` is ready for `events` or `timeout` passes.
bool waitFor(int fd, short events, std::chrono::milliseconds timeout) {
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, static_cast<int>(timeout.count()));
    return n > 0 && (p.revents & (events | POLLHUP | POLLERR)) != 0;
}

}  // namespace

struct HttpFront::Conn {
    explicit Conn(const RequestLimits& limits) : reader(limits) {}
    int fd = -1;
    SSL* ssl = nullptr;
    bool handshaking = false;
    bool wantWrite = false;  // TLS wants the socket writable to go on
    std::string ip;
    int port = 0;
    std::string localIp;
    int localPort = 0;
    RequestReader reader;
    Clock::time_point deadline;
    bool inBody = false;
    bool continued = false;
    int served = 0;
    std::string request;  // a complete request, for the worker
    // Answered with an error: what the client still sends is read and
    // dropped for a moment (a lingering close), so that it reads our answer
    // rather than a reset.
    bool draining = false;
    std::size_t drained = 0;
};

namespace {
constexpr std::size_t kMaxDrain = std::size_t{1} << 20;
constexpr std::chrono::seconds kDrainTime{2};
}  // namespace

HttpFront::HttpFront(FrontOptions options, FrontHandler handler)
    : options_(std::move(options)), handler_(std::move(handler)) {
    if (!options_.certFile.empty()) {
        SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
        if (ctx == nullptr) {
            throw Error("cannot set up TLS");
        }
        ctx_ = ctx;
        SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
        SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
        SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
        if (SSL_CTX_use_certificate_chain_file(ctx, options_.certFile.c_str()) != 1 ||
            SSL_CTX_use_PrivateKey_file(ctx, options_.keyFile.c_str(), SSL_FILETYPE_PEM) != 1 ||
            SSL_CTX_check_private_key(ctx) != 1) {
            SSL_CTX_free(ctx);
            ctx_ = nullptr;
            throw Error("cannot use the certificate '" + options_.certFile + "' and key '" +
                        options_.keyFile + "'");
        }
    }
    int pipeFds[2];
    if (::pipe2(pipeFds, O_NONBLOCK | O_CLOEXEC) != 0) {
        throw Error(std::string("cannot make a pipe: ") + std::strerror(errno));
    }
    wakeRead_ = pipeFds[0];
    wakeWrite_ = pipeFds[1];
}

HttpFront::~HttpFront() {
    stop();
    for (auto& t : workers_) {
        if (t.joinable()) {
            t.join();
        }
    }
    for (auto& [fd, c] : conns_) {
        closeConn(*c);
    }
    for (auto& c : queue_) {
        closeConn(*c);
    }
    for (auto& [c, keep] : returned_) {
        closeConn(*c);
    }
    if (listenFd_ >= 0) {
        ::close(listenFd_);
    }
    ::close(wakeRead_);
    ::close(wakeWrite_);
    if (ctx_ != nullptr) {
        SSL_CTX_free(static_cast<SSL_CTX*>(ctx_));
    }
}

int HttpFront::bind(const std::string& host, int port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    std::string where = host + ":" + std::to_string(port);
    if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0 ||
        found == nullptr) {
        throw Error("cannot listen on " + where + ": unknown address");
    }
    int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int yes = 1;
    bool ok = fd >= 0 && ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes) == 0 &&
              ::bind(fd, found->ai_addr, found->ai_addrlen) == 0 && ::listen(fd, 512) == 0;
    std::string why = std::strerror(errno);
    ::freeaddrinfo(found);
    if (!ok) {
        if (fd >= 0) {
            ::close(fd);
        }
        throw Error("cannot listen on " + where + ": " + why);
    }
    sockaddr_storage sa{};
    socklen_t len = sizeof sa;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
    listenFd_ = fd;
    return addressOf(sa).second;
}

void HttpFront::stop() {
    stopping_ = true;
    ready_.notify_all();
    char c = 's';
    [[maybe_unused]] ssize_t n = ::write(wakeWrite_, &c, 1);
}

bool HttpFront::serve() {
    if (listenFd_ < 0) {
        return false;
    }
    std::signal(SIGPIPE, SIG_IGN);  // a client gone while answered is not our death
    rlimit files{};
    if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;  // room for max-connections
        ::setrlimit(RLIMIT_NOFILE, &files);
    }
    for (int i = 0; i < options_.workers; ++i) {
        workers_.emplace_back([this] { work(); });
    }
    std::vector<pollfd> fds;
    std::vector<int> order;
    while (!stopping_) {
        fds.clear();
        order.clear();
        // At the process's file limit, accepting waits a moment rather than spin.
        bool accepting = Clock::now() >= acceptPausedUntil_;
        fds.push_back({accepting ? listenFd_ : -1, POLLIN, 0});
        fds.push_back({wakeRead_, POLLIN, 0});
        for (auto& [fd, c] : conns_) {
            short events = c->wantWrite ? POLLOUT : POLLIN;
            fds.push_back({fd, events, 0});
            order.push_back(fd);
        }
        int n = ::poll(fds.data(), fds.size(), 250);
        if (n < 0 && errno != EINTR) {
            break;
        }
        if (stopping_) {
            break;
        }
        if ((fds[1].revents & POLLIN) != 0) {
            char buffer[256];
            while (::read(wakeRead_, buffer, sizeof buffer) > 0) {
            }
            takeReturned();
        }
        for (std::size_t i = 0; i < order.size(); ++i) {
            short revents = fds[i + 2].revents;
            auto it = conns_.find(order[i]);
            if (revents != 0 && it != conns_.end()) {
                onEvent(*it->second, revents);
            }
        }
        if ((fds[0].revents & POLLIN) != 0) {
            acceptAll();
        }
        expire(Clock::now());
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    ready_.notify_all();
    for (auto& t : workers_) {
        t.join();
    }
    workers_.clear();
    return true;
}

void HttpFront::acceptAll() {
    while (true) {
        sockaddr_storage sa{};
        socklen_t len = sizeof sa;
        int fd = ::accept4(listenFd_, reinterpret_cast<sockaddr*>(&sa), &len,
                           SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                acceptPausedUntil_ = Clock::now() + std::chrono::milliseconds(100);
            }
            return;  // EAGAIN, or a connection gone before we took it
        }
        auto [ip, port] = addressOf(sa);
        int& fromThere = perAddress_[ip];
        bool capped = std::find(options_.uncapped.begin(), options_.uncapped.end(), ip) ==
                      options_.uncapped.end();
        if (static_cast<int>(conns_.size()) + busy_ >= options_.maxConnections ||
            (capped && fromThere >= options_.perAddress)) {
            if (fromThere == 0) {
                perAddress_.erase(ip);
            }
            // Plain text even on TLS: a refused client gets a broken handshake.
            if (ctx_ == nullptr) {
                std::string body = "{\"error\":\"too many connections\"}\n";
                std::string answer =
                    "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n"
                    "Retry-After: 10\r\nContent-Type: application/json\r\n"
                    "Content-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n" + body;
                [[maybe_unused]] ssize_t n = ::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
            }
            ::close(fd);
            continue;
        }
        ++fromThere;
        auto c = std::make_unique<Conn>(options_.limits);
        c->fd = fd;
        c->ip = ip;
        c->port = port;
        sockaddr_storage local{};
        socklen_t localLen = sizeof local;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &localLen);
        std::tie(c->localIp, c->localPort) = addressOf(local);
        c->deadline = Clock::now() + options_.headTimeout;
        if (ctx_ != nullptr) {
            c->ssl = SSL_new(static_cast<SSL_CTX*>(ctx_));
            SSL_set_fd(c->ssl, fd);
            SSL_set_accept_state(c->ssl);
            c->handshaking = true;
        }
        conns_.emplace(fd, std::move(c));
    }
}

void HttpFront::onEvent(Conn& c, short revents) {
    if (c.handshaking && !c.draining) {
        int r = SSL_do_handshake(c.ssl);
        if (r == 1) {
            c.handshaking = false;
            c.wantWrite = false;
        } else {
            int e = SSL_get_error(c.ssl, r);
            if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
                c.wantWrite = e == SSL_ERROR_WANT_WRITE;
                return;
            }
            ERR_clear_error();
            close(c.fd);
            return;
        }
    }
    if ((revents & (POLLIN | POLLOUT | POLLHUP | POLLERR)) != 0) {
        readFrom(c);
    }
}

void HttpFront::readFrom(Conn& c) {
    char buffer[16384];
    int fd = c.fd;
    while (c.draining) {
        ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            return;
        }
        c.drained += n > 0 ? static_cast<std::size_t>(n) : 0;
        if (n <= 0 || c.drained > kMaxDrain) {
            close(fd);
            return;
        }
    }
    while (true) {
        ssize_t n = 0;
        if (c.ssl != nullptr) {
            int r = SSL_read(c.ssl, buffer, sizeof buffer);
            if (r <= 0) {
                int e = SSL_get_error(c.ssl, r);
                if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
                    c.wantWrite = e == SSL_ERROR_WANT_WRITE;
                    return;
                }
                ERR_clear_error();
                close(fd);
                return;
            }
            c.wantWrite = false;
            n = r;
        } else {
            n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
                return;
            }
            if (n <= 0) {
                close(fd);
                return;
            }
        }
        RequestReader::State s = c.reader.feed(std::string_view(buffer, static_cast<size_t>(n)));
        if (s == RequestReader::State::Failed) {
            answerAndClose(fd, c.reader.errorStatus(), c.reader.errorMessage());
            return;
        }
        if (s == RequestReader::State::Complete) {
            dispatch(fd);
            return;
        }
        if (s != RequestReader::State::Head && !c.inBody) {
            c.inBody = true;
            c.deadline = Clock::now() + options_.bodyTimeout;
        }
        if (c.reader.wantsContinue() && !c.continued) {
            c.continued = true;
            static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
            if (c.ssl != nullptr) {
                SSL_write(c.ssl, kContinue, sizeof kContinue - 1);
            } else {
                [[maybe_unused]] ssize_t w =
                    ::send(fd, kContinue, sizeof kContinue - 1, MSG_NOSIGNAL);
            }
        }
    }
}

void HttpFront::dispatch(int fd) {
    auto it = conns_.find(fd);
    std::unique_ptr<Conn> c = std::move(it->second);
    conns_.erase(it);
    c->request = c->reader.take();
    ++busy_;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        queue_.push_back(std::move(c));
    }
    ready_.notify_one();
}

void HttpFront::answerAndClose(int fd, int status, const std::string& message) {
    auto it = conns_.find(fd);
    if (it == conns_.end()) {
        return;
    }
    Conn& c = *it->second;
    std::string body = "{\"error\":\"" + message + "\"}\n";  // our own words: no escaping needed
    std::string answer = "HTTP/1.1 " + std::to_string(status) + " " + reasonOf(status) +
                         "\r\nConnection: close\r\nContent-Type: application/json\r\n"
                         "Cache-Control: no-store\r\nContent-Length: " +
                         std::to_string(body.size()) + "\r\n\r\n" + body;
    if (c.ssl != nullptr) {
        SSL_write(c.ssl, answer.data(), static_cast<int>(answer.size()));
    } else {
        [[maybe_unused]] ssize_t n = ::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
    }
    ::shutdown(fd, SHUT_WR);
    c.draining = true;
    c.wantWrite = false;
    c.deadline = Clock::now() + kDrainTime;
}

void HttpFront::closeConn(Conn& c) {
    if (c.ssl != nullptr) {
        SSL_free(c.ssl);
        c.ssl = nullptr;
    }
    if (c.fd >= 0) {
        ::close(c.fd);
        c.fd = -1;
    }
}

void HttpFront::close(int fd) {
    auto it = conns_.find(fd);
    if (it == conns_.end()) {
        return;
    }
    std::string ip = it->second->ip;
    closeConn(*it->second);
    conns_.erase(it);
    if (--perAddress_[ip] <= 0) {
        perAddress_.erase(ip);
    }
}

void HttpFront::takeReturned() {
    std::vector<std::pair<std::unique_ptr<Conn>, bool>> back;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        back.swap(returned_);
    }
    for (auto& [c, keep] : back) {
        --busy_;
        int fd = c->fd;
        if (!keep) {
            std::string ip = c->ip;
            closeConn(*c);
            if (--perAddress_[ip] <= 0) {
                perAddress_.erase(ip);
            }
            continue;
        }
        c->deadline = Clock::now() + options_.headTimeout;
        c->inBody = false;
        c->continued = false;
        Conn& kept = *c;
        conns_.emplace(fd, std::move(c));
        // A pipelined request may already be (partly) read.
        RequestReader::State s = kept.reader.state();
        if (s == RequestReader::State::Complete) {
            dispatch(fd);
        } else if (s == RequestReader::State::Failed) {
            answerAndClose(fd, kept.reader.errorStatus(), kept.reader.errorMessage());
        } else if (kept.ssl != nullptr && SSL_pending(kept.ssl) > 0) {
            readFrom(kept);
        }
    }
}

void HttpFront::expire(Clock::time_point now) {
    std::vector<int> late;
    for (auto& [fd, c] : conns_) {
        if (now >= c->deadline) {
            late.push_back(fd);
        }
    }
    for (int fd : late) {
        Conn& c = *conns_.at(fd);
        if (!c.draining && c.reader.started() && !c.handshaking) {
            answerAndClose(fd, 408, "request not received in time");
        } else {
            close(fd);  // an idle keep-alive connection, or a stalled handshake
        }
    }
}

void HttpFront::work() {
    while (true) {
        std::unique_ptr<Conn> c;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (stopping_) {
                return;
            }
            c = std::move(queue_.front());
            queue_.pop_front();
        }
        Exchange x;
        x.request_ = std::move(c->request);
        x.fd_ = c->fd;
        x.ssl_ = c->ssl;
        x.remoteIp_ = c->ip;
        x.remotePort_ = c->port;
        x.localIp_ = c->localIp;
        x.localPort_ = c->localPort;
        x.writeTimeout_ = options_.writeTimeout;
        ++c->served;
        x.last_ = c->served >= options_.keepAliveMax;
        bool keep = false;
        try {
            keep = handler_(x) && !x.last_;
        } catch (const std::exception&) {
            keep = false;
        }
        {
            std::lock_guard<std::mutex> lock(mutex_);
            returned_.emplace_back(std::move(c), keep);
        }
        char w = 'r';
        [[maybe_unused]] ssize_t n = ::write(wakeWrite_, &w, 1);
    }
}

ssize_t Exchange::read(char* buffer, std::size_t size) {
    std::size_t n = std::min(size, request_.size() - offset_);
    std::memcpy(buffer, request_.data() + offset_, n);
    offset_ += n;
    return static_cast<ssize_t>(n);
}

ssize_t Exchange::write(const char* data, std::size_t size) {
    std::size_t done = 0;
    while (done < size) {
        if (ssl_ != nullptr) {
            int r = SSL_write(sslOf(ssl_), data + done, static_cast<int>(size - done));
            if (r > 0) {
                done += static_cast<std::size_t>(r);
                continue;
            }
            int e = SSL_get_error(sslOf(ssl_), r);
            if ((e == SSL_ERROR_WANT_WRITE && waitFor(fd_, POLLOUT, writeTimeout_)) ||
                (e == SSL_ERROR_WANT_READ && waitFor(fd_, POLLIN, writeTimeout_))) {
                continue;
            }
            ERR_clear_error();
            return -1;
        }
        ssize_t n = ::send(fd_, data + done, size - done, MSG_NOSIGNAL);
        if (n > 0) {
            done += static_cast<std::size_t>(n);
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            if (!waitFor(fd_, POLLOUT, writeTimeout_)) {
                return -1;
            }
        } else {
            return -1;
        }
    }
    return static_cast<ssize_t>(size);
}

}  // namespace vcluster::portal
