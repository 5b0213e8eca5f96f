// Runs an IR graph on the runtime's reference backend through the public C
// API: write_bspk, bsp_model_load_memory, one session, one run.
#pragma once

#include <vector>

#include "ir/graph.h"

namespace bespoke::test {

// The single float output for a single float input. Throws std::runtime_error
// with the runtime's message on any failure.
std::vector<float> run_reference(const ir::Graph& g, const std::vector<float>& input);

// Deterministic input for graph g's (single) input.
std::vector<float> sample_input(const ir::Graph& g, uint32_t seed);

}  // namespace bespoke::test
