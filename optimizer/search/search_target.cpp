#include "search/search_target.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <ostream>
#include <set>
#include <thread>

#include "blocks/unit_blocks.h"
#include "house/alternative.h"
#include "random/seeded_random.h"
#include "search/annealing.h"
#include "search/candidate_evaluator.h"
#include "search/evaluation_journal.h"
#include "search/greedy_start.h"
#include "search/random_search.h"
#include "search/search_error.h"
#include "search/search_progress.h"
#include "torch_bridge/graph_module.h"

namespace bespoke::search {

namespace {

namespace fs = std::filesystem;

std::string hex_hash(const std::string& text) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(house::alternative_seed(0, text)));
  return buf;
}

// What the scores of candidates depend on: the house, the teacher, the
// data and the validation subset.
std::string score_context(const config::OptimizerConfig& config, const house::HouseStore& store) {
  config::OptimizerConfig c;
  c.teacher = config.teacher;
  c.data = config.data;
  c.search.validation_images = config.search.validation_images;
  return hex_hash(config::to_toml(c) + "\nhouse:" + store.meta("config").value_or(""));
}

// What a result depends on: the scores, and everything that steers the search.
std::string result_context(const config::OptimizerConfig& config, const config::TargetConfig& target,
                           const latency::LatencyTable& table, const std::string& scores) {
  config::OptimizerConfig c;
  c.targets = {target};
  c.search = config.search;
  c.profile = config.profile;
  c.run.seed = config.run.seed;
  std::string text = scores + "\n" + config::to_toml(c) + "\ntable:" + table.device.describe();
  char num[64];
  std::snprintf(num, sizeof num, " %.17g", table.teacher_ms);
  text += num;
  for (double u : table.unit_ms) {
    std::snprintf(num, sizeof num, " %.17g", u);
    text += num;
  }
  for (const auto& [key, a] : table.alternatives) {
    std::snprintf(num, sizeof num, " %.17g %llu", a.ms, static_cast<unsigned long long>(a.probe_arena_bytes));
    text += " " + key + num;
  }
  return hex_hash(text);
}

}  // namespace

std::string search_result_path(const config::OptimizerConfig& config, const std::string& target) {
  return (fs::path(config.run.out) / "search" / (target + ".json")).string();
}

