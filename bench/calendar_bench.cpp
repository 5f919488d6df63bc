// Trace-driven admission benchmark: replays jobs of a Standard Workload
// Format trace as reservation requests against 1,000 vm-servers holding
// 100,000 booked reservations, through CapacityCalendar (what `rocks add
// vcluster` uses) and through ScanCalendar (scan every booking), and prints
// admissions/s, p50/p99 latency, acceptance rate and the speed-up.
//
// The offered load is a parameter relative to the site's capacity (--load,
// default 1.0): the trace's submit times are compressed by the factor that
// makes the CPU-seconds it asks for per second equal that share of the
// site's CPUs, computed from the trace itself. Without a trace argument it
// runs every *.swf.gz in ../shared/data.
//
// Usage: bench-calendar_bench [trace.swf.gz...] [--booked N] [--stream N] [--scan N] [--load X]
#include <time.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "calendar/Admission.h"
#include "calendar/CapacityCalendar.h"
#include "calendar/ScanCalendar.h"
#include "calendar/SwfTrace.h"

using namespace vcluster::calendar;
// Latencies are the thread's CPU time: on a machine shared with other work
// (a busy CI host) wall time mostly measures the other work.
struct Clock {
    using duration = std::chrono::nanoseconds;
    using time_point = std::chrono::time_point<Clock, duration>;
    static time_point now() {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return time_point(duration(std::int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec));
    }
};

namespace {

struct Job {
    Time submit;
    Time runtime;
    int procs;
};

// SWF traces (calendar/SwfTrace.h: one job a line, ';' comments).
std::vector<Job> readSwf(const std::string& path) {
    gzFile in = gzopen(path.c_str(), "rb");
    if (in == nullptr) {
        std::fprintf(stderr, "cannot open %s\n", path.c_str());
        std::exit(1);
    }
    std::vector<Job> jobs;
    char line[4096];
    while (gzgets(in, line, sizeof line) != nullptr) {
        if (auto job = parseSwfLine(line)) {
            jobs.push_back({job->submit, job->runtime, job->procs});
        }
    }
    gzclose(in);
    std::sort(jobs.begin(), jobs.end(),
              [](const Job& a, const Job& b) { return a.submit < b.submit; });
    return jobs;
}

struct Settings {
    int vmServers = 1000;
    int booked = 100000;
    int stream = 20000;
    int scanStream = 1000;
    double load = 1.0;         // offered CPU load relative to the site's CPUs
    double compression = 1.0;  // submit times divided by this (computed from `load`)
    Time durationScale = 20;   // a job's seconds become this many reservation seconds
    Time minDuration = 1800;
    Time maxLead = 2 * 86400;  // requests book up to two days ahead
    Amount perNode{4, 8192};
    Amount serverCapacity{32, 131072};
};

Time lengthOf(const Job& j, const Settings& s) {
    return std::max(s.minDuration, j.runtime * s.durationScale);
}

// The compression of submit times that offers `s.load` of the site's CPUs:
// the trace asks for sum(nodes x CPUs x length) over its span / compression.
double compressionFor(const std::vector<Job>& jobs, const Settings& s) {
    double asked = 0;
    for (const auto& j : jobs) {
        asked += static_cast<double>(j.procs) * static_cast<double>(s.perNode.cpus) *
                 static_cast<double>(lengthOf(j, s));
    }
    double span = static_cast<double>(jobs.back().submit - jobs.front().submit);
    double capacity = static_cast<double>(s.vmServers) * static_cast<double>(s.serverCapacity.cpus);
    return s.load * span * capacity / asked;
}

// Jobs -> an endless stream of reservation requests (the trace repeated,
// each cycle after the previous one).
class RequestStream {
  public:
    RequestStream(const std::vector<Job>& jobs, const Settings& s) : jobs_(jobs), s_(s), rng_(42) {
        span_ = static_cast<Time>(static_cast<double>(jobs.back().submit - jobs.front().submit) /
                                  s.compression) +
                3600;
    }
    Demand next() {
        const Job& j = jobs_[index_ % jobs_.size()];
        Time cycle = static_cast<Time>(index_ / jobs_.size()) * span_;
        ++index_;
        Time request = kEpoch + cycle +
                       static_cast<Time>(static_cast<double>(j.submit - jobs_.front().submit) /
                                         s_.compression);
        Time start = request + static_cast<Time>(rng_() % static_cast<std::uint64_t>(s_.maxLead));
        Time length = lengthOf(j, s_);
        Demand d;
        d.windows = {{start, start + length}};
        d.hold = {start, start + length};
        d.nodes = j.procs;
        d.perNode = s_.perNode;
        d.frontend = {1, 1024};
        d.diskMiB = 1024 * (10 + 10 * static_cast<std::int64_t>(j.procs));
        d.network = NetworkKind::Vxlan;
        lastRequest_ = request;
        return d;
    }

