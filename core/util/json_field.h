// Reading required fields of JSON documents (model bundles, sidecars) with errors that name them.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace genrelab {

/// The field `name` of object `j` as T. Throws std::invalid_argument "missing field 'name'" or
/// "field 'name' has the wrong type".
template <typename T>
T json_field(const nlohmann::json& j, const char* name) {
  const auto it = j.find(name);
  if (it == j.end()) throw std::invalid_argument(std::string("missing field '") + name + "'");
  try {
    return it->get<T>();
  } catch (const nlohmann::json::exception&) {
    throw std::invalid_argument(std::string("field '") + name + "' has the wrong type");
  }
}

}  // namespace genrelab
