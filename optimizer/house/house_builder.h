// bespoke-opt house build: makes and trains every planned alternative of a
// model house (work_plan.h), storing each in the house folder as soon as it
// is finished (house_store.h).
//
// Order of work:
//  1. open (or create) the house; a house built from another config is
//     refused, naming the differing keys, unless `force`; a shard refuses a
//     folder of another shard;
//  2. write the effective config (meta "config" and <house>/config.toml), the
//     teacher's per-unit record (meta "units", house_coverage.h) and every
//     sampled teacher span as <house>/span-<a>-<b>.bspk with its row; log
//     the spans' coverage of the teacher's FLOPs;
//  3. skip the alternatives that already have a row (done or failed): that is
//     what makes a build resumable after any interruption, SIGKILL included
//     (a file is written atomically before its row, and a row is one
//     transaction, so nothing finished is lost and nothing half-written is
//     taken for finished);
//  4. compute the teacher's features at the cuts the remaining alternatives
//     need, once (feature_cache.h: in memory up to distill.feature_cache_mb,
//     memory-mapped files beyond);
//  5. distill each remaining alternative (distillation.h), write its .bspk
//     (one block carrying its provenance) and its row; an alternative that
//     fails (divergence, a graph the bridge refuses, ...) gets a failed row
//     with the reason and the build goes on; errors of the house itself
//     (full disk, unwritable folder, corrupt store) stop it.
// Progress lines go to `log`: alternatives done of total, the current kind
// and span, loss, ETA. The report (build_report.h) ends the run.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "config/optimizer_config.h"
#include "house/build_report.h"
#include "house/pretrained_spans.h"
#include "house/teacher_data.h"
#include "ir/graph.h"

namespace bespoke::house {

struct BuildRequest {
  config::OptimizerConfig config;  // effective: file + command-line overrides
  ir::Graph teacher;               // canonical, single input and output
  std::vector<PretrainedSource> sources;
  std::string house_dir;  // the folder to build into (a shard's own folder for a shard)
  int shard_index = 0;    // this build makes shard_index of shard_count parts
  int shard_count = 1;
  bool force = false;  // accept a house built from another config
  // The teacher's data, already opened and checked (run_pipeline); null: the
  // build opens it itself, before it touches the house.
  const TeacherData* data = nullptr;
};

// The data is opened and checked (task head, labels, charset) before the
// house folder is touched, so bad data leaves a house as it was.
// Throws HouseError (store, files, config mismatch), data::DataError
// (dataset), task::TaskError (a task that does not fit the teacher or the
// data), blocks::BlockError (teacher not single-input single-output).
BuildReport build_house(const BuildRequest& request, std::ostream& log);

// "<key with '/' as '_'>.bspk": the file of an alternative in the house.
std::string alternative_file_name(const std::string& key);

}  // namespace bespoke::house