  private:
    static constexpr Time kEpoch = 1893456000;  // 2030-01-01
    const std::vector<Job>& jobs_;
    const Settings& s_;
    std::mt19937_64 rng_;
    Time span_ = 0;
    std::size_t index_ = 0;
    Time lastRequest_ = 0;
};

Inventory site(const Settings& s) {
    Inventory inv;
    for (int i = 0; i < s.vmServers; ++i) {
        inv.vmServers.push_back(
            {"vm-server-" + std::to_string(i / 40) + "-" + std::to_string(i % 40),
             s.serverCapacity});
    }
    for (int g = 0; g < 50; ++g) {
        GatewayCapacity gw{"gateway-0-" + std::to_string(g), {64, 262144}, {}};
        for (int a = 0; a < 250; ++a) {
            gw.publicIps.push_back("10." + std::to_string(g) + ".0." + std::to_string(a + 1));
        }
        inv.gateways.push_back(std::move(gw));
    }
    for (int i = 0; i < 20; ++i) {
        inv.storage.push_back({"storage-2-" + std::to_string(i), {0, 100LL * 1024 * 1024}});
    }
    return inv;
}

struct Result {
    std::vector<double> latencyUs;
    int accepted = 0;
    double seconds = 0;
    std::vector<int> decisions;  // 1 admitted, 0 refused
};

Result replay(CapacityView& view, const std::vector<Demand>& requests) {
    Result r;
    r.latencyUs.reserve(requests.size());
    auto begin = Clock::now();
    for (std::size_t i = 0; i < requests.size(); ++i) {
        auto t0 = Clock::now();
        Decision d = admit(view, requests[i], Policy::Pack);
        bool ok = std::holds_alternative<Placement>(d);
        if (ok) {
            view.book({static_cast<std::int64_t>(i), requests[i], std::get<Placement>(d)});
        }
        auto t1 = Clock::now();
        r.latencyUs.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
        r.accepted += ok ? 1 : 0;
        r.decisions.push_back(ok ? 1 : 0);
    }
    r.seconds = std::chrono::duration<double>(Clock::now() - begin).count();
    return r;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) {
        return 0;
    }
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

void print(const char* name, const Result& r) {
    std::printf(
        "%-18s %8zu req  %10.0f adm/s  p50 %9.1f us  p99 %9.1f us  mean %9.1f us  accepted "
        "%5.1f%%\n",
        name, r.latencyUs.size(), static_cast<double>(r.latencyUs.size()) / r.seconds,
        percentile(r.latencyUs, 0.50), percentile(r.latencyUs, 0.99),
        r.seconds * 1e6 / static_cast<double>(r.latencyUs.size()),
        100.0 * r.accepted / static_cast<double>(r.latencyUs.size()));
}

bool replayTrace(const std::string& trace, Settings s) {
    std::vector<Job> jobs = readSwf(trace);
    if (jobs.empty()) {
        std::fprintf(stderr, "no jobs in %s\n", trace.c_str());
        return false;
    }
    s.compression = compressionFor(jobs, s);
    std::printf("trace %s: %zu jobs; offered load %.2f of the site's CPUs (submit times / %.2f)\n",
                trace.c_str(), jobs.size(), s.load, s.compression);
    Inventory inv = site(s);
    CapacityCalendar fast(inv);
    ScanCalendar scan(inv);
    RequestStream stream(jobs, s);

    // Book the first reservations of the stream until `booked` are in.
    auto t0 = Clock::now();
    int offered = 0;
    std::int64_t id = 0;
    while (id < s.booked && offered < 20 * s.booked) {  // bounded even on a saturated site
        Demand d = stream.next();
        ++offered;
        Decision decision = admit(fast, d, Policy::Pack);
        if (auto* p = std::get_if<Placement>(&decision)) {
            Booking b{id++, d, *p};
            fast.book(b);
            scan.book(b);
        }
    }
    std::printf(
        "pre-booked %lld reservations (%d requests offered, %.1f%% admitted) on %d "
        "vm-servers in %.1f s\n",
        static_cast<long long>(id), offered, 100.0 * static_cast<double>(id) / offered, s.vmServers,
        std::chrono::duration<double>(Clock::now() - t0).count());

    std::vector<Demand> requests;
    for (int i = 0; i < s.stream; ++i) {
        requests.push_back(stream.next());
    }
    std::vector<Demand> head(requests.begin(),
                             requests.begin() + std::min<std::ptrdiff_t>(s.scanStream, s.stream));

    // The same first requests through both, from the same state; the fast
    // calendar then keeps two copies' worth of state apart, so replay the head
    // on a copy-free path: the scan first, then the calendar in order.
    Result scanHead = replay(scan, head);
    Result fastAll = replay(fast, requests);
    Result fastHead;
    fastHead.latencyUs.assign(fastAll.latencyUs.begin(),
                              fastAll.latencyUs.begin() + static_cast<std::ptrdiff_t>(head.size()));
    fastHead.accepted = static_cast<int>(
        std::count(fastAll.decisions.begin(),
                   fastAll.decisions.begin() + static_cast<std::ptrdiff_t>(head.size()), 1));
    double headSeconds = 0;
    for (double us : fastHead.latencyUs) {
        headSeconds += us / 1e6;
    }
    fastHead.seconds = headSeconds;
    bool agree =
        std::equal(scanHead.decisions.begin(), scanHead.decisions.end(), fastAll.decisions.begin());

    // Refusals also search for the earliest start that fits (as the command does).
    std::vector<double> earliestUs;
    for (std::size_t i = 0; i < requests.size() && earliestUs.size() < 200; ++i) {
        if (fastAll.decisions[i] == 0) {
            auto a = Clock::now();
            auto fit =
                earliestFit(fast, requests[i], Policy::Pack, requests[i].hold.start + 30 * 86400);
            earliestUs.push_back(
                std::chrono::duration<double, std::micro>(Clock::now() - a).count());
            (void)fit;
        }
    }

    std::printf("\nlatencies in thread CPU time\n");
    print("calendar (stream)", fastAll);
    print("calendar (head)", fastHead);
    {
        std::vector<double> yes;
        std::vector<double> no;
        for (std::size_t i = 0; i < fastAll.latencyUs.size(); ++i) {
            (fastAll.decisions[i] != 0 ? yes : no).push_back(fastAll.latencyUs[i]);
        }
        std::printf(
            "calendar (stream) admitted p50 %.1f us p99 %.1f us; refused p50 %.1f us p99 "
            "%.1f us\n",
            percentile(yes, 0.5), percentile(yes, 0.99), percentile(no, 0.5), percentile(no, 0.99));
    }
    print("scan (head)", scanHead);
    std::printf("\nsame decisions on the head: %s\n", agree ? "yes" : "NO");
    std::printf("speed-up on the head (scan mean / calendar mean): %.0fx; p99 ratio %.0fx\n",
                (scanHead.seconds / static_cast<double>(head.size())) /
                    (fastHead.seconds / static_cast<double>(head.size())),
                percentile(scanHead.latencyUs, 0.99) / percentile(fastHead.latencyUs, 0.99));
    if (!earliestUs.empty()) {
        std::printf(
            "earliest-start search after a refusal (calendar, %zu refusals): p50 %.1f us, "
            "p99 %.1f us\n",
            earliestUs.size(), percentile(earliestUs, 0.5), percentile(earliestUs, 0.99));
    }
    return agree;
}

}  // namespace

