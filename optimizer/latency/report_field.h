// One field of a JSON document that came from a device (a profile or an
// acceptance report): read with its type checked, or one LatencyError line
// naming where it is (the file and the object) and what is wrong with it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "latency/latency_error.h"

namespace bespoke::latency {

template <typename T>
T report_field(const nlohmann::json& object, const std::string& key, const std::string& where) {
  if (!object.is_object() || !object.contains(key)) throw LatencyError(where + ": missing \"" + key + "\"");
  try {
    return object.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw LatencyError(where + ": \"" + key + "\" has the wrong type");
  }
}

}  // namespace bespoke::latency
