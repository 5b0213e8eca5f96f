// The journal of a target's evaluated candidates, so that a search killed
// part-way (SIGKILL included) does not evaluate them again when rerun.
//
// File format (JSON Lines, <run.out>/search/<target>.evaluations.jsonl):
//   line 1: {"journal": "bespoke-search-evaluations", "context": "<what the scores depend on>"}
//   then one line per evaluated candidate: {"keys": [...], "accuracy": a, "mean_loss": l}
// Each line is appended and flushed with fsync before the search goes on,
// so after a crash the file holds every finished evaluation and at most one
// partial last line, which the reader ignores. The context names what makes
// a score valid (the house's config, the validation subset); a journal of
// another context is started afresh, never mixed in.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "search/candidate_evaluator.h"

namespace bespoke::search {

struct JournalEntry {
  std::vector<std::string> keys;
  CandidateScore score;
};

class EvaluationJournal {
 public:
  // Opens (or creates) `path`; reads back the entries of the same context,
  // starts a new file otherwise. Throws SearchError naming the file when it
  // cannot be read or written.
  EvaluationJournal(std::string path, const std::string& context);
  ~EvaluationJournal();
  EvaluationJournal(const EvaluationJournal&) = delete;
  EvaluationJournal& operator=(const EvaluationJournal&) = delete;

  const std::vector<JournalEntry>& recovered() const { return recovered_; }
  // Appends one line and fsyncs; throws SearchError naming the file.
  void append(const std::vector<std::string>& keys, const CandidateScore& score);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  std::vector<JournalEntry> recovered_;
};

}  // namespace bespoke::search
