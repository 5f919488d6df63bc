#pragma once

#include <stdexcept>
#include <string>

namespace vcluster {

// An error an admin can act on: its message is one line, printed by the
// dispatcher as "error - <message>" with a non-zero exit status.
class Error : public std::runtime_error {
  public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// A request that is well-formed but cannot be granted (capacity, conflicts).
class Refusal : public Error {
  public:
    explicit Refusal(const std::string& message) : Error(message) {}
};

// A name (a vcluster, one of its nodes) that does not exist, or that the
// caller may not see: bad input for the CLI, 404 for the portal.
class UnknownName : public Error {
  public:
    explicit UnknownName(const std::string& message) : Error(message) {}
};

}  // namespace vcluster
