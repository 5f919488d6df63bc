#pragma once

#include <cstddef>
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
// 19 letters and digits (about 113 bits, nothing to quote anywhere) and an
// 8-character salt (about 48 bits; against equal hashes, since no table of
// guesses reaches 113 random bits): each of the 1,000 rounds hashes the
// last digest (64 bytes), the password up to twice and the salt, at most
// 64 + 2 * 19 + 8 = 110 bytes, which with SHA-512's padding (17 bytes) fits
// one 128-byte block. With 20 characters and libxcrypt's 16-character salt
// most rounds took two blocks: the crypt cost 0.55 ms, now 0.36 ms.
inline constexpr std::size_t kRootPasswordLength = 19;
inline constexpr std::size_t kRootPasswordSaltLength = 8;
// The longest a round's input may be and still hash in one block.
inline constexpr std::size_t kSha512OneBlock = 128 - 17;
static_assert(64 + 2 * kRootPasswordLength + kRootPasswordSaltLength <= kSha512OneBlock);

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
