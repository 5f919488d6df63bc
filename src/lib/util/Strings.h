#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vcluster {

std::vector<std::string> split(std::string_view text, char separator);
std::string join(const std::vector<std::string>& parts, std::string_view separator);
std::string trim(std::string_view text);
std::string toLower(std::string_view text);
// The text up to its first newline (all of it when there is none).
std::string firstLine(std::string_view text);
std::string toUpper(std::string_view text);
bool startsWith(std::string_view text, std::string_view prefix);
bool endsWith(std::string_view text, std::string_view suffix);

// Edit distance, used to suggest the nearest command or parameter.
std::size_t editDistance(std::string_view a, std::string_view b);

// The candidate nearest to `word`, or "" when none is reasonably close.
std::string nearest(std::string_view word, const std::vector<std::string>& candidates);

// Parses a non-negative decimal integer; throws Error naming `what`.
long long parseInteger(std::string_view text, std::string_view what);

// Parses "yes/no/true/false/on/off/1/0"; throws Error naming `what`.
bool parseBool(std::string_view text, std::string_view what);

}  // namespace vcluster
