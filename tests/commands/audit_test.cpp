// The audit log of state-changing commands: one line each, who, from where,
// what and the outcome; reading commands leave none; secrets never appear.
#include <gtest/gtest.h>

#include "support/Keys.h"
#include "support/Process.h"

using namespace vcluster::test;

namespace {

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find('\n', at);
        out.push_back(text.substr(at, end - at));
        at = end == std::string::npos ? text.size() : end + 1;
    }
    return out;
}

}  // namespace

TEST(AuditLog, StateChangingCommandsLeaveOneLineEachWithoutSecrets) {
    TempDir dir;
    Rocks rocks(dir / "cluster.db");
    const std::string log = (dir / "audit.log").string();
    const std::map<std::string, std::string> env = {
        {"VCLUSTER_AUDIT_LOG", log}, {"SUDO_USER", "carol"}, {"SSH_CLIENT", "192.0.2.44 50000 22"}};
    writeFile(dir / "pw", "a-very-secret-password\n");
    EXPECT_EQ(rocks({"add", "host", "vm-server-0-0", "membership=VM Server"}, env).exitCode, 0);
    EXPECT_EQ(rocks({"list", "host"}, env).exitCode, 0);
    EXPECT_EQ(
        rocks({"add", "vcluster", "user", "dave", "password-file=" + (dir / "pw").string()}, env)
            .exitCode,
        0);
    auto token = rocks({"add", "vcluster", "user", "token", "dave"}, env);
    EXPECT_EQ(token.exitCode, 0);
    EXPECT_EQ(rocks({"add", "host", "bad name"}, env).exitCode, 1);

    std::string text = readFile(log);
    auto got = lines(text);
    ASSERT_EQ(got.size(), 4U) << text;
    EXPECT_EQ(got[0],
              "source=cli who=carol from=192.0.2.44 what=\"rocks add host vm-server-0-0 "
              "membership=VM Server\" outcome=ok");
    EXPECT_NE(got[1].find("what=\"rocks add vcluster user dave password-file=***\""),
              std::string::npos)
        << got[1];
    EXPECT_EQ(got[3].rfind("source=cli who=carol from=192.0.2.44 what=\"rocks add host bad name\" "
                           "outcome=\"error: ",
                           0),
              0U)
        << got[3];
    EXPECT_EQ(text.find("a-very-secret-password"), std::string::npos);
    std::string secret = token.out.substr(token.out.find('.') + 1, 64);
    EXPECT_EQ(text.find(secret), std::string::npos);
}
