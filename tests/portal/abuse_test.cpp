// The portal under abuse, over loopback: oversized and endless requests,
// slow clients, too many connections from one address. Each test starts its
// own daemon; loopback's 127.0.0.0/8 gives the clients distinct addresses.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "portal/PortalFixture.h"

namespace vcluster::test {

namespace {

using Clock = std::chrono::steady_clock;

// A TCP connection to the portal from loopback address `from`.
int connectFrom(const std::string& from, int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    inet_pton(AF_INET, from.c_str(), &local.sin_addr);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
        ::close(fd);
        return -1;
    }
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<std::uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

bool sendAll(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (n <= 0) {
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// What the server sent within `wait` (until it closed or went quiet).
std::string readAnswer(int fd, std::chrono::milliseconds wait) {
    std::string answer;
    auto until = Clock::now() + wait;
    while (Clock::now() < until) {
        pollfd p{fd, POLLIN, 0};
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
        if (::poll(&p, 1, static_cast<int>(std::max<long>(1, left.count()))) <= 0) {
            break;
        }
        char buffer[4096];
        ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) {
            break;
        }
        answer.append(buffer, static_cast<std::size_t>(n));
    }
    return answer;
}

bool readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 0) > 0;
}

long residentKiB(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::stol(line.substr(6));
        }
    }
    return -1;
}

// Sends `prefix`, then `piece` over and over (up to `most` bytes) until the
// server answers; returns the answer and how much was sent.
std::pair<std::string, std::size_t> flood(int port, const std::string& prefix,
                                          const std::string& piece, std::size_t most) {
    int fd = connectFrom("127.0.0.1", port);
    std::size_t sent = 0;
    bool ok = fd >= 0 && sendAll(fd, prefix);
    while (ok && sent < most && !readable(fd)) {
        ok = sendAll(fd, piece);
        sent += piece.size();
    }
    std::string answer = fd >= 0 ? readAnswer(fd, std::chrono::seconds(5)) : "";
    if (fd >= 0) {
        ::close(fd);
    }
    return {answer, sent};
}

class PortalAbuseTest : public PortalTest {};

}  // namespace

