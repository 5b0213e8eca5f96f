#include "core/session_plan.h"

#include <algorithm>

#include "core/aligned_buffer.h"
#include "core/memory_planner.h"

namespace bespoke::rt {
namespace {

constexpr size_t kNCHW = static_cast<size_t>(Layout::kNCHW);
constexpr size_t kNHWC = static_cast<size_t>(Layout::kNHWC);

Layout other_layout(Layout l) { return l == Layout::kNCHW ? Layout::kNHWC : Layout::kNCHW; }

// Layout a tensor has when handed to (or produced by) a backend.
Layout layout_for(const TensorInfo& t, const Backend& backend) {
  return t.rank == 4 ? backend.layout() : Layout::kNCHW;
}

// Convolution weights, which kernels pack from the model at creation.
bool is_packed_weight(const ModelView& model, int op, size_t position) {
  const fb::OpCode code = model.op(op).opcode;
  return position == 1 && (code == fb::OpCode::CONV_2D || code == fb::OpCode::CONV_TRANSPOSE_2D);
}

// A backend that prefers the operator, else the first that supports it, else
// the reference backend (index 0).
int choose_backend(const ModelView& model, int op, const std::vector<Backend*>& backends) {
  int first = 0;
  for (size_t b = 1; b < backends.size(); ++b) {
    if (backends[b] == nullptr || !backends[b]->supports(model, op)) continue;
    if (backends[b]->preferred_for(model, op)) return static_cast<int>(b);
    if (first == 0) first = static_cast<int>(b);
  }
  return first;
}

}  // namespace

bool layouts_coincide(const TensorInfo& t) { return t.rank != 4 || t.dim(1) == 1 || t.dim(2) * t.dim(3) == 1; }

Dims4 dims4(const TensorInfo& t) { return Dims4{t.dim(0), t.dim(1), t.dim(2), t.dim(3)}; }

int SessionPlan::add_slot(int tensor, Layout layout, Slot::Place place, const ModelView& model) {
  Slot slot;
  slot.tensor = tensor;
  slot.layout = layout;
  slot.place = place;
  slot.bytes = model.tensor(tensor).byte_size;
  slots_.push_back(slot);
  const int id = static_cast<int>(slots_.size() - 1);
  auto& by_layout = slot_of_[static_cast<size_t>(tensor)];
  by_layout[static_cast<size_t>(layout)] = id;
  // One copy serves both layouts when they coincide.
  if (layouts_coincide(model.tensor(tensor))) by_layout[static_cast<size_t>(other_layout(layout))] = id;
  return id;
}

int SessionPlan::slot_for_input(const ModelView& model, int op, size_t position, Layout layout) {
  const int tensor = model.op(op).inputs[position];
  const TensorInfo& info = model.tensor(tensor);
  auto& by_layout = slot_of_[static_cast<size_t>(tensor)];
  if (info.is_constant()) {
    const bool copy = layout == Layout::kNHWC && !layouts_coincide(info) && !is_packed_weight(model, op, position);
    const size_t which = copy ? kNHWC : kNCHW;
    if (by_layout[which] < 0) {
      return add_slot(tensor, copy ? Layout::kNHWC : Layout::kNCHW,
                      copy ? Slot::Place::kConstantCopy : Slot::Place::kConstant, model);
    }
    return by_layout[which];
  }
  int id = by_layout[static_cast<size_t>(layout)];
  if (id < 0) {
    // The verifier guarantees the tensor is defined, so the other layout exists.
    const int source = by_layout[static_cast<size_t>(other_layout(layout))];
    if (source < 0) return -1;
    slots_[static_cast<size_t>(source)].last_step = std::max(slots_[static_cast<size_t>(source)].last_step, op);
    id = add_slot(tensor, layout, Slot::Place::kArena, model);
    slots_[static_cast<size_t>(id)].first_step = op;
    ops_[static_cast<size_t>(op)].before.push_back(Conversion{source, id, dims4(info)});
  }
  Slot& slot = slots_[static_cast<size_t>(id)];
  slot.last_step = std::max(slot.last_step, op);
  return id;
}

Status SessionPlan::build(const ModelView& model, const std::vector<Backend*>& backends, SessionPlan* plan) {
  if (backends.empty() || backends[0] == nullptr) return Internal("session plan: no reference backend");
  SessionPlan& p = *plan;
  p = SessionPlan();
  const int op_count = static_cast<int>(model.operator_count());
  p.slot_of_.assign(model.tensor_count(), {-1, -1});
  p.ops_.resize(static_cast<size_t>(op_count));

  for (int i = 0; i < op_count; ++i) p.ops_[static_cast<size_t>(i)].backend = choose_backend(model, i, backends);

  std::vector<uint8_t> is_output(model.tensor_count(), 0);
  for (int t : model.outputs()) is_output[static_cast<size_t>(t)] = 1;
  for (int t : model.inputs()) p.input_slots_.push_back(p.add_slot(t, Layout::kNCHW, Slot::Place::kIo, model));

  for (int i = 0; i < op_count; ++i) {
    OpPlan& op = p.ops_[static_cast<size_t>(i)];
    const Backend& backend = *backends[static_cast<size_t>(op.backend)];
    const OperatorInfo& info = model.op(i);
    for (size_t k = 0; k < info.inputs.size(); ++k) {
      const int t = info.inputs[k];
      const int slot = t < 0 ? -1 : p.slot_for_input(model, i, k, layout_for(model.tensor(t), backend));
      if (t >= 0 && slot < 0)
        return Internal("session plan: operator " + std::to_string(i) + " reads undefined tensor");
      p.ops_[static_cast<size_t>(i)].input_slots.push_back(slot);
    }
    for (int t : info.outputs) {
      const TensorInfo& out = model.tensor(t);
      const Layout layout = layout_for(out, backend);
      const bool logical = layout == Layout::kNCHW || layouts_coincide(out);
      int home;
      if (is_output[static_cast<size_t>(t)] != 0 && logical) {
        home = p.add_slot(t, Layout::kNCHW, Slot::Place::kIo, model);
      } else {
        home = p.add_slot(t, layout, Slot::Place::kArena, model);
        p.slots_[static_cast<size_t>(home)].first_step = i;
        p.slots_[static_cast<size_t>(home)].last_step = i;
        if (is_output[static_cast<size_t>(t)] != 0) {
          const int io = p.add_slot(t, Layout::kNCHW, Slot::Place::kIo, model);
          p.ops_[static_cast<size_t>(i)].after.push_back(Conversion{home, io, dims4(out)});
        }
      }
      p.ops_[static_cast<size_t>(i)].output_slots.push_back(home);
    }
  }
  for (int t : model.outputs()) p.output_slots_.push_back(p.slot_of_[static_cast<size_t>(t)][kNCHW]);
  p.place_buffers();
  return Status::Ok();
}

void SessionPlan::place_buffers() {
  MemoryPlanner planner;
  std::vector<int> planned;  // slot ids in planner order
  for (size_t i = 0; i < slots_.size(); ++i) {
    Slot& s = slots_[i];
    switch (s.place) {
      case Slot::Place::kArena:
        planner.add(s.bytes, s.first_step, s.last_step);
        planned.push_back(static_cast<int>(i));
        break;
      case Slot::Place::kIo:
        s.offset = io_bytes_;
        io_bytes_ += align_up(s.bytes, kArenaAlignment);
        break;
      case Slot::Place::kConstantCopy:
        s.offset = constant_copy_bytes_;
        constant_copy_bytes_ += align_up(s.bytes, kArenaAlignment);
        break;
      case Slot::Place::kConstant: break;
    }
  }
  planner.plan();
  for (size_t k = 0; k < planned.size(); ++k) {
    slots_[static_cast<size_t>(planned[k])].offset = planner.offset(static_cast<int>(k));
  }
  arena_bytes_ = planner.arena_bytes();
  // Room for kernels that read a little past their inputs (see kKernelOverreadBytes).
  if (arena_bytes_ > 0) arena_bytes_ += kKernelOverreadBytes;
  if (io_bytes_ > 0) io_bytes_ += kKernelOverreadBytes;
  if (constant_copy_bytes_ > 0) constant_copy_bytes_ += kKernelOverreadBytes;
}

}  // namespace bespoke::rt
