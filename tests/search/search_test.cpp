// The search on a tiny house of the real demo teacher, real Fashion-MNIST
// validation images and a latency table measured on this machine
// (search_fixture.h).
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "blocks/unit_blocks.h"
#include "house/student.h"
#include "house/teacher_data.h"
#include "search/candidate_evaluator.h"
#include "search/evaluation_journal.h"
#include "search/greedy_start.h"
#include "search/search_error.h"
#include "search/search_result.h"
#include "search/search_space.h"
#include "search/search_target.h"
#include "search_fixture.h"
#include "torch_bridge/graph_module.h"
#include "train/torch_evaluation.h"

// Last: LibTorch's glog defines a CHECK of its own, which doctest's must replace.
#include <doctest/doctest.h>

namespace bespoke::search {

namespace {

namespace fs = std::filesystem;
using test::fixture;

config::OptimizerConfig config_in(const std::string& out_name) {
  config::OptimizerConfig c = fixture().config;
  c.run.out = test::fresh_out(out_name);
  return c;
}

SearchResult run_search(const config::OptimizerConfig& c, const config::TargetConfig& target,
                        latency::DeviceLink* link = nullptr, bool force = false) {
  SearchOptions o;
  o.force = force;
  return search_target(*fixture().store, c, target, fixture().teacher, fixture().table, link, o);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("the fixture: a real house and a latency table measured on this machine") {
  const auto& f = fixture();
  const SearchSpace space(*f.store, f.table);
  CHECK(space.alternatives().size() >= 5);
  CHECK(space.skipped().empty());
  CHECK(f.table.teacher_ms > 0.0);
  for (double u : f.table.unit_ms) CHECK(u > 0.0);
  // Some alternative is predicted cheaper than the teacher: there is something to search.
  bool saves = false;
  for (int i = 0; i < static_cast<int>(space.alternatives().size()); ++i)
    saves = saves || space.predict({i}).ms < space.predict({}).ms;
  CHECK(saves);
}

TEST_CASE("incremental evaluation equals the full evaluation of the stitched student") {
  const auto& f = fixture();
  ir::Graph teacher = f.teacher;
  const blocks::BlockAnalysis analysis = blocks::assign_unit_blocks(teacher);
  const SearchSpace space(*f.store, f.table);
  std::vector<int> cuts;
  for (const SpaceAlternative& a : space.alternatives()) cuts.push_back(a.cut_begin);
  torchbridge::GraphModule::set_num_threads(2);
  CandidateEvaluator evaluator(teacher, analysis, *f.store, f.config, cuts, test::fresh_out("evaluator"));
  REQUIRE(evaluator.samples() == f.config.search.validation_images);

  const house::TeacherData data = house::open_teacher_data(f.config, teacher);
  data::BatchLoader loader = house::make_loader(data, data::Split::kValidation, f.config.search.validation_images, 64);
  // The teacher, every alternative alone, and every non-overlapping pair.
  std::vector<std::vector<std::string>> candidates = {{}};
  const auto& alts = space.alternatives();
  for (size_t i = 0; i < alts.size(); ++i) {
    candidates.push_back({alts[i].key});
    for (size_t j = i + 1; j < alts.size() && candidates.size() < 40; ++j)
      if (!space.overlaps(static_cast<int>(i), static_cast<int>(j))) candidates.push_back({alts[i].key, alts[j].key});
  }
  const double n = static_cast<double>(evaluator.samples());
  for (const auto& keys : candidates) {
    CAPTURE(candidate_name(keys));
    torchbridge::GraphModule full(house::stitch_student(teacher, analysis, *f.store, keys));
    const train::EvalResult reference = train::evaluate_torch(full, loader);
    const CandidateScore incremental = evaluator.evaluate(keys);
    // Same float operations from the cut on: at most one image may flip on a
    // near-tie, and the mean cross-entropy agrees to 1e-4 relative.
    CHECK(std::abs(incremental.accuracy - reference.accuracy()) <= 1.0 / n + 1e-12);
    CHECK(incremental.mean_loss == doctest::Approx(reference.mean_loss()).epsilon(1e-4));
  }
  const int64_t runs = evaluator.runs();
  CHECK(runs == static_cast<int64_t>(candidates.size()) - 1);  // the teacher's logits are cached
  evaluator.evaluate(candidates.back());
  CHECK(evaluator.runs() == runs);  // memoized
}

TEST_CASE("the result respects the latency and memory budgets, predicted and measured") {
  const auto& f = fixture();
  const SearchSpace space(*f.store, f.table);
  config::TargetConfig target = f.target;
  // A memory budget just under the teacher's: the search must replace something that saves memory too.
  target.memory_budget_bytes = static_cast<int64_t>(space.predict({}).memory_bytes) - 4096;
  const SearchResult offline = run_search(config_in("budget-offline"), target);
  REQUIRE(offline.status == "ok");
  CHECK_FALSE(offline.latency_measured);
  CHECK(offline.budget_ms == doctest::Approx(0.8 * f.table.teacher_ms));
  CHECK(offline.winner->predicted_ms <= offline.budget_ms);
  CHECK(offline.winner->predicted_memory_bytes <= static_cast<uint64_t>(target.memory_budget_bytes));
  CHECK_FALSE(offline.winner->measured);
  CHECK(offline.winner->accuracy <= offline.teacher_accuracy + 0.05);

  const std::unique_ptr<latency::DeviceLink> link = latency::connect(target);
  const SearchResult local = run_search(config_in("budget-local"), target, link.get());
  CHECK(local.latency_measured);
  REQUIRE(local.measured.size() >= 1);
  for (const MeasuredCandidate& m : local.measured) {
    CHECK(m.measured);
    CHECK(m.p90_ms >= m.median_ms);
    // A ratio budget is held against the teacher measured in the same run.
    CHECK(m.budget_ms == doctest::Approx(0.8 * m.teacher_median_ms));
    CHECK(m.meets_budget == (m.median_ms <= m.budget_ms &&
                             m.arena_bytes + m.weights_bytes <= static_cast<uint64_t>(target.memory_budget_bytes)));
  }
  if (local.status == "ok") {
    CHECK(local.winner->measured);
    CHECK(local.winner->median_ms <= local.winner->budget_ms);
    CHECK(local.winner->arena_bytes + local.winner->weights_bytes <= static_cast<uint64_t>(target.memory_budget_bytes));
  } else {
    // A machine far busier now than when the table was measured: the
    // failure is reported, with no winner, after the one retry.
    MESSAGE("no candidate met the budget as measured: " << local.message);
    CHECK(local.attempts == 2);
    CHECK_FALSE(local.winner.has_value());
    CHECK(local.message.find("no measured candidate met the budget") != std::string::npos);
  }
}

TEST_CASE("an unreachable budget is a failure reported as such") {
  config::TargetConfig target = fixture().target;
  target.budget_ratio = 0.0;
  target.budget_ms = 1e-6;
  const config::OptimizerConfig c = config_in("unreachable");
  const SearchResult r = run_search(c, target);
  CHECK(r.status == "failed");
  CHECK_FALSE(r.winner.has_value());
  CHECK(r.message.find("predicted to meet") != std::string::npos);
  CHECK(read_search_result(search_result_path(c, target.name)).status == "failed");
}

TEST_CASE("same seed, same result; the annealing never ends below its greedy start") {
  const SearchResult a = run_search(config_in("seed-a"), fixture().target);
  const SearchResult b = run_search(config_in("seed-b"), fixture().target);
  REQUIRE(a.status == "ok");
  CHECK(a.winner->keys == b.winner->keys);
  CHECK(a.winner->accuracy == b.winner->accuracy);
  CHECK(a.evaluations == b.evaluations);
  REQUIRE(a.history.size() == b.history.size());
  for (size_t i = 0; i < a.history.size(); ++i) CHECK(a.history[i].evaluation == b.history[i].evaluation);

  REQUIRE(a.greedy.has_value());
  CHECK(a.greedy->predicted_ms <= a.budget_ms);
  CHECK(a.winner->accuracy >= a.greedy->accuracy);
  for (size_t i = 1; i < a.history.size(); ++i) CHECK(a.history[i].accuracy >= a.history[i - 1].accuracy);
}

TEST_CASE("the random strategy makes as many evaluations as the annealing") {
  const SearchSpace space(*fixture().store, fixture().table);
  const SearchResult anneal = run_search(config_in("strategy-anneal"), fixture().target);
  config::OptimizerConfig c = config_in("strategy-random");
  c.search.strategy = "random";
  const SearchResult random = run_search(c, fixture().target);
  REQUIRE(random.status == "ok");
  CHECK(random.strategy == "random");
  const auto expected = static_cast<int64_t>(space.alternatives().size()) + 1 + c.search.iterations;
  CHECK(anneal.evaluations == expected);
  CHECK(random.evaluations == expected);
  CHECK_FALSE(random.greedy.has_value());
  CHECK(random.winner->predicted_ms <= random.budget_ms);
}

TEST_CASE("a result is reused, --force searches again from the journal without running anything twice") {
  const config::OptimizerConfig c = config_in("reuse");
  const SearchResult first = run_search(c, fixture().target);
  REQUIRE(first.network_runs > 0);
  const std::string path = search_result_path(c, fixture().target.name);
  const std::string written = slurp(path);
  const SearchResult again = run_search(c, fixture().target);
  CHECK(search_result_json(again) == written);  // read back, not searched
  CHECK(slurp(path) == written);

  const SearchResult forced = run_search(c, fixture().target, nullptr, true);
  CHECK(forced.network_runs == 0);  // every evaluation came back from the journal
  CHECK(forced.winner->keys == first.winner->keys);
  CHECK(forced.evaluations == first.evaluations);

  config::OptimizerConfig other = c;
  other.search.iterations += 2;  // another context: searched again
  CHECK(run_search(other, fixture().target).iterations == c.search.iterations + 2);
}

TEST_CASE("the journal keeps every complete line and drops a torn last one") {
  const std::string path = test::fresh_out("journal") + "/j.jsonl";
  {
    EvaluationJournal j(path, "ctx");
    CHECK(j.recovered().empty());
    j.append({"a"}, {0.5, 1.25});
    j.append({"a", "b"}, {0.25, 2.0});
  }
  { std::ofstream(path, std::ios::app) << "{\"keys\": [\"c\"], \"accu"; }  // a write cut by SIGKILL
  {
    EvaluationJournal j(path, "ctx");
    REQUIRE(j.recovered().size() == 2);
    CHECK((j.recovered()[1].keys == std::vector<std::string>{"a", "b"}));
    CHECK(j.recovered()[1].score.mean_loss == 2.0);
    j.append({"d"}, {0.75, 0.5});
  }
  CHECK(EvaluationJournal(path, "ctx").recovered().size() == 3);
  CHECK(EvaluationJournal(path, "another").recovered().empty());  // other settings: started afresh
  CHECK(EvaluationJournal(path, "ctx").recovered().empty());
}

TEST_CASE("the result file reads back, and a damaged one is refused naming file and key") {
  const config::OptimizerConfig c = config_in("json");
  const SearchResult r = run_search(c, fixture().target);
  const std::string path = search_result_path(c, fixture().target.name);
  CHECK(search_result_json(read_search_result(path)) == search_result_json(r));
  std::string text = slurp(path);
  const size_t at = text.find("\"teacher_accuracy\"");
  REQUIRE(at != std::string::npos);
  text.replace(at, 18, "\"teacher_accurac\"");
  { std::ofstream(path) << text; }
  try {
    read_search_result(path);
    FAIL("a damaged result was read");
  } catch (const SearchError& e) {
    CHECK(std::string(e.what()) == path + ": teacher_accuracy: missing");
  }
  { std::ofstream(path) << "{\"format\": "; }
  CHECK_THROWS_AS(read_search_result(path), SearchError);
}

TEST_CASE("the greedy start meets the budget and drops what it does not need") {
  const auto& f = fixture();
  const SearchSpace space(*f.store, f.table);
  const std::vector<double> alone(space.alternatives().size(), 0.9);
  Budget loose{1e9, 0};
  CHECK(greedy_start(space, loose, alone, 0.9)->empty());
  Budget tight{0.7 * f.table.teacher_ms, 0};
  const auto start = greedy_start(space, tight, alone, 0.9);
  REQUIRE(start.has_value());
  CHECK(space.feasible(*start, tight));
  for (size_t k = 0; k < start->size(); ++k) {  // minimal: no member can leave
    Candidate without = *start;
    without.erase(without.begin() + static_cast<std::ptrdiff_t>(k));
    CHECK_FALSE(space.feasible(without, tight));
  }
  CHECK_FALSE(greedy_start(space, Budget{1e-9, 0}, alone, 0.9).has_value());
}

}  // namespace bespoke::search
