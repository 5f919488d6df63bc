#include "support/Keys.h"

namespace vcluster::test {

std::string base64(const std::string& bytes) {
    static const char* alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        unsigned v = static_cast<unsigned char>(bytes[i]) << 16U;
        if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8U;
        if (i + 2 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 2]);
        out += alphabet[(v >> 18U) & 63U];
        out += alphabet[(v >> 12U) & 63U];
        out += i + 1 < bytes.size() ? alphabet[(v >> 6U) & 63U] : '=';
        out += i + 2 < bytes.size() ? alphabet[v & 63U] : '=';
    }
    return out;
}

std::string sshKeyLine(const std::string& type, const std::string& comment, bool typeOnly) {
    auto wireString = [](const std::string& s) {
        std::string out;
        auto n = static_cast<unsigned>(s.size());
        out += static_cast<char>(n >> 24U);
        out += static_cast<char>((n >> 16U) & 0xffU);
        out += static_cast<char>((n >> 8U) & 0xffU);
        out += static_cast<char>(n & 0xffU);
        return out + s;
    };
    std::string blob = wireString(type);
    if (!typeOnly) {
        blob += wireString(std::string(32, '\x5a'));
    }
    std::string line = type + " " + base64(blob);
    return comment.empty() ? line : line + " " + comment;
}

ProcessResult makeSelfSignedCertificate(const std::string& cert, const std::string& key,
                                        const std::string& ip) {
    return runProcess({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                       "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=" + ip,
                       "-addext", "subjectAltName=IP:" + ip, "-keyout", key, "-out", cert});
}

}  // namespace vcluster::test
