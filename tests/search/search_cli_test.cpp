// bespoke-opt search as a user runs it, on the fixture's house (profiled for
// the local target): the JSON result, its reuse, a bad target, and a search
// killed with SIGKILL part-way that, run again, evaluates nothing twice and
// ends as an uninterrupted search does.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "config/optimizer_config.h"
#include "search/search_space.h"
#include "search_fixture.h"
#include "support/run_tool.h"

// Last: LibTorch's glog defines a CHECK of its own, which doctest's must replace.
#include <doctest/doctest.h>

extern char** environ;

namespace bespoke::search {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A copy of the fixture's house (with its latency table) and a config whose
// run.out is it, so each test has its own search/ folder.
std::string house_copy_config(const std::string& name, const config::SearchConfig& search) {
  const std::string dir = test::fresh_out(name);
  const std::string house = dir + "/house";
  fs::copy(test::fixture().config.run.out, house, fs::copy_options::recursive);
  fs::remove_all(house + "/search");
  config::OptimizerConfig c = test::fixture().config;
  c.run.out = house;
  c.search = search;
  const std::string path = dir + "/config.toml";
  std::ofstream(path) << config::to_toml(c);
  return path;
}

size_t lines_of(const std::string& path) {
  std::ifstream in(path);
  return static_cast<size_t>(std::count(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>(), '\n'));
}

std::string opt() { return BESPOKE_OPT_PATH; }

}  // namespace

TEST_CASE("bespoke-opt search: JSON result, reused on a second run, bad target refused") {
  const auto& f = test::fixture();
  const std::string cfg = house_copy_config("cli", f.config.search);
  const std::string work = fs::path(cfg).parent_path().string();
  const bespoke::test::ToolRun first =
      bespoke::test::run_tool(opt(), "search '" + cfg + "' --target local-1t --json", work);
  REQUIRE_MESSAGE(first.exit_code <= 1, first.err);
  const json r = json::parse(first.out);
  CHECK(r["target"] == "local-1t");
  CHECK(r["device"] == "local");
  CHECK(r["latency"] == "measured");
  CHECK(r["budget_ms"].get<double>() == doctest::Approx(0.8 * f.table.teacher_ms));
  if (r["status"] == "ok") {
    CHECK(r["winner"]["measured"] == true);
    CHECK(r["winner"]["median_ms"].get<double>() <= r["winner"]["budget_ms"].get<double>());
  } else {  // timings on a busy machine: the failure is reported, after the one retry
    CHECK(first.exit_code == 1);
    CHECK(r["attempts"] == 2);
    CHECK(r["winner"].is_null());
  }
  CHECK(r["evaluations"].get<int64_t>() > f.config.search.iterations);
  CHECK(first.err.find("[anneal] " + std::to_string(f.config.search.iterations) + "/") != std::string::npos);
  const std::string file = work + "/house/search/local-1t.json";
  CHECK(json::parse(std::ifstream(file)) == r);

  const bespoke::test::ToolRun again =
      bespoke::test::run_tool(opt(), "search '" + cfg + "' --target local-1t --json", work);
  CHECK(again.exit_code == first.exit_code);
  CHECK(json::parse(again.out) == r);
  CHECK(again.err.find("reusing") != std::string::npos);

  const bespoke::test::ToolRun text = bespoke::test::run_tool(opt(), "search '" + cfg + "' --target local-1t", work);
  CHECK(text.exit_code == first.exit_code);
  CHECK(text.out.find(first.exit_code == 0 ? "winner" : "FAILED") != std::string::npos);

  const bespoke::test::ToolRun bad = bespoke::test::run_tool(opt(), "search '" + cfg + "' --target nope", work);
  CHECK(bad.exit_code == 2);
  CHECK(bespoke::test::count_lines(bad.err) == 1);
  CHECK(bad.err.find("nope") != std::string::npos);
}

TEST_CASE("bespoke-opt search killed with SIGKILL part-way resumes without evaluating anything twice") {
  config::SearchConfig s = test::fixture().config.search;
  s.validation_images = 640;  // slow enough to be killed part-way
  s.iterations = 60;
  const std::string killed_cfg = house_copy_config("cli-killed", s);
  const std::string whole_cfg = house_copy_config("cli-whole", s);
  const std::string work = fs::path(killed_cfg).parent_path().string();
  const std::string journal = work + "/house/search/local-1t.evaluations.jsonl";

  const std::string out_file = work + "/killed.out";
  std::vector<std::string> args = {opt(), "search", killed_cfg, "--target", "local-1t", "--json"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, (out_file + ".err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&actions);
  // Header + the teacher + 5 candidates evaluated: kill it.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  while (lines_of(journal) < 7 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFSIGNALED(status));
  CHECK_FALSE(fs::exists(work + "/house/search/local-1t.json"));
  const size_t recovered = lines_of(journal) - 1;  // complete entries (a torn line has no newline)
  REQUIRE(recovered >= 6);

  const bespoke::test::ToolRun resumed =
      bespoke::test::run_tool(opt(), "search '" + killed_cfg + "' --target local-1t --json", work);
  REQUIRE_MESSAGE(resumed.exit_code <= 1, resumed.err);
  CHECK(resumed.err.find(std::to_string(recovered) + " evaluations recovered") != std::string::npos);
  const json r = json::parse(resumed.out);
  const auto distinct = r["distinct_evaluations"].get<size_t>();
  CHECK(r["network_runs"].get<size_t>() == distinct - recovered);  // none of the recovered ran again
  CHECK(lines_of(journal) == 1 + distinct);                        // each candidate journaled once

  const std::string whole_work = fs::path(whole_cfg).parent_path().string();
  const bespoke::test::ToolRun whole =
      bespoke::test::run_tool(opt(), "search '" + whole_cfg + "' --target local-1t --json", whole_work);
  REQUIRE(whole.exit_code <= 1);
  const json w = json::parse(whole.out);
  // The first attempt's search is the same; whether a second one follows,
  // and which measured candidate wins, depends on timings, not on the search.
  CHECK(w["greedy"] == r["greedy"]);
  const auto first_attempt =
      static_cast<int64_t>(SearchSpace(*test::fixture().store, test::fixture().table).alternatives().size()) + 1 +
      s.iterations;
  const auto first_history = [&](const json& result) {
    json h = json::array();
    for (const json& p : result["history"])
      if (p["evaluation"].get<int64_t>() <= first_attempt) h.push_back(p);
    return h;
  };
  CHECK(first_history(w) == first_history(r));
  if (w["attempts"] == 1 && r["attempts"] == 1) CHECK(w["evaluations"] == r["evaluations"]);
  const auto measure_best = static_cast<size_t>(s.measure_best);
  REQUIRE(r["measured"].size() >= measure_best);
  REQUIRE(w["measured"].size() >= measure_best);
  for (size_t i = 0; i < measure_best; ++i) CHECK(w["measured"][i]["keys"] == r["measured"][i]["keys"]);
}

}  // namespace bespoke::search
