#include "support/store_test_util.h"

namespace bespoke::test {

config::OptimizerConfig stored_config(int64_t spans) {
  config::OptimizerConfig c;
  c.teacher.model = "/models/teacher.onnx";
  c.run.out = "/houses/test";
  c.house.spans = spans;
  return c;
}

house::HouseStore new_house(const std::string& dir, int64_t spans) {
  house::HouseStore store = house::HouseStore::open(dir, true);
  store.set_meta("config", config::to_toml(stored_config(spans)));
  return store;
}

house::AlternativeRecord done_alternative(const std::string& key, house::AlternativeKind kind, int a, int b) {
  house::AlternativeRecord r;
  r.key = key;
  r.kind = kind;
  r.cut_begin = a;
  r.cut_end = b;
  r.origin_model = "/models/teacher.onnx";
  r.params = 1000 + a;
  r.flops = 20000 + b;
  r.macs = 10000 + b;
  r.loss_before = 1.5;
  r.loss_after = 0.25;
  r.rel_mse = 0.125;
  r.steps = 10;
  r.seconds = 0.5;
  r.file = key + ".bspk";
  for (char& c : r.file) c = c == '/' ? '_' : c;
  return r;
}

void put_with_file(house::HouseStore& store, const house::AlternativeRecord& record,
                   const std::vector<uint8_t>& bytes) {
  house::write_file_atomically(store.path(record.file), bytes);
  store.put_alternative(record);
}

void put_with_file(house::HouseStore& store, const house::SpanRecord& record, const std::vector<uint8_t>& bytes) {
  house::write_file_atomically(store.path(record.file), bytes);
  store.put_span(record);
}

}  // namespace bespoke::test
