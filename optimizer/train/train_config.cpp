#include "train/train_config.h"

#include "toml_text/toml_values.h"

#include <toml++/toml.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

namespace bespoke::train {

using toml_text::toml_float;
using toml_text::toml_string;

namespace {

// Reads one typed key of a table; every key of the file must be claimed by
// one reader, so that a misspelt key is an error instead of being ignored.
class TableReader {
 public:
  TableReader(const toml::table& root, const std::string& source) : root_(root), source_(source) {}

  template <typename T>
  void read(const std::string& table, const std::string& key, T& out) {
    claimed_[table].insert(key);
    const toml::table* t = root_[table].as_table();
    if (t == nullptr) return;
    const toml::node* node = t->get(key);
    if (node == nullptr) return;
    assign(*node, table + "." + key, out);
  }

  // Throws for a table or key nobody read.
  void reject_unknown() const {
    for (const auto& [name, node] : root_) {
      const std::string table(name.str());
      const auto claimed = claimed_.find(table);
      if (claimed == claimed_.end()) fail(table, "unknown table");
      if (!node.is_table()) fail(table, "must be a table");
      for (const auto& [key, value] : *node.as_table()) {
        if (!claimed->second.count(std::string(key.str()))) fail(table + "." + std::string(key.str()), "unknown key");
      }
    }
  }

 private:
  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw std::runtime_error("config '" + source_ + "': " + key + ": " + what);
  }

  void assign(const toml::node& n, const std::string& key, std::string& out) const {
    if (!n.is_string()) fail(key, "expected a string");
    out = n.as_string()->get();
  }
  void assign(const toml::node& n, const std::string& key, bool& out) const {
    if (!n.is_boolean()) fail(key, "expected true or false");
    out = n.as_boolean()->get();
  }
  void assign(const toml::node& n, const std::string& key, int64_t& out) const {
    if (!n.is_integer()) fail(key, "expected an integer");
    out = n.as_integer()->get();
  }
  void assign(const toml::node& n, const std::string& key, int& out) const {
    int64_t v = 0;
    assign(n, key, v);
    if (v < INT32_MIN || v > INT32_MAX) fail(key, "out of range");
    out = static_cast<int>(v);
  }
  void assign(const toml::node& n, const std::string& key, uint64_t& out) const {
    int64_t v = 0;
    assign(n, key, v);
    if (v < 0) fail(key, "must not be negative");
    out = static_cast<uint64_t>(v);
  }
  void assign(const toml::node& n, const std::string& key, double& out) const {
    if (n.is_integer()) {
      out = static_cast<double>(n.as_integer()->get());
    } else if (n.is_floating_point()) {
      out = n.as_floating_point()->get();
    } else {
      fail(key, "expected a number");
    }
  }
  void assign(const toml::node& n, const std::string& key, std::vector<int64_t>& out) const {
    const toml::array* a = n.as_array();
    if (a == nullptr) fail(key, "expected an array of integers");
    out.clear();
    for (const toml::node& e : *a) {
      if (!e.is_integer()) fail(key, "expected an array of integers");
      out.push_back(e.as_integer()->get());
    }
  }

  const toml::table& root_;
  std::string source_;
  std::map<std::string, std::set<std::string>> claimed_;
};

// Every setting once, for reading and writing alike.
template <typename Visitor>
void visit(TrainConfig& c, Visitor&& v) {
  v("model", "arch", c.arch);
  v("model", "input_shape", c.input_shape);
  v("data", "name", c.data);
  v("data", "dir", c.data_dir);
  v("data", "validation_count", c.validation_count);
  v("data", "split_seed", c.split_seed);
  v("data", "limit_train", c.limit_train);
  v("data", "limit_validation", c.limit_validation);
  v("augment", "crop_padding", c.crop_padding);
  v("augment", "horizontal_flip", c.horizontal_flip);
  v("optimizer", "epochs", c.epochs);
  v("optimizer", "batch_size", c.batch_size);
  v("optimizer", "lr", c.lr);
  v("optimizer", "momentum", c.momentum);
  v("optimizer", "nesterov", c.nesterov);
  v("optimizer", "weight_decay", c.weight_decay);
  v("optimizer", "warmup_epochs", c.warmup_epochs);
  v("optimizer", "min_lr", c.min_lr);
  v("optimizer", "label_smoothing", c.label_smoothing);
  v("run", "seed", c.seed);
  v("run", "threads", c.threads);
  v("run", "log_seconds", c.log_seconds);
}

struct TomlWriter {
  std::ostringstream out;
  std::string table;