int main(int argc, char** argv) {
    Settings s;
    std::vector<std::string> traces;
    for (int i = 1; i < argc; ++i) {
        auto next = [&](int& target) { target = std::atoi(argv[++i]); };
        if (std::strcmp(argv[i], "--booked") == 0 && i + 1 < argc) {
            next(s.booked);
        } else if (std::strcmp(argv[i], "--stream") == 0 && i + 1 < argc) {
            next(s.stream);
        } else if (std::strcmp(argv[i], "--scan") == 0 && i + 1 < argc) {
            next(s.scanStream);
        } else if (std::strcmp(argv[i], "--load") == 0 && i + 1 < argc) {
            s.load = std::atof(argv[++i]);
        } else {
            traces.emplace_back(argv[i]);
        }
    }
    if (traces.empty()) {
        const std::filesystem::path data = VCLUSTER_SOURCE_DIR "/../shared/data";
        if (std::filesystem::is_directory(data)) {
            for (const auto& e : std::filesystem::directory_iterator(data)) {
                if (e.path().string().ends_with(".swf.gz")) {
                    traces.push_back(e.path().string());
                }
            }
        }
        std::sort(traces.begin(), traces.end());
    }
    if (traces.empty()) {
        std::fprintf(stderr, "no SWF traces given or in ../shared/data\n");
        return 1;
    }
    bool ok = true;
    for (const auto& trace : traces) {
        ok = replayTrace(trace, s) && ok;
        std::printf("\n");
    }
    return ok ? 0 : 1;
}
