// bespoke-bench --manifest: measures a bundle written by the optimizer
// (docs/profile-bundle.md) on this device and prints the report JSON it
// reads back. Runtime only: the measuring and running are the agent's own
// (agent/measurement.h), so the offline path and bespoke-agent do the same.
// The manifest's "format" says which bundle it is:
//
//  * "bespoke-profile-manifest" (`bespoke-opt profile import` reads the
//    report): round r (of the manifest's rounds) is one measurement of every
//    model whose "profile" is false, then one of every model whose "profile"
//    is true (per-block profile on), each with the manifest's warm-up and
//    runs; the models of one measurement are interleaved. Every model's
//    report holds one entry per round. Progress on stderr, a line per round.
//  * "bespoke-acceptance-manifest" (a student of an offline target, read by
//    the next `bespoke-opt run`): every run in order, a model once on its
//    .npy inputs (agent::run_once), its outputs reported with their values
//    and a digest (tensor_io/tensor_digest.h); then every measurement
//    (agent::measure, its models interleaved over its rounds).
//
// A manifest that cannot be read, names a file that is missing or whose size
// differs from its "bytes", or holds a setting out of range is one error line
// naming the file and field; a model the runtime rejects is a runtime error.
#pragma once

#include <string>

namespace bespoke::tools {

// Prints the report on stdout; throws std::runtime_error (bad manifest) or
// bespoke::Error (runtime).
void bench_manifest(const std::string& manifest_path);

}  // namespace bespoke::tools
