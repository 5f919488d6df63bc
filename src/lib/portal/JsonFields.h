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

// The fields of one booking (the API's POST /reservations body, an item of
// `rocks load vcluster`): `rocks add vcluster`'s parameters plus its name.
const std::set<std::string>& bookingFields();

// bookingFields() and a group's count= and sshkeys= (the API takes both).
const std::set<std::string>& groupBookingFields();

}  // namespace vcluster::portal