  void header(const std::string& t) {
    if (t == table) return;
    out << (table.empty() ? "" : "\n") << "[" << t << "]\n";
    table = t;
  }
  void operator()(const std::string& t, const std::string& key, const std::string& v) {
    header(t), out << key << " = " << toml_string(v) << "\n";
  }
  void operator()(const std::string& t, const std::string& key, bool v) {
    header(t), out << key << " = " << (v ? "true" : "false") << "\n";
  }
  void operator()(const std::string& t, const std::string& key, int64_t v) {
    header(t), out << key << " = " << v << "\n";
  }
  void operator()(const std::string& t, const std::string& key, int v) { header(t), out << key << " = " << v << "\n"; }
  void operator()(const std::string& t, const std::string& key, uint64_t v) {
    header(t), out << key << " = " << v << "\n";
  }
  void operator()(const std::string& t, const std::string& key, double v) {
    header(t), out << key << " = " << toml_float(v) << "\n";
  }
  void operator()(const std::string& t, const std::string& key, const std::vector<int64_t>& v) {
    header(t), out << key << " = [";
    for (size_t i = 0; i < v.size(); ++i) out << (i ? ", " : "") << v[i];
    out << "]\n";
  }
};

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("training config: " + what);
}

}  // namespace

void TrainConfig::check() const {
  require(!arch.empty(), "model.arch is empty");
  require(input_shape.empty() || (input_shape.size() == 4 && input_shape[0] >= 1 && input_shape[1] >= 1 &&
                                  input_shape[2] >= 1 && input_shape[3] >= 1),
          "model.input_shape must be empty or [N, C, H, W] with positive dims");
  require(!data.empty(), "data.name is empty");
  require(validation_count >= 1, "data.validation_count must be at least 1");
  require(limit_train >= 0 && limit_validation >= 0, "data.limit_* must not be negative");
  require(crop_padding >= 0 && crop_padding <= 64, "augment.crop_padding must be 0..64");
  require(epochs >= 1 && epochs <= 100000, "optimizer.epochs must be 1..100000");
  require(batch_size >= 1 && batch_size <= 65536, "optimizer.batch_size must be 1..65536");
  require(std::isfinite(lr) && lr > 0, "optimizer.lr must be positive");
  require(momentum >= 0 && momentum < 1, "optimizer.momentum must be in [0, 1)");
  require(!nesterov || momentum > 0, "optimizer.nesterov needs momentum > 0");
  require(weight_decay >= 0 && std::isfinite(weight_decay), "optimizer.weight_decay must not be negative");
  require(warmup_epochs >= 0 && warmup_epochs <= static_cast<double>(epochs),
          "optimizer.warmup_epochs must be 0..epochs");
  require(min_lr >= 0 && min_lr <= lr, "optimizer.min_lr must be 0..lr");
  require(label_smoothing >= 0 && label_smoothing < 1, "optimizer.label_smoothing must be in [0, 1)");
  require(threads >= 0 && threads <= 1024, "run.threads must be 0..1024");
  require(log_seconds > 0, "run.log_seconds must be positive");
}

bool TrainConfig::same_run(const TrainConfig& other) const {
  TrainConfig a = *this, b = other;
  a.threads = b.threads = 0;
  a.log_seconds = b.log_seconds = 1;
  return to_toml(a) == to_toml(b);
}

TrainConfig parse_train_config(const std::string& toml_text, const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    std::ostringstream where;
    where << e.source().begin;
    throw std::runtime_error("config '" + source + "': " + std::string(e.description()) + " at " + where.str());
  }
  TrainConfig config;
  TableReader reader(root, source);
  visit(config, [&](const std::string& t, const std::string& k, auto& v) { reader.read(t, k, v); });
  reader.reject_unknown();
  return config;
}

TrainConfig load_train_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("config '" + path + "': cannot open");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_train_config(text.str(), path);
}

std::string to_toml(const TrainConfig& config) {
  TrainConfig copy = config;
  TomlWriter writer;
  writer.out << "# bespoke-opt train configuration (reproduces the run with the same seed)\n";
  visit(copy, [&](const std::string& t, const std::string& k, const auto& v) { writer(t, k, v); });
  return writer.out.str();
}

void save_train_config(const TrainConfig& config, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << to_toml(config);
  out.close();
  if (!out) throw std::runtime_error("cannot write config '" + path + "'");
}

}  // namespace bespoke::train