TEST_F(PortalAbuseTest, ChunkedBodiesAreBoundedAndMemoryStaysFlat) {
    int port = portal_->port();
    ASSERT_EQ(http({"GET", portal_->url() + "/login", "", {}, ""}).status, 200);
    long before = residentKiB(portal_->pid());
    ASSERT_GT(before, 0);
    // Four at once, without any token, each willing to send 64 MiB.
    std::string chunk = "10000\r\n" + std::string(0x10000, 'x') + "\r\n";
    std::vector<std::pair<std::string, std::size_t>> results(4);
    std::vector<std::thread> senders;
    for (auto& r : results) {
        senders.emplace_back([&r, port, &chunk] {
            r = flood(port,
                      "POST /api/v1/reservations HTTP/1.1\r\nHost: portal\r\n"
                      "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                      chunk, std::size_t{64} << 20);
        });
    }
    for (auto& t : senders) {
        t.join();
    }
    for (const auto& [answer, sent] : results) {
        EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 413") << answer.substr(0, 200);
        EXPECT_LT(sent, std::size_t{32} << 20) << "the portal read on past max-body";
    }
    long after = residentKiB(portal_->pid());
    EXPECT_LT(after - before, 8 * 1024) << "resident KiB before " << before << ", after " << after;
    // Still serving.
    EXPECT_EQ(http({"GET", portal_->url() + "/login", "", {}, ""}).status, 200);
}

TEST_F(PortalAbuseTest, EndlessHeadersAreRefusedWith431) {
    int port = portal_->port();
    long before = residentKiB(portal_->pid());
    std::string fields;
    for (int i = 0; i < 1000; ++i) {
        fields += "X-Filler-" + std::to_string(i) + ": abcdefghijklmnopqrstuvwxyz\r\n";
    }
    auto [answer, sent] =
        flood(port, "GET /login HTTP/1.1\r\nHost: portal\r\n", fields, std::size_t{112} << 20);
    EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 431") << answer.substr(0, 200);
    EXPECT_LT(sent, std::size_t{16} << 20);
    // 65 short fields: too many, though small.
    std::string many = "GET /login HTTP/1.1\r\nHost: portal\r\n";
    for (int i = 0; i < 65; ++i) {
        many += "X-" + std::to_string(i) + ": y\r\n";
    }
    int fd = connectFrom("127.0.0.1", port);
    ASSERT_TRUE(sendAll(fd, many + "\r\n"));
    EXPECT_EQ(readAnswer(fd, std::chrono::seconds(5)).substr(0, 12), "HTTP/1.1 431");
    ::close(fd);
    // A body far over max-body announced by Content-Length: refused at once.
    fd = connectFrom("127.0.0.1", port);
    ASSERT_TRUE(sendAll(fd,
                        "POST /api/v1/reservations HTTP/1.1\r\nHost: portal\r\n"
                        "Content-Length: 200000000\r\n\r\n"));
    EXPECT_EQ(readAnswer(fd, std::chrono::seconds(5)).substr(0, 12), "HTTP/1.1 413");
    ::close(fd);
    EXPECT_LT(residentKiB(portal_->pid()) - before, 8 * 1024);
}

TEST_F(PortalAbuseTest, SlowClientsDoNotStopTheOthersBeingAnswered) {
    PortalProcess slow(db(), {"request-timeout=3s"});
    int port = slow.port();
    // 200 clients from 13 addresses (16 each at most), each sending a byte
    // of its request head every second, as a slowloris does.
    std::vector<int> fds;
    for (int i = 0; i < 200; ++i) {
        int fd = connectFrom("127.0.0." + std::to_string(10 + i / 16), port);
        ASSERT_GE(fd, 0) << "connection " << i;
        ASSERT_TRUE(sendAll(fd, "GET /login HTTP/1.1\r\n"));
        fds.push_back(fd);
    }
    std::atomic<bool> dribbling{true};
    std::thread dribbler([&] {
        while (dribbling) {
            for (int fd : fds) {
                ::send(fd, "X", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
            }
            std::this_thread::sleep_for(std::chrono::seconds(1));
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    auto started = Clock::now();
    HttpAnswer page = http({"GET", slow.url() + "/login", "", {}, ""}, {10, ""});
    double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    EXPECT_EQ(page.status, 200) << page.error;
    EXPECT_LT(seconds, 1.0) << "answered in " << seconds << " s beside 200 slow clients";
    // Their time is up: each is told so and closed.
    std::this_thread::sleep_for(std::chrono::seconds(3));
    dribbling = false;
    dribbler.join();
    int timedOut = 0;
    for (int fd : fds) {
        if (readAnswer(fd, std::chrono::milliseconds(50)).rfind("HTTP/1.1 408", 0) == 0) {
            ++timedOut;
        }
        ::close(fd);
    }
    EXPECT_EQ(timedOut, 200);
}

TEST_F(PortalAbuseTest, ConnectionsFromOneAddressAreCapped) {
    PortalProcess capped(db(), {"per-address=4"});
    int port = capped.port();
    std::vector<int> fds;
    for (int i = 0; i < 4; ++i) {
        fds.push_back(connectFrom("127.0.0.20", port));
        ASSERT_GE(fds.back(), 0);
    }
    int fifth = connectFrom("127.0.0.20", port);
    ASSERT_GE(fifth, 0);
    EXPECT_EQ(readAnswer(fifth, std::chrono::seconds(5)).substr(0, 12), "HTTP/1.1 503");
    ::close(fifth);
    // Another address is served, and so is the first once one of its own closes.
    HttpRequest other{"GET", capped.url() + "/login", "", {}, ""};
    EXPECT_EQ(http(other, {10, "127.0.0.21"}).status, 200);
    ::close(fds.back());
    fds.pop_back();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(http(other, {10, "127.0.0.20"}).status, 200);
    for (int fd : fds) {
        ::close(fd);
    }
}

}  // namespace vcluster::test
