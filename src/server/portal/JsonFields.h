#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>

namespace vcluster::portal {

// The body of an API call as a JSON object; anything else (malformed JSON, an
// array, a number) is refused with an Error (the API answers 400).
nlohmann::json parseJsonObject(const std::string& body);

// JSON fields as `rocks` key=value parameters: strings, integers, or arrays of
// strings (joined by commas); anything else and any field not in `allowed`
// is refused with an Error.
std::map<std::string, std::string> fieldsToParams(const nlohmann::json& body,
                                                  const std::set<std::string>& allowed);

}  // namespace vcluster::portal
