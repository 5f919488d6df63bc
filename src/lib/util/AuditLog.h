#pragma once

#include <map>
#include <string>
#include <vector>

namespace vcluster {

// One state-changing request: who asked, from where, what, and how it ended.
struct AuditRecord {
    std::string source;   // "cli" or "portal"
    std::string who;      // the Unix user, or the portal user ("-": nobody yet)
    std::string from;     // "local", the ssh client's address, the portal client's
    std::string what;     // the command line, or "METHOD /path"
    std::string outcome;  // "ok", "refused: ...", "error: ...", "status=201 ms=12"
};

// The record as one line of key=value fields (values quoted when they hold
// spaces or quotes; control characters become spaces).
std::string auditLine(const AuditRecord& record);

// Writes the record where $VCLUSTER_AUDIT_LOG says: "syslog" (the default:
// syslog(3), facility authpriv, ident vcluster-audit, so journald keeps it),
// an absolute file path (appended to, one write per line, created mode
// 0600), or "off". A failure to log never fails the request.
void audit(const AuditRecord& record);

// A command line for the log: the words and arguments as typed, and each
// parameter as key=value, except values of secret parameters (names with
// "password", "secret", "token" or "chap") shown as "***".
std::string auditedCommand(const std::vector<std::string>& words,
                           const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& params);

// Who runs this process: $SUDO_USER, else the login name of the uid.
std::string localUser();
// "local", or the address of the ssh client ($SSH_CLIENT).
std::string localOrigin();

}  // namespace vcluster