SearchResult search_target(const house::HouseStore& store, const config::OptimizerConfig& config,
                           const config::TargetConfig& target, const ir::Graph& teacher_in,
                           const latency::LatencyTable& table, latency::DeviceLink* link,
                           const SearchOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const std::string path = search_result_path(config, target.name);
  const std::string scores = score_context(config, store);
  const std::string context = result_context(config, target, table, scores);
  SearchProgress progress(options.log, target.name, config.run.log_seconds, {});
  if (!options.force && fs::exists(path)) {
    // A result this program cannot read (an older format, a damaged file) is
    // stale like one of other settings: it is searched again and replaced.
    std::optional<SearchResult> previous;
    try {
      previous = read_search_result(path);
    } catch (const SearchError& e) {
      progress.note(std::string(e.what()) + ": searching again");
    }
    if (previous && previous->context == context) {
      progress.note("reusing " + path + " (same settings; --force searches again)");
      return *previous;
    }
    if (previous) progress.note(path + " was made with other settings: searching again");
  }
  fs::create_directories(fs::path(path).parent_path());

  ir::Graph teacher = teacher_in;
  const blocks::BlockAnalysis analysis = blocks::assign_unit_blocks(teacher);
  const SearchSpace space(store, table);
  const Budget budget = resolve_budget(target, table);
  if (space.alternatives().empty())
    throw SearchError("target " + target.name + ": no alternative of " + store.dir() +
                      " is in its latency table (profile the target after building the house)");
  if (!space.skipped().empty())
    progress.note(std::to_string(space.skipped().size()) +
                  " alternatives are not in the latency table and are left out");

  const int threads =
      config.run.threads > 0 ? config.run.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  torchbridge::GraphModule::set_num_threads(threads);
  std::set<int> cuts;
  for (const SpaceAlternative& a : space.alternatives()) cuts.insert(a.cut_begin);
  progress.note("teacher features on " + std::to_string(config.search.validation_images) + " validation images at " +
                std::to_string(cuts.size() + 1) + " cuts");
  CandidateEvaluator evaluator(teacher, analysis, store, config, std::vector<int>(cuts.begin(), cuts.end()),
                               (fs::path(path).parent_path() / ("spill-" + target.name)).string());
  EvaluationJournal journal((fs::path(path).parent_path() / (target.name + ".evaluations.jsonl")).string(), scores);
  for (const JournalEntry& e : journal.recovered()) evaluator.remember(e.keys, e.score);
  if (!journal.recovered().empty())
    progress.note(std::to_string(journal.recovered().size()) + " evaluations recovered from " + journal.path());
  SearchProgress steps(options.log, target.name, config.run.log_seconds, [&] { return evaluator.runs(); });
  std::set<std::string> distinct;
  const ScoreFn score = [&](const std::vector<std::string>& keys) {
    distinct.insert(candidate_name(keys));
    const bool fresh = !evaluator.known(keys);
    const CandidateScore s = evaluator.evaluate(keys);
    if (fresh) journal.append(keys, s);
    return s;
  };

  SearchResult result;
  result.context = context;
  result.target = target.name;
  result.device = target.device;
  result.budget_ms = budget.ms;
  result.memory_budget_bytes = budget.memory_bytes;
  result.strategy = config.search.strategy;
  result.iterations = config.search.iterations;
  result.validation_images = evaluator.samples();
  result.teacher_accuracy = score({}).accuracy;
  result.teacher_ms = table.teacher_ms;
  result.latency_measured = link != nullptr;
  result.skipped = space.skipped();
  if (!link) progress.note("offline target: nothing is measured, latencies are predictions");

  const uint64_t seed = house::alternative_seed(config.run.seed, "search/" + target.name);
  const int64_t n_alone = static_cast<int64_t>(space.alternatives().size());
  Budget searched = budget;
  std::set<std::vector<std::string>> measured_sets;
  for (int attempt = 1; attempt <= 2; ++attempt) {
    result.attempts = attempt;
    result.searched_budget_ms = searched.ms;
    SearchTrace trace(space, searched, score);
    const auto on_step = [&](const ProgressTick& t) {
      steps.step(t.iteration, t.iterations, t.temperature, t.best, trace.evaluations());
    };
    if (config.search.strategy == "random") {
      steps.phase("random");
      try {
        random_search(trace, n_alone + 1 + config.search.iterations, random::derive_seed(seed, attempt), on_step);
      } catch (const SearchError& e) {
        result.status = "failed";
        result.message = e.what();
        break;
      }
    } else {
      steps.phase("alternatives alone");
      std::vector<double> alone;
      for (int64_t i = 0; i < n_alone; ++i) {
        alone.push_back(trace.score({static_cast<int>(i)}).score.accuracy);
        steps.step(i + 1, n_alone, 0.0, trace.best(), trace.evaluations());
      }
      const std::optional<Candidate> start = greedy_start(space, searched, alone, result.teacher_accuracy);
      if (!start) {
        // Name the fastest student the house can make and what would reach
        // further. Predictions add up over disjoint spans (latency_table.h), so
        // the set saving the most time is found by dynamic programming over
        // the teacher's cuts: best[c] = most saved by spans ending at or before c.
        const std::vector<SpaceAlternative>& alts = space.alternatives();
        const size_t cut_count = table.unit_ms.size() + 1;
        std::vector<double> best(cut_count, 0.0);
        std::vector<int> last(cut_count, -1);  // the alternative ending at cut c in that set
        for (size_t c = 1; c < cut_count; ++c) {
          best[c] = best[c - 1];
          for (size_t i = 0; i < alts.size(); ++i) {
            if (alts[i].cut_end != static_cast<int>(c) || alts[i].cut_begin < 0) continue;
            const double saved = table.teacher_ms - space.predict({static_cast<int>(i)}).ms;
            if (best[static_cast<size_t>(alts[i].cut_begin)] + saved > best[c]) {
              best[c] = best[static_cast<size_t>(alts[i].cut_begin)] + saved;
              last[c] = static_cast<int>(i);
            }
          }
        }
        Candidate cheapest;
        std::vector<bool> replaced(table.unit_ms.size(), false);
        for (size_t c = cut_count - 1; c > 0;) {
          if (last[c] < 0) {
            --c;
            continue;
          }
          const SpaceAlternative& a = alts[static_cast<size_t>(last[c])];
          cheapest.insert(cheapest.begin(), last[c]);
          for (int u = a.cut_begin; u < a.cut_end; ++u) replaced[static_cast<size_t>(u)] = true;
          c = static_cast<size_t>(a.cut_begin);
        }
        const latency::Prediction floor = space.predict(cheapest);
        double kept_ms = 0.0;
        std::string kept_units;
        for (size_t u = 0; u < replaced.size(); ++u)
          if (!replaced[u]) {
            kept_ms += table.unit_ms[u];
            kept_units += (kept_units.empty() ? "" : ", ") + std::to_string(u);
          }
        const auto ms = [](double v) {
          char b[32];
          std::snprintf(b, sizeof b, "%.4g ms", v);
          return std::string(b);
        };
        const std::string fastest = "the fastest student the house can make (" + std::to_string(cheapest.size()) +
                                    " alternatives) is predicted at " + ms(floor.ms);
        std::string text;
        if (floor.ms > searched.ms)
          text = "no set of the house's alternatives is predicted to meet " + ms(searched.ms) + ": " + fastest + ", " +
                 ms(kept_ms) + " of it in teacher units no alternative replaces (" +
                 (kept_units.empty() ? "none" : kept_units) +
                 "); more or longer spans (house.spans, house.max_units) would replace more of the teacher, more "
                 "kinds or stronger ratios (house.kinds, house.prune_ratios, house.low_rank_ratios) would make the "
                 "replacements cheaper";
        else if (searched.memory_bytes > 0 && floor.memory_bytes > static_cast<uint64_t>(searched.memory_bytes))
          text = "no set of the house's alternatives is predicted to meet " + ms(searched.ms) + " and " +
                 std::to_string(searched.memory_bytes) + " bytes: " + fastest + " but needs " +
                 std::to_string(floor.memory_bytes) +
                 " bytes; smaller alternatives (house.prune_ratios, house.low_rank_ratios) or a larger "
                 "memory_budget_bytes would reach it";
        else
          text = "the greedy start found no set of the house's alternatives predicted to meet " + ms(searched.ms) +
                 (searched.memory_bytes > 0 ? " and " + std::to_string(searched.memory_bytes) + " bytes" : "") +
                 ", although " + fastest;
        result.status = "failed";
        result.message = text;
        break;
      }
      steps.phase("anneal");
      AnnealSettings a;
      a.iterations = config.search.iterations;
      a.initial_temperature = config.search.initial_temperature;
      a.final_temperature = config.search.final_temperature;
      a.seed = random::derive_seed(seed, attempt);
      anneal(trace, *start, a, on_step);  // scores the start first
      if (attempt == 1) result.greedy = unmeasured(*trace.find(*start), searched.ms);
    }
    // A retry's history continues the first attempt's evaluation count.
    for (HistoryPoint h : trace.history()) {
      h.evaluation += result.evaluations;
      result.history.push_back(h);
    }
    result.evaluations += trace.evaluations();

    std::vector<ScoredCandidate> best;
    for (const ScoredCandidate& s : best_candidates(trace, static_cast<int64_t>(trace.evaluated().size())))
      if (static_cast<int64_t>(best.size()) < config.search.measure_best && measured_sets.insert(s.keys).second)
        best.push_back(s);
    steps.phase("measure");
    progress.note("measuring " + std::to_string(best.size()) + " candidates end to end" +
                  (link ? "" : " (offline: predicted only)"));
    std::vector<MeasuredCandidate> measured =
        measure_candidates(link, target, config.profile, teacher, analysis, store, best, budget);
    for (const MeasuredCandidate& m : measured) {
      char line[160];
      if (m.measured)
        std::snprintf(line, sizeof line,
                      "  %.2f%%  predicted %.4f ms  measured %.4f ms (p90 %.4f), %s budget:", 100.0 * m.accuracy,
                      m.predicted_ms, m.median_ms, m.p90_ms, m.meets_budget ? "meets" : "OVER");
      else
        std::snprintf(line, sizeof line, "  %.2f%%  predicted %.4f ms:", 100.0 * m.accuracy, m.predicted_ms);
      progress.note(line + (" " + candidate_name(m.keys)));
    }
    result.measured.insert(result.measured.end(), measured.begin(), measured.end());
    if (const std::optional<size_t> w = pick_winner(result.measured)) {
      result.winner = result.measured[*w];
      result.status = "ok";
      result.message = attempt == 1 ? ""
                                    : "met the budget after tightening the predicted budget to " +
                                          std::to_string(searched.ms) + " ms";
      break;
    }
    result.status = "failed";
    const double held_to = measured.empty() ? budget.ms : measured.front().budget_ms;
    result.message = "no measured candidate met the budget of " + std::to_string(held_to) + " ms" +
                     (budget.memory_bytes > 0 ? " / " + std::to_string(budget.memory_bytes) + " bytes" : "");
    if (measured.empty()) break;
    // Tighten by how much the device is slower (or bigger) than predicted.
    double time_ratio = 1.0, memory_ratio = 1.0;
    for (const MeasuredCandidate& m : measured) {
      // Measured against the budget it was held to, predicted against the table's.
      if (m.predicted_ms > 0 && m.budget_ms > 0)
        time_ratio = std::max(time_ratio, (m.median_ms / m.budget_ms) / (m.predicted_ms / budget.ms));
      if (m.predicted_memory_bytes > 0)
        memory_ratio = std::max(memory_ratio, static_cast<double>(m.arena_bytes + m.weights_bytes) /
                                                  static_cast<double>(m.predicted_memory_bytes));
    }
    searched.ms = budget.ms / time_ratio;
    if (budget.memory_bytes > 0)
      searched.memory_bytes = static_cast<int64_t>(static_cast<double>(budget.memory_bytes) / memory_ratio);
    if (attempt == 1)
      progress.note(result.message + "; searching once more with a predicted budget of " + std::to_string(searched.ms) +
                    " ms");
  }
  result.distinct_evaluations = static_cast<int64_t>(distinct.size());
  result.network_runs = evaluator.runs();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  write_search_result(result, path);
  progress.note(result.status == "ok" ? "winner " + candidate_name(result.winner->keys) + " written to " + path
                                      : "FAILED: " + result.message + " (" + path + ")");
  return result;
}

}  // namespace bespoke::search
