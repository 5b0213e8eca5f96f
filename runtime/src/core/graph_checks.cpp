// Graph-level checks: graph inputs (valid, non-constant, unique), graph
// outputs (valid, produced by an operator, unique) and blocks (a partition of
// the operators, in order, with in-range boundary tensors).
#include <string>

#include "core/verify_context.h"

namespace bespoke::rt::verify {
namespace {

bool tensor_in_range(const VerifyContext& ctx, int64_t t) {
  return t >= 0 && static_cast<uint64_t>(t) < ctx.tensors.size();
}

}  // namespace

Status verify_graph_inputs(VerifyContext& ctx) {
  const auto* inputs = ctx.model->inputs();
  const size_t count = inputs != nullptr ? inputs->size() : 0;
  if (count > ctx.tensors.size()) {
    return InvalidModel("the model lists " + std::to_string(count) + " graph inputs but has only " +
                        std::to_string(ctx.tensors.size()) + " tensors");
  }
  for (size_t i = 0; i < count; ++i) {
    const int t = inputs->Get(static_cast<flatbuffers::uoffset_t>(i));
    const std::string where = "graph input " + std::to_string(i);
    if (!tensor_in_range(ctx, t)) {
      return InvalidModel(where + ": tensor index " + std::to_string(t) + " is out of range (" +
                          std::to_string(ctx.tensors.size()) + " tensors)");
    }
    if (ctx.tensors[static_cast<size_t>(t)].is_constant()) {
      return InvalidModel(where + ": " + tensor_label(ctx, t) + " is a constant");
    }
    if (ctx.tensors[static_cast<size_t>(t)].type != fb::ElementType::FLOAT32) {
      return Unsupported(where + ": " + tensor_label(ctx, t) + " is not FLOAT32; this runtime executes FLOAT32 only");
    }
    if (ctx.is_graph_input[static_cast<size_t>(t)] != 0) {
      return InvalidModel(where + ": " + tensor_label(ctx, t) + " is listed twice");
    }
    ctx.is_graph_input[static_cast<size_t>(t)] = 1;
    ctx.inputs.push_back(t);
  }
  return Status::Ok();
}

Status verify_graph_outputs(VerifyContext& ctx) {
  const auto* outputs = ctx.model->outputs();
  const size_t count = outputs != nullptr ? outputs->size() : 0;
  if (count == 0) return InvalidModel("the model has no graph outputs");
  if (count > ctx.tensors.size()) {
    return InvalidModel("the model lists " + std::to_string(count) + " graph outputs but has only " +
                        std::to_string(ctx.tensors.size()) + " tensors");
  }
  std::vector<uint8_t> seen(ctx.tensors.size(), 0);
  for (size_t i = 0; i < count; ++i) {
    const int t = outputs->Get(static_cast<flatbuffers::uoffset_t>(i));
    const std::string where = "graph output " + std::to_string(i);
    if (!tensor_in_range(ctx, t)) {
      return InvalidModel(where + ": tensor index " + std::to_string(t) + " is out of range (" +
                          std::to_string(ctx.tensors.size()) + " tensors)");
    }
    if (ctx.producer[static_cast<size_t>(t)] < 0) {
      return InvalidModel(where + ": " + tensor_label(ctx, t) + " is not produced by any operator");
    }
    if (seen[static_cast<size_t>(t)] != 0) {
      return InvalidModel(where + ": " + tensor_label(ctx, t) + " is listed twice");
    }
    seen[static_cast<size_t>(t)] = 1;
    ctx.outputs.push_back(t);
  }
  return Status::Ok();
}

Status verify_blocks(VerifyContext& ctx) {
  const auto* blocks = ctx.model->blocks();
  const size_t count = blocks != nullptr ? blocks->size() : 0;
  if (count == 0) return Status::Ok();
  const size_t op_count = ctx.operators.size();
  if (count > op_count) {
    return InvalidModel("the model has " + std::to_string(count) + " blocks but only " + std::to_string(op_count) +
                        " operators; every block holds at least one operator");
  }
  uint64_t next = 0;  // first operator not yet covered
  ctx.blocks.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const fb::Block& block = *blocks->Get(static_cast<flatbuffers::uoffset_t>(i));
    std::string where = "block " + std::to_string(i);
    if (block.name() != nullptr) where += " " + quoted_name(block.name());
    if (block.first_operator() != next) {
      return InvalidModel(where + ": starts at operator " + std::to_string(block.first_operator()) +
                          "; blocks must partition the operators in order, expected " + std::to_string(next));
    }
    if (block.operator_count() == 0) return InvalidModel(where + ": holds no operators");
    next += block.operator_count();
    if (next > op_count) {
      return InvalidModel(where + ": operators [" + std::to_string(block.first_operator()) + ", " +
                          std::to_string(next) + ") extend past the last operator (" + std::to_string(op_count) +
                          " operators)");
    }
    for (int t : {block.input_tensor(), block.output_tensor()}) {
      if (t != -1 && !tensor_in_range(ctx, t)) {
        return InvalidModel(where + ": boundary tensor index " + std::to_string(t) + " is out of range (" +
                            std::to_string(ctx.tensors.size()) + " tensors)");
      }
    }
    BlockInfo info;
    info.id = block.id();
    if (block.name() != nullptr) info.name = std::string_view(block.name()->c_str(), block.name()->size());
    info.first_operator = block.first_operator();
    info.operator_count = block.operator_count();
    for (uint32_t op = info.first_operator; op < info.first_operator + info.operator_count; ++op) {
      ctx.operators[op].block = static_cast<int>(i);
    }
    ctx.blocks.push_back(info);
  }
  if (next != op_count) {
    return InvalidModel("the blocks cover operators [0, " + std::to_string(next) + ") but the model has " +
                        std::to_string(op_count) + " operators; blocks must partition all operators");
  }
  return Status::Ok();
}

}  // namespace bespoke::rt::verify
