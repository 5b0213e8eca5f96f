// bespoke-bench --manifest: measures an offline profile bundle
// (docs/profile-bundle.md) on this device and prints the report JSON that
// `bespoke-opt profile import` reads. Runtime only: the measuring is the
// agent's own (agent/measurement.h), so an offline profile and one through
// bespoke-agent measure the same way.
//
// Round r (of the manifest's rounds): one measurement of every model whose
// "profile" is false, then one of every model whose "profile" is true
// (per-block profile on), each with the manifest's warm-up and runs; the
// models of one measurement are interleaved. Every model's report holds one
// entry per round. Progress goes to stderr, one line per round.
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
