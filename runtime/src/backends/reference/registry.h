// The reference backend's operator table: opcode -> arity, options type,
// check and factory. Generic checks (arity, float32 tensors, options table
// type, required inputs present) live here; operator-specific ones in the
// operator's file.
#pragma once

#include <memory>

#include "backends/reference/kernel_base.h"

namespace bespoke::rt::reference {

// Ok if the reference backend can run `args.op()`, else the reason.
Status check_operator(const KernelArgs& args);
// check_operator(), then the operator's factory.
Status create_operator(const KernelArgs& args, std::unique_ptr<Kernel>* kernel);

}  // namespace bespoke::rt::reference
