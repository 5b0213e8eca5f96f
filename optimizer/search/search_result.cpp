#include "search/search_result.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "house/house_store.h"
#include "search/search_error.h"

namespace bespoke::search {

namespace {

using nlohmann::json;
constexpr const char* kFormat = "bespoke-search-result";
constexpr int kVersion = 1;

json optional_number(bool present, double v) { return present ? json(v) : json(nullptr); }

json candidate_json(const MeasuredCandidate& c) {
  return {{"keys", c.keys},
          {"accuracy", c.accuracy},
          {"mean_loss", c.mean_loss},
          {"predicted_ms", c.predicted_ms},
          {"predicted_memory_bytes", c.predicted_memory_bytes},
          {"measured", c.measured},
          {"median_ms", optional_number(c.measured, c.median_ms)},
          {"p90_ms", optional_number(c.measured, c.p90_ms)},
          {"arena_bytes", c.measured ? json(c.arena_bytes) : json(nullptr)},
          {"weights_bytes", c.measured ? json(c.weights_bytes) : json(nullptr)},
          {"budget_ms", c.budget_ms},
          {"teacher_median_ms", optional_number(c.measured, c.teacher_median_ms)},
          {"meets_budget", c.meets_budget}};
}

// Reads key `k` of object `j` as T, naming the file and key path on failure.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}
  template <typename T>
  T get(const json& j, const std::string& k, const std::string& where) const {
    if (!j.is_object() || !j.contains(k)) fail(where + k, "missing");
    try {
      return j.at(k).get<T>();
    } catch (const json::exception&) {
      fail(where + k, "has the wrong type");
    }
  }
  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw SearchError(file_ + ": " + key + ": " + what);
  }
  MeasuredCandidate candidate(const json& j, const std::string& where) const {
    if (!j.is_object()) fail(where, "is not an object");
    MeasuredCandidate c;
    c.keys = get<std::vector<std::string>>(j, "keys", where + ".");
    c.accuracy = get<double>(j, "accuracy", where + ".");
    c.mean_loss = get<double>(j, "mean_loss", where + ".");
    c.predicted_ms = get<double>(j, "predicted_ms", where + ".");
    c.predicted_memory_bytes = get<uint64_t>(j, "predicted_memory_bytes", where + ".");
    c.measured = get<bool>(j, "measured", where + ".");
    c.meets_budget = get<bool>(j, "meets_budget", where + ".");
    c.budget_ms = get<double>(j, "budget_ms", where + ".");
    if (c.measured) {
      c.median_ms = get<double>(j, "median_ms", where + ".");
      c.p90_ms = get<double>(j, "p90_ms", where + ".");
      c.arena_bytes = get<uint64_t>(j, "arena_bytes", where + ".");
      c.weights_bytes = get<uint64_t>(j, "weights_bytes", where + ".");
      c.teacher_median_ms = get<double>(j, "teacher_median_ms", where + ".");
    }
    return c;
  }
  std::optional<MeasuredCandidate> optional_candidate(const json& j, const std::string& k) const {
    if (!j.contains(k)) fail(k, "missing");
    if (j.at(k).is_null()) return std::nullopt;
    return candidate(j.at(k), k);
  }

 private:
  std::string file_;
};

}  // namespace

std::string search_result_json(const SearchResult& r) {
  json measured = json::array(), history = json::array();
  for (const MeasuredCandidate& c : r.measured) measured.push_back(candidate_json(c));
  for (const HistoryPoint& h : r.history)
    history.push_back({{"evaluation", h.evaluation}, {"accuracy", h.accuracy}, {"predicted_ms", h.predicted_ms}});
  const json j = {{"format", kFormat},
                  {"version", kVersion},
                  {"context", r.context},
                  {"target", r.target},
                  {"device", r.device},
                  {"budget_ms", r.budget_ms},
                  {"memory_budget_bytes", r.memory_budget_bytes},
                  {"searched_budget_ms", r.searched_budget_ms},
                  {"attempts", r.attempts},
                  {"strategy", r.strategy},
                  {"iterations", r.iterations},
                  {"evaluations", r.evaluations},
                  {"distinct_evaluations", r.distinct_evaluations},
                  {"network_runs", r.network_runs},
                  {"validation_images", r.validation_images},
                  {"teacher_accuracy", r.teacher_accuracy},
                  {"teacher_ms", r.teacher_ms},
                  {"latency", r.latency_measured ? "measured" : "predicted"},
                  {"status", r.status},
                  {"message", r.message},
                  {"seconds", r.seconds},
                  {"skipped", r.skipped},
                  {"greedy", r.greedy ? candidate_json(*r.greedy) : json(nullptr)},
                  {"winner", r.winner ? candidate_json(*r.winner) : json(nullptr)},
                  {"measured", measured},
                  {"history", history}};
  return j.dump(2) + "\n";
}

