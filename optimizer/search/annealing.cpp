#include "search/annealing.h"

#include <cmath>

#include "random/seeded_random.h"
#include "search/feasibility_repair.h"
#include "search/search_error.h"

namespace bespoke::search {

namespace {

// One random move from c, or c itself when the drawn move is impossible.
Candidate propose(const SearchSpace& space, const Candidate& c, random::Random& rng) {
  const int n = static_cast<int>(space.alternatives().size());
  std::vector<int> options;
  switch (rng.below(3)) {
    case 0:  // add
      for (int i = 0; i < n; ++i)
        if (!space.overlaps(c, i)) options.push_back(i);
      if (options.empty()) return c;
      return with_added(c, options[rng.below(options.size())]);
    case 1: {  // remove
      if (c.empty()) return c;
      Candidate out = c;
      out.erase(out.begin() + static_cast<std::ptrdiff_t>(rng.below(out.size())));
      return out;
    }
    default: {  // swap
      if (c.empty()) return c;
      const int member = c[rng.below(c.size())];
      for (int i = 0; i < n; ++i)
        if (i != member && space.overlaps(i, member)) options.push_back(i);
      if (options.empty()) return c;
      const int incoming = options[rng.below(options.size())];
      Candidate out;
      for (int m : c)
        if (!space.overlaps(m, incoming)) out.push_back(m);
      return with_added(out, incoming);
    }
  }
}

}  // namespace

double temperature_at(const AnnealSettings& s, int64_t k) {
  if (s.iterations <= 1) return s.initial_temperature;
  const double t = static_cast<double>(k) / static_cast<double>(s.iterations - 1);
  return s.initial_temperature * std::pow(s.final_temperature / s.initial_temperature, t);
}

void anneal(SearchTrace& trace, const Candidate& start, const AnnealSettings& settings, const ProgressFn& progress) {
  const SearchSpace& space = trace.space();
  if (!space.feasible(start, trace.budget())) throw SearchError("annealing needs a feasible start");
  random::Random rng(settings.seed);
  ScoredCandidate current = trace.score(start);
  for (int64_t k = 0; k < settings.iterations; ++k) {
    const double temperature = temperature_at(settings, k);
    Candidate proposal = current.candidate;
    for (int tries = 0; tries < kProposalTries; ++tries) {
      Candidate p = repair_to_budget(space, trace.budget(), propose(space, current.candidate, rng), rng);
      if (p != current.candidate && space.feasible(p, trace.budget())) {
        proposal = std::move(p);
        break;
      }
    }
    const ScoredCandidate scored = trace.score(proposal);
    const double delta = scored.score.accuracy - current.score.accuracy;
    // Always draw, so the stream does not depend on the scores' signs.
    const double u = rng.uniform();
    if (delta >= 0.0 || u < std::exp(delta / temperature)) current = scored;
    if (progress) progress({k + 1, settings.iterations, temperature, trace.best()});
  }
}

}  // namespace bespoke::search
