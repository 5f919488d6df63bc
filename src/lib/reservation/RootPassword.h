#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "db/Database.h"

namespace vcluster::reservation {

// A virtual frontend's root password: random per cluster, kept only as a
// crypt(3) SHA-512 hash ($6$, what Rocks' Kickstart_PrivateRootPassword
// holds); the clear text exists only in the booking's answer.
struct RootPassword {
    std::string clear;
    std::string hash;
};

// The hash's rounds ($6$rounds=1000$...): the fewest SHA-512 crypt takes.
inline constexpr unsigned long kRootPasswordRounds = 1000;

RootPassword makeRootPassword();
// crypt(3) of `clear` with the salt and method of `hash` (for tests/checks).
std::string cryptWith(const std::string& clear, const std::string& hash);

// What a booking draws for its frontend: the root password's hash and the
// install token (both end up in its kit).
struct FrontendSecrets {
    std::string rootPasswordHash;
    std::string installToken;
    // The cluster-scoped portal token its kit carries (vc-power), once issued.
    std::string powerToken;
};

class RootPasswordPool {
  public:
    explicit RootPasswordPool(db::Database& db) : db_(db) {}
    void set(std::int64_t reservation, const FrontendSecrets& secrets);
    std::optional<FrontendSecrets> find(std::int64_t reservation) const;
    void setPowerToken(std::int64_t reservation, const std::string& token);

  private:
    db::Database& db_;
};

}  // namespace vcluster::reservation
