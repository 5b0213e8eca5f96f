// SessionPlan: the static decisions of a session, made before any memory is
// allocated: which backend runs each operator, where each tensor lives and in
// which layout, which layout conversions run before/after which operator, and
// the arena offsets of every intermediate buffer.
//
// Layout policy:
//  * a rank-4 activation is stored in its producer's layout (graph inputs in
//    logical NCHW); a consumer whose backend needs the other layout reads one
//    converted copy shared by all such consumers, made right before the first
//    of them (its cost is attributed to that consumer);
//  * a rank-4 constant read by an NHWC backend gets one session-owned NHWC copy,
//    except convolution weights (input 1 of CONV_2D and CONV_TRANSPOSE_2D):
//    backend.h has kernels pack those from the model in file layout when they
//    are created, so a copy would only double the weight memory; setup()
//    receives the model's OIHW data for them;
//  * a shape whose NCHW and NHWC orders coincide (C == 1 or H*W == 1) is never
//    converted;
//  * graph inputs and outputs live outside the arena in logical order, so
//    inputs persist across runs and outputs stay valid until the next run; an
//    output produced in NHWC is converted right after its producer.
// Tensors of any other rank are plain row-major in logical order everywhere.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "backends/backend.h"
#include "core/layout_convert.h"
#include "core/model_view.h"
#include "core/status.h"

namespace bespoke::rt {

// One stored copy of a tensor.
struct Slot {
  enum class Place : uint8_t {
    kArena,         // offset into the (planned) arena
    kIo,            // offset into the session's graph input/output buffer
    kConstant,      // the model's constant data, in place
    kConstantCopy,  // offset into the session's converted-constant buffer
  };
  int tensor = -1;
  Layout layout = Layout::kNCHW;
  Place place = Place::kArena;
  size_t offset = 0;
  size_t bytes = 0;
  int first_step = 0, last_step = 0;  // arena lifetime (operator indices)
};

struct Conversion {
  int from_slot, to_slot;
  Dims4 dims;
};

struct OpPlan {
  int backend = 0;                 // index into the session's backend list
  std::vector<Conversion> before;  // converted copies of inputs, made before the kernel
  std::vector<Conversion> after;   // graph outputs produced in NHWC, converted after it
  std::vector<int> input_slots;    // -1 for an absent optional input
  std::vector<int> output_slots;
};

class SessionPlan {
 public:
  // `backends[0]` is the reference backend (it runs every operator); an
  // operator goes to a backend that supports it and is preferred_for() it,
  // else to the first other backend whose supports() accepts it.
  static Status build(const ModelView& model, const std::vector<Backend*>& backends, SessionPlan* plan);

  const std::vector<Slot>& slots() const { return slots_; }
  const std::vector<OpPlan>& ops() const { return ops_; }
  // Slot of graph input / output `i` (logical order, kIo).
  int input_slot(size_t i) const { return input_slots_[i]; }
  int output_slot(size_t i) const { return output_slots_[i]; }
  size_t arena_bytes() const { return arena_bytes_; }
  size_t io_bytes() const { return io_bytes_; }
  size_t constant_copy_bytes() const { return constant_copy_bytes_; }

 private:
  int add_slot(int tensor, Layout layout, Slot::Place place, const ModelView& model);
  int slot_for_input(const ModelView& model, int op, size_t position, Layout layout);
  void place_buffers();

  std::vector<Slot> slots_;
  std::vector<OpPlan> ops_;
  // Per tensor: slot holding it in NCHW / NHWC (-1 if none yet).
  std::vector<std::array<int, 2>> slot_of_;
  std::vector<int> input_slots_, output_slots_;
  size_t arena_bytes_ = 0, io_bytes_ = 0, constant_copy_bytes_ = 0;
};

// True when NCHW and NHWC put the tensor's elements in the same order.
bool layouts_coincide(const TensorInfo& t);
Dims4 dims4(const TensorInfo& t);

}  // namespace bespoke::rt
