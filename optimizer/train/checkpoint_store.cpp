#include "train/checkpoint_store.h"

#include "toml_text/toml_values.h"

#include <toml++/toml.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace bespoke::train {

using toml_text::toml_float;

namespace fs = std::filesystem;

namespace {

std::string epoch_stem(int64_t epoch) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "epoch-%04lld", static_cast<long long>(epoch));
  return buf;
}

double read_double(const toml::table& t, const char* key, const std::string& where) {
  const toml::node* n = t.get(key);
  if (n != nullptr && n->is_floating_point()) return n->as_floating_point()->get();
  if (n != nullptr && n->is_integer()) return static_cast<double>(n->as_integer()->get());
  throw std::runtime_error(where + ": missing number '" + key + "'");
}

int64_t read_int(const toml::table& t, const char* key, const std::string& where) {
  const toml::node* n = t.get(key);
  if (n == nullptr || !n->is_integer()) throw std::runtime_error(where + ": missing integer '" + key + "'");
  return n->as_integer()->get();
}

}  // namespace

CheckpointStore::CheckpointStore(std::string dir, int keep) : dir_(std::move(dir)), keep_(keep < 1 ? 1 : keep) {
  std::error_code error;
  fs::create_directories(dir_, error);
  if (error) throw std::runtime_error("checkpoint directory '" + dir_ + "': cannot create: " + error.message());
}

std::string CheckpointStore::config_path() const { return (fs::path(dir_) / "config.toml").string(); }

std::string CheckpointStore::model_path(int64_t epoch) const {
  return (fs::path(dir_) / (epoch_stem(epoch) + ".model.pt")).string();
}

std::string CheckpointStore::optimizer_path(int64_t epoch) const {
  return (fs::path(dir_) / (epoch_stem(epoch) + ".optimizer.pt")).string();
}

bool CheckpointStore::has_state() const { return fs::exists(fs::path(dir_) / "state.toml"); }

CheckpointState CheckpointStore::load_state() const {
  const std::string path = (fs::path(dir_) / "state.toml").string();
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw std::runtime_error("checkpoint state '" + path + "': " + std::string(e.description()));
  }
  CheckpointState s;
  const toml::table* run = root["run"].as_table();
  if (run == nullptr) throw std::runtime_error("checkpoint state '" + path + "': no [run] table");
  s.epochs_done = read_int(*run, "epochs_done", path);
  s.steps_done = read_int(*run, "steps_done", path);
  s.seed = static_cast<uint64_t>(read_int(*run, "seed", path));
  if (const toml::array* epochs = root["epoch"].as_array()) {
    for (const toml::node& node : *epochs) {
      const toml::table* t = node.as_table();
      if (t == nullptr) throw std::runtime_error("checkpoint state '" + path + "': [[epoch]] must be tables");
      EpochRecord r;
      r.epoch = read_int(*t, "epoch", path);
      r.train_loss = read_double(*t, "train_loss", path);
      r.train_accuracy = read_double(*t, "train_accuracy", path);
      r.val_loss = read_double(*t, "val_loss", path);
      r.val_accuracy = read_double(*t, "val_accuracy", path);
      r.last_lr = read_double(*t, "last_lr", path);
      r.first_step_loss = read_double(*t, "first_step_loss", path);
      r.seconds = read_double(*t, "seconds", path);
      r.images_per_second = read_double(*t, "images_per_second", path);
      s.history.push_back(r);
    }
  }
  if (s.epochs_done < 1 || static_cast<int64_t>(s.history.size()) != s.epochs_done) {
    throw std::runtime_error("checkpoint state '" + path + "': inconsistent epoch count");
  }
  return s;
}

void CheckpointStore::commit(const CheckpointState& s) const {
  std::ostringstream text;
  text << "# bespoke-opt train checkpoint state (written after each epoch)\n[run]\n"
       << "epochs_done = " << s.epochs_done << "\nsteps_done = " << s.steps_done << "\nseed = " << s.seed << "\n";
  for (const EpochRecord& r : s.history) {
    text << "\n[[epoch]]\nepoch = " << r.epoch << "\ntrain_loss = " << toml_float(r.train_loss)
         << "\ntrain_accuracy = " << toml_float(r.train_accuracy) << "\nval_loss = " << toml_float(r.val_loss)
         << "\nval_accuracy = " << toml_float(r.val_accuracy) << "\nlast_lr = " << toml_float(r.last_lr)
         << "\nfirst_step_loss = " << toml_float(r.first_step_loss) << "\nseconds = " << toml_float(r.seconds)
         << "\nimages_per_second = " << toml_float(r.images_per_second) << "\n";
  }
  const fs::path path = fs::path(dir_) / "state.toml";
  const fs::path temporary = fs::path(dir_) / "state.toml.tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text.str();
    out.close();
    if (!out) throw std::runtime_error("checkpoint state '" + path.string() + "': cannot write");
  }
  fs::rename(temporary, path);
  for (int64_t old = s.epochs_done - keep_; old >= 1; --old) {
    std::error_code ignored;
    const bool removed = fs::remove(model_path(old), ignored);
    fs::remove(optimizer_path(old), ignored);
    if (!removed) break;  // older ones went in earlier commits
  }
}

}  // namespace bespoke::train
