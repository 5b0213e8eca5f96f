// Helpers of the house store tests: a config to store, records with files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/optimizer_config.h"
#include "house/house_store.h"

namespace bespoke::test {

// A config as `house build` would store it (teacher path need not exist).
config::OptimizerConfig stored_config(int64_t spans = 8);

// A new house in `dir` with the config of `spans` in its meta.
house::HouseStore new_house(const std::string& dir, int64_t spans = 8);

// A done alternative of span [a, b] whose file is named after its key.
house::AlternativeRecord done_alternative(const std::string& key, house::AlternativeKind kind, int a, int b);

// Writes `bytes` as the record's file, then puts the row (the order a build uses).
void put_with_file(house::HouseStore& store, const house::AlternativeRecord& record, const std::vector<uint8_t>& bytes);
void put_with_file(house::HouseStore& store, const house::SpanRecord& record, const std::vector<uint8_t>& bytes);

}  // namespace bespoke::test
