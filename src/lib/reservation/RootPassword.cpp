#include "reservation/RootPassword.h"

#include <crypt.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "materialise/Materialisation.h"
#include "util/Error.h"

namespace vcluster::reservation {

namespace {

std::string cryptOrThrow(const std::string& clear, const char* setting) {
    struct crypt_data data;
    std::memset(&data, 0, sizeof data);
    const char* out = crypt_r(clear.c_str(), setting, &data);
    if (out == nullptr || out[0] == '*') {
        throw Error(std::string("cannot hash the root password: ") + std::strerror(errno));
    }
    return out;
}

}  // namespace

RootPassword makeRootPassword() {
    RootPassword p;
    p.clear = materialise::randomSecret(kRootPasswordLength);
    // SHA-512 crypt's fewest rounds (1,000; the default is 5,000): stretching
    // slows the guessing of a password a person chose, and guessing 113
    // random bits is out of reach at any rounds, while 5,000 rounds cost
    // 4 ms of CPU a booking, most of what the portal spent per booking.
    // The salt: kRootPasswordSaltLength letters and digits (all of them
    // characters of crypt's salt alphabet, ./0-9A-Za-z).
    const std::string setting = "$6$rounds=" + std::to_string(kRootPasswordRounds) + "$" +
                                materialise::randomSecret(kRootPasswordSaltLength);
    p.hash = cryptOrThrow(p.clear, setting.c_str());
    return p;
}

std::string cryptWith(const std::string& clear, const std::string& hash) {
    return cryptOrThrow(clear, hash.c_str());
}

void RootPasswordPool::set(std::int64_t reservation, const FrontendSecrets& secrets) {
    db_.execute("DELETE FROM vcluster_root_passwords WHERE Reservation = ?", {reservation});
    db_.execute(
        "INSERT INTO vcluster_root_passwords (Reservation, Hash, InstallToken) VALUES (?, ?, ?)",
        {reservation, secrets.rootPasswordHash, secrets.installToken});
}

std::optional<FrontendSecrets> RootPasswordPool::find(std::int64_t reservation) const {
    auto row = db_.queryOne(
        "SELECT Hash, InstallToken, COALESCE(PowerToken, '') FROM "
        "vcluster_root_passwords WHERE Reservation = ?",
        {reservation});
    if (!row) {
        return std::nullopt;
    }
    return FrontendSecrets{row->text(0), row->text(1), row->text(2)};
}

void RootPasswordPool::setPowerToken(std::int64_t reservation, const std::string& token) {
    db_.execute("UPDATE vcluster_root_passwords SET PowerToken = ? WHERE Reservation = ?",
                {token, reservation});
}

}  // namespace vcluster::reservation
