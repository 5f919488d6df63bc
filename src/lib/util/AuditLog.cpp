#include "util/AuditLog.h"

#include <fcntl.h>
#include <pwd.h>
#include <syslog.h>
#include <unistd.h>

#include <cstdlib>

namespace vcluster {

namespace {

std::string quoted(std::string value) {
    for (char& c : value) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            c = ' ';
        }
    }
    if (value.size() > 1000) {
        value = value.substr(0, 1000) + "...";
    }
    if (!value.empty() && value.find_first_of(" \"\\=") == std::string::npos) {
        return value;
    }
    std::string out = "\"";
    for (char c : value) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out + "\"";
}

bool secretName(const std::string& key) {
    for (const char* word : {"password", "secret", "token", "chap"}) {
        if (key.find(word) != std::string::npos) {
            return true;
        }
    }
    return false;
}

}  // namespace

std::string auditLine(const AuditRecord& r) {
    return "source=" + quoted(r.source) + " who=" + quoted(r.who.empty() ? "-" : r.who) +
           " from=" + quoted(r.from.empty() ? "-" : r.from) + " what=" + quoted(r.what) +
           " outcome=" + quoted(r.outcome);
}

void audit(const AuditRecord& record) {
    const char* where = std::getenv("VCLUSTER_AUDIT_LOG");
    std::string target = where != nullptr && *where != '\0' ? where : "syslog";
    if (target == "off") {
        return;
    }
    std::string line = auditLine(record);
    if (target == "syslog") {
        openlog("vcluster-audit", LOG_PID | LOG_NDELAY, LOG_AUTHPRIV);
        syslog(LOG_INFO, "%s", line.c_str());
        closelog();
        return;
    }
    int fd = ::open(target.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        return;
    }
    line += '\n';
    // One write of one line: concurrent writers (O_APPEND) do not interleave.
    [[maybe_unused]] ssize_t n = ::write(fd, line.data(), line.size());
    ::close(fd);
}

std::string auditedCommand(const std::vector<std::string>& words,
                           const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& params) {
    std::string text = "rocks";
    for (const auto& w : words) {
        text += " " + w;
    }
    for (const auto& a : args) {
        text += " " + a;
    }
    for (const auto& [key, value] : params) {
        text += " " + key + "=" + (secretName(key) ? "***" : value);
    }
    return text;
}

std::string localUser() {
    if (const char* sudo = std::getenv("SUDO_USER"); sudo != nullptr && *sudo != '\0') {
        return sudo;
    }
    passwd pw{};
    passwd* found = nullptr;
    char buffer[4096];
    if (getpwuid_r(getuid(), &pw, buffer, sizeof buffer, &found) == 0 && found != nullptr) {
        return found->pw_name;
    }
    return "uid" + std::to_string(getuid());
}

std::string localOrigin() {
    const char* ssh = std::getenv("SSH_CLIENT");
    if (ssh == nullptr || *ssh == '\0') {
        return "local";
    }
    std::string text = ssh;
    return text.substr(0, text.find(' '));
}

}  // namespace vcluster