void write_search_result(const SearchResult& result, const std::string& path) {
  const std::string text = search_result_json(result);
  house::write_file_atomically(path, std::vector<uint8_t>(text.begin(), text.end()));
}

SearchResult read_search_result(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw SearchError(path + ": cannot read the search result");
  std::stringstream text;
  text << in.rdbuf();
  const json j = json::parse(text.str(), nullptr, false);
  const Reader rd(path);
  if (j.is_discarded() || !j.is_object()) rd.fail("(file)", "is not a JSON object");
  if (rd.get<std::string>(j, "format", "") != kFormat) rd.fail("format", "is not " + std::string(kFormat));
  if (rd.get<int>(j, "version", "") != kVersion) rd.fail("version", "is not " + std::to_string(kVersion));
  SearchResult r;
  r.context = rd.get<std::string>(j, "context", "");
  r.target = rd.get<std::string>(j, "target", "");
  r.device = rd.get<std::string>(j, "device", "");
  r.budget_ms = rd.get<double>(j, "budget_ms", "");
  r.memory_budget_bytes = rd.get<int64_t>(j, "memory_budget_bytes", "");
  r.searched_budget_ms = rd.get<double>(j, "searched_budget_ms", "");
  r.attempts = rd.get<int>(j, "attempts", "");
  r.strategy = rd.get<std::string>(j, "strategy", "");
  r.iterations = rd.get<int64_t>(j, "iterations", "");
  r.evaluations = rd.get<int64_t>(j, "evaluations", "");
  r.distinct_evaluations = rd.get<int64_t>(j, "distinct_evaluations", "");
  r.network_runs = rd.get<int64_t>(j, "network_runs", "");
  r.validation_images = rd.get<int64_t>(j, "validation_images", "");
  r.teacher_accuracy = rd.get<double>(j, "teacher_accuracy", "");
  r.teacher_ms = rd.get<double>(j, "teacher_ms", "");
  const std::string latency = rd.get<std::string>(j, "latency", "");
  if (latency != "measured" && latency != "predicted") rd.fail("latency", "is neither \"measured\" nor \"predicted\"");
  r.latency_measured = latency == "measured";
  r.status = rd.get<std::string>(j, "status", "");
  if (r.status != "ok" && r.status != "failed") rd.fail("status", "is neither \"ok\" nor \"failed\"");
  r.message = rd.get<std::string>(j, "message", "");
  r.seconds = rd.get<double>(j, "seconds", "");
  r.skipped = rd.get<std::vector<std::string>>(j, "skipped", "");
  r.greedy = rd.optional_candidate(j, "greedy");
  r.winner = rd.optional_candidate(j, "winner");
  if ((r.status == "ok") != r.winner.has_value()) rd.fail("winner", "does not agree with status " + r.status);
  if (!j.contains("measured") || !j["measured"].is_array()) rd.fail("measured", "is not an array");
  for (size_t i = 0; i < j["measured"].size(); ++i)
    r.measured.push_back(rd.candidate(j["measured"][i], "measured[" + std::to_string(i) + "]"));
  if (!j.contains("history") || !j["history"].is_array()) rd.fail("history", "is not an array");
  for (size_t i = 0; i < j["history"].size(); ++i) {
    const std::string where = "history[" + std::to_string(i) + "].";
    const json& h = j["history"][i];
    r.history.push_back({rd.get<int64_t>(h, "evaluation", where), rd.get<double>(h, "accuracy", where),
                         rd.get<double>(h, "predicted_ms", where)});
  }
  return r;
}

}  // namespace bespoke::search
