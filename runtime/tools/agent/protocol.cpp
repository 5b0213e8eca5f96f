#include "agent/protocol.h"

#include <cstring>

#include "schema/agent_generated.h"

namespace bespoke::agent {
namespace {

namespace fb = flatbuffers;
namespace wire = bespoke::agent::wire;

constexpr char kMagic[4] = {'B', 'S', 'P', 'A'};
static_assert(FLATBUFFERS_LITTLEENDIAN, "scalar vectors are copied as they lie in the buffer");

// The elements of a scalar vector, copied byte for byte: the verifier only
// guarantees 4-byte alignment of a vector, so 8-byte elements ([long],
// [double]) may be misaligned for a typed load (UB; a fault on some ARM cores).
template <typename T>
void copy_scalars(const fb::Vector<T>* vector, std::vector<T>* out) {
  out->resize(vector == nullptr ? 0 : vector->size());
  if (!out->empty()) std::memcpy(out->data(), vector->Data(), out->size() * sizeof(T));
}

// ---- decoding: every accessor result is checked; a failed check records
// the first error and returns false, so the caller returns at once. ----

struct Checker {
  std::string* error;
  bool fail(const std::string& message) {
    if (error != nullptr) *error = message;
    return false;
  }
  bool string(const fb::String* s, const char* what, std::string* out) {
    if (s == nullptr) {
      out->clear();
      return true;
    }
    if (s->size() > Limits::kStringBytes) {
      return fail(std::string(what) + " is " + std::to_string(s->size()) + " bytes, over the limit of " +
                  std::to_string(Limits::kStringBytes));
    }
    out->assign(s->c_str(), s->size());
    return true;
  }
  bool count(size_t n, size_t limit, const char* what) {
    if (n <= limit) return true;
    return fail(std::string("too many ") + what + ": " + std::to_string(n) + " (limit " + std::to_string(limit) + ")");
  }
  bool range(int value, int low, int high, const char* what) {
    if (value >= low && value <= high) return true;
    return fail(std::string(what) + " " + std::to_string(value) + " is outside [" + std::to_string(low) + ", " +
                std::to_string(high) + "]");
  }

  bool backend(wire::Backend b, std::string* out) {
    switch (b) {
      case wire::Backend::Auto: *out = "auto"; return true;
      case wire::Backend::Reference: *out = "reference"; return true;
      case wire::Backend::Xnnpack: *out = "xnnpack"; return true;
      case wire::Backend::Onednn: *out = "onednn"; return true;
    }
    return fail("unknown backend " + std::to_string(static_cast<int>(b)));
  }
  bool settings(const wire::Settings* s, Settings* out) {
    *out = Settings{};
    if (s == nullptr) return true;
    out->threads = s->threads();
    return backend(s->backend(), &out->backend) && range(out->threads, 0, Limits::kThreads, "threads");
  }
  bool model(const wire::Model* m, std::vector<uint8_t>* out) {
    if (m == nullptr || m->bspk() == nullptr || m->bspk()->size() == 0) return fail("a model has no bytes");
    if (m->bspk()->size() > Limits::kModelBytes) {
      return fail("a model of " + std::to_string(m->bspk()->size()) + " bytes is over the limit of " +
                  std::to_string(Limits::kModelBytes));
    }
    out->assign(m->bspk()->begin(), m->bspk()->end());
    return true;
  }
  bool tensor(const wire::Tensor* t, Tensor* out) {
    if (t == nullptr) return fail("a tensor is missing");
    if (!string(t->name(), "a tensor name", &out->name)) return false;
    const auto* dims = t->dims();
    const size_t rank = dims == nullptr ? 0 : dims->size();
    if (!count(rank, Limits::kRank, "dimensions")) return false;
    copy_scalars(dims, &out->dims);
    uint64_t elements = 1;
    for (const int64_t dim : out->dims) {
      if (dim < 0 || static_cast<uint64_t>(dim) > Limits::kTensorElements) {
        return fail("tensor '" + out->name + "' has dimension " + std::to_string(dim));
      }
      elements *= static_cast<uint64_t>(dim);  // each factor <= 2^26 and the product is checked: no overflow
      if (elements > Limits::kTensorElements) return fail("tensor '" + out->name + "' is over the element limit");
    }
    const size_t values = t->data() == nullptr ? 0 : t->data()->size();
    if (values != elements) {
      return fail("tensor '" + out->name + "' has " + std::to_string(values) + " values for " +
                  std::to_string(elements) + " elements");
    }
    copy_scalars(t->data(), &out->data);
    return true;
  }
  bool tensors(const fb::Vector<fb::Offset<wire::Tensor>>* list, std::vector<Tensor>* out) {
    const size_t n = list == nullptr ? 0 : list->size();
    if (!count(n, Limits::kTensors, "tensors")) return false;
    out->resize(n);
    for (size_t i = 0; i < n; ++i) {
      if (!tensor(list->Get(static_cast<fb::uoffset_t>(i)), &(*out)[i])) return false;
    }
    return true;
  }
  bool backends(const fb::Vector<fb::Offset<wire::BackendUse>>* list, std::vector<BackendUse>* out) {
    const size_t n = list == nullptr ? 0 : list->size();
    if (!count(n, 16, "backends")) return false;
    out->resize(n);
    for (size_t i = 0; i < n; ++i) {
      const wire::BackendUse* use = list->Get(static_cast<fb::uoffset_t>(i));
      if (use == nullptr) return fail("a backend entry is missing");
      (*out)[i].operators = use->operators();
      if (!string(use->backend(), "a backend name", &(*out)[i].backend)) return false;
    }
    return true;
  }

  bool measure_request(const wire::MeasureRequest* m, MeasureRequest* out) {
    const auto* models = m->models();
    const size_t n = models == nullptr ? 0 : models->size();
    if (n == 0) return fail("a measure request has no model");
    if (!count(n, Limits::kModels, "models")) return false;
    out->models.resize(n);
    for (size_t i = 0; i < n; ++i) {
      if (!model(models->Get(static_cast<fb::uoffset_t>(i)), &out->models[i])) return false;
    }
    out->warmup = m->warmup();
    out->runs = m->runs();
    out->rounds = m->rounds();
    out->profile_blocks = m->profile_blocks();
    out->seed = m->seed();
    out->profile_operators = m->profile_operators();
    return settings(m->settings(), &out->settings) && range(out->warmup, 0, Limits::kWarmup, "warmup") &&
           range(out->runs, 1, Limits::kRuns, "runs") && range(out->rounds, 1, Limits::kRounds, "rounds");
  }
  bool run_request(const wire::RunRequest* r, RunRequest* out) {
    return model(r->model(), &out->model) && settings(r->settings(), &out->settings) &&
           tensors(r->inputs(), &out->inputs);
  }

  bool device(const wire::Device* d, Device* out) {
    out->protocol_version = d->protocol_version();
    out->cores = d->cores();
    out->runtime_version = d->runtime_version();
    out->api_version = d->api_version();
    return string(d->cpu(), "the cpu name", &out->cpu) && string(d->isa(), "the isa", &out->isa) &&
           string(d->available_backends(), "the backend list", &out->available_backends);
  }
  bool measurement(const wire::ModelMeasurement* m, ModelMeasurement* out) {
    if (m == nullptr) return fail("a measurement is missing");
    out->arena_bytes = m->arena_bytes();
    out->weights_bytes = m->weights_bytes();
    const size_t rounds = m->rounds() == nullptr ? 0 : m->rounds()->size();
    if (!count(rounds, static_cast<size_t>(Limits::kRounds), "rounds")) return false;
    out->rounds.resize(rounds);
    for (size_t r = 0; r < rounds; ++r) {
      const wire::Round* round = m->rounds()->Get(static_cast<fb::uoffset_t>(r));
      if (round == nullptr) return fail("a round is missing");
      out->rounds[r] = Round{round->median_ms(), round->p90_ms(), round->min_ms()};
    }
    return profile(m->blocks(), "blocks", &out->blocks) && profile(m->operators(), "operators", &out->operators) &&
           backends(m->backends(), &out->backends);
  }
  bool profile(const fb::Vector<fb::Offset<wire::ProfileTime>>* list, const char* what, std::vector<ProfileTime>* out) {
    const size_t n = list == nullptr ? 0 : list->size();
    if (!count(n, Limits::kProfileEntries, what)) return false;
    out->resize(n);
    for (size_t i = 0; i < n; ++i) {
      const wire::ProfileTime* entry = list->Get(static_cast<fb::uoffset_t>(i));
      if (entry == nullptr) return fail("a profile entry is missing");
      ProfileTime& time = (*out)[i];
      time.id = entry->id();
      const size_t medians = entry->median_ms() == nullptr ? 0 : entry->median_ms()->size();
      if (!count(medians, static_cast<size_t>(Limits::kRounds), "profile medians")) return false;
      copy_scalars(entry->median_ms(), &time.median_ms);
      if (!string(entry->name(), "a profile name", &time.name) ||
          !string(entry->kind(), "a profile kind", &time.kind) ||
          !string(entry->backend(), "a profile backend", &time.backend)) {
        return false;
      }
    }
    return true;
  }
  bool measure_reply(const wire::MeasureReply* m, MeasureReply* out) {
    const size_t n = m->models() == nullptr ? 0 : m->models()->size();
    if (!count(n, Limits::kModels, "measurements")) return false;
    out->models.resize(n);
    for (size_t i = 0; i < n; ++i) {
      if (!measurement(m->models()->Get(static_cast<fb::uoffset_t>(i)), &out->models[i])) return false;
    }
    return true;
  }
};

// Verifies the FlatBuffer and returns its root, or nullptr and an error.
// The verifier checks alignment relative to the buffer's start, so the start
// must be 8-byte aligned (else the bytes are copied to `aligned`).
const wire::Frame* verified_frame(const uint8_t* data, size_t size, std::vector<uint64_t>* aligned, Checker* check) {
  if (data != nullptr && reinterpret_cast<uintptr_t>(data) % alignof(uint64_t) != 0) {
    aligned->resize((size + sizeof(uint64_t) - 1) / sizeof(uint64_t));
    std::memcpy(aligned->data(), data, size);
    data = reinterpret_cast<const uint8_t*>(aligned->data());
  }
  if (data == nullptr || size == 0) {
    check->fail("empty message");
    return nullptr;
  }
  if (size > Limits::kFrameBytes) {
    check->fail("message of " + std::to_string(size) + " bytes is over the limit");
    return nullptr;
  }
  fb::Verifier verifier(data, size, /*max_depth=*/16, /*max_tables=*/1u << 20);
  if (!wire::VerifyFrameBuffer(verifier)) {
    check->fail("malformed message (" + std::to_string(size) + " bytes fail FlatBuffers verification)");
    return nullptr;
  }
  return wire::GetFrame(data);
}

// Decodes one union member into its plain value and, if that succeeds,
// stores it in *into (left untouched on failure).
template <typename Plain, typename Wire, typename Variant, typename Decode>
bool store(const Wire* in, Variant* into, Decode decode) {
  Plain out;
  if (!decode(in, &out)) return false;
  *into = std::move(out);
  return true;
}

// ---- encoding ----

fb::Offset<wire::Settings> put_settings(fb::FlatBufferBuilder& b, const Settings& s) {
  wire::Backend backend = wire::Backend::Auto;
  if (s.backend == "reference") backend = wire::Backend::Reference;
  if (s.backend == "xnnpack") backend = wire::Backend::Xnnpack;
  if (s.backend == "onednn") backend = wire::Backend::Onednn;
  return wire::CreateSettings(b, backend, s.threads);
}

fb::Offset<wire::Model> put_model(fb::FlatBufferBuilder& b, const std::vector<uint8_t>& bytes) {
  return wire::CreateModel(b, b.CreateVector(bytes));
}

fb::Offset<fb::Vector<fb::Offset<wire::Tensor>>> put_tensors(fb::FlatBufferBuilder& b, const std::vector<Tensor>& ts) {
  std::vector<fb::Offset<wire::Tensor>> list;
  for (const Tensor& t : ts) {
    list.push_back(wire::CreateTensor(b, b.CreateString(t.name), b.CreateVector(t.dims), b.CreateVector(t.data)));
  }
  return b.CreateVector(list);
}

fb::Offset<fb::Vector<fb::Offset<wire::BackendUse>>> put_backends(fb::FlatBufferBuilder& b,
                                                                  const std::vector<BackendUse>& uses) {
  std::vector<fb::Offset<wire::BackendUse>> list;
  for (const BackendUse& u : uses) list.push_back(wire::CreateBackendUse(b, b.CreateString(u.backend), u.operators));
  return b.CreateVector(list);
}

fb::Offset<fb::Vector<fb::Offset<wire::ProfileTime>>> put_profile(fb::FlatBufferBuilder& b,
                                                                  const std::vector<ProfileTime>& entries) {
  std::vector<fb::Offset<wire::ProfileTime>> list;
  for (const ProfileTime& t : entries) {
    list.push_back(wire::CreateProfileTime(b, t.id, b.CreateString(t.name), b.CreateString(t.kind),
                                           b.CreateString(t.backend), b.CreateVector(t.median_ms)));
  }
  return b.CreateVector(list);
}

fb::Offset<wire::ModelMeasurement> put_measurement(fb::FlatBufferBuilder& b, const ModelMeasurement& m) {
  std::vector<fb::Offset<wire::Round>> round_list;
  for (const Round& r : m.rounds) round_list.push_back(wire::CreateRound(b, r.median_ms, r.p90_ms, r.min_ms));
  return wire::CreateModelMeasurement(b, b.CreateVector(round_list), put_profile(b, m.blocks), m.arena_bytes,
                                      m.weights_bytes, put_backends(b, m.backends), put_profile(b, m.operators));
}

std::vector<uint8_t> finish(fb::FlatBufferBuilder& b, fb::Offset<wire::Frame> frame) {
  wire::FinishFrameBuffer(b, frame);
  return std::vector<uint8_t>(b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize());
}

}  // namespace

void put_u32(uint32_t value, uint8_t* out) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<uint8_t>(value >> (8 * i));
}

uint32_t get_u32(const uint8_t* in) {
  return static_cast<uint32_t>(in[0]) | static_cast<uint32_t>(in[1]) << 8 | static_cast<uint32_t>(in[2]) << 16 |
         static_cast<uint32_t>(in[3]) << 24;
}

bool decode_hello_header(const uint8_t* data, size_t size, HelloHeader* header, std::string* error) {
  Checker check{error};
  if (data == nullptr || size != kHelloHeaderBytes || std::memcmp(data, kMagic, sizeof kMagic) != 0) {
    return check.fail("not a bespoke-agent hello");
  }
  header->version = get_u32(data + 4);
  header->token_bytes = get_u32(data + 8);
  if (header->token_bytes == 0 || header->token_bytes > Limits::kTokenBytes) {
    return check.fail("token length " + std::to_string(header->token_bytes) + " is outside [1, " +
                      std::to_string(Limits::kTokenBytes) + "]");
  }
  return true;
}

std::vector<uint8_t> encode_hello(uint32_t version, const std::string& token) {
  std::vector<uint8_t> bytes(kHelloHeaderBytes + token.size());
  std::memcpy(bytes.data(), kMagic, sizeof kMagic);
  put_u32(version, bytes.data() + 4);
  put_u32(static_cast<uint32_t>(token.size()), bytes.data() + 8);
  std::memcpy(bytes.data() + kHelloHeaderBytes, token.data(), token.size());
  return bytes;
}

bool tokens_equal(const std::string& expected, const std::string& given) {
  // Every byte of `given` is compared (against `expected` cycled), whatever
  // matches first: the time depends on the lengths only.
  unsigned diff = expected.size() == given.size() ? 0u : 1u;
  if (expected.empty()) return false;
  for (size_t i = 0; i < given.size(); ++i) {
    diff |= static_cast<unsigned>(static_cast<uint8_t>(given[i]) ^ static_cast<uint8_t>(expected[i % expected.size()]));
  }
  return diff == 0 && !given.empty();
}

std::vector<uint8_t> encode_request(const Request& request) {
  fb::FlatBufferBuilder b(1024);
  if (const auto* m = std::get_if<MeasureRequest>(&request)) {
    std::vector<fb::Offset<wire::Model>> models;
    for (const auto& bytes : m->models) models.push_back(put_model(b, bytes));
    const auto body = wire::CreateMeasureRequest(b, b.CreateVector(models), put_settings(b, m->settings), m->warmup,
                                                 m->runs, m->rounds, m->profile_blocks, m->seed, m->profile_operators);
    return finish(b, wire::CreateFrame(b, wire::Request::MeasureRequest, body.Union()));
  }
  const auto& r = std::get<RunRequest>(request);
  const auto body =
      wire::CreateRunRequest(b, put_model(b, r.model), put_settings(b, r.settings), put_tensors(b, r.inputs));
  return finish(b, wire::CreateFrame(b, wire::Request::RunRequest, body.Union()));
}

std::vector<uint8_t> encode_reply(const Reply& reply) {
  fb::FlatBufferBuilder b(1024);
  fb::Offset<void> body;
  wire::Reply type = wire::Reply::NONE;
  if (const auto* d = std::get_if<Device>(&reply)) {
    type = wire::Reply::Device;
    body = wire::CreateDevice(b, d->protocol_version, b.CreateString(d->cpu), d->cores, b.CreateString(d->isa),
                              d->runtime_version, d->api_version, b.CreateString(d->available_backends))
               .Union();
  } else if (const auto* m = std::get_if<MeasureReply>(&reply)) {
    type = wire::Reply::MeasureReply;
    std::vector<fb::Offset<wire::ModelMeasurement>> list;
    for (const ModelMeasurement& measurement : m->models) list.push_back(put_measurement(b, measurement));
    body = wire::CreateMeasureReply(b, b.CreateVector(list)).Union();
  } else if (const auto* r = std::get_if<RunReply>(&reply)) {
    type = wire::Reply::RunReply;
    body = wire::CreateRunReply(b, put_tensors(b, r->outputs), put_backends(b, r->backends)).Union();
  } else {
    const auto& e = std::get<ErrorReply>(reply);
    type = wire::Reply::ErrorReply;
    body = wire::CreateErrorReply(b, e.status, b.CreateString(e.message)).Union();
  }
  return finish(b, wire::CreateFrame(b, wire::Request::NONE, 0, type, body));
}

bool decode_request(const uint8_t* data, size_t size, Request* request, std::string* error) {
  Checker check{error};
  std::vector<uint64_t> aligned;
  const wire::Frame* frame = verified_frame(data, size, &aligned, &check);
  if (frame == nullptr) return false;
  if (frame->reply_type() != wire::Reply::NONE) return check.fail("a reply was sent to the agent");
  if (const auto* m = frame->request_as_MeasureRequest()) {
    return store<MeasureRequest>(m, request, [&](auto* in, auto* out) { return check.measure_request(in, out); });
  }
  if (const auto* r = frame->request_as_RunRequest()) {
    return store<RunRequest>(r, request, [&](auto* in, auto* out) { return check.run_request(in, out); });
  }
  return check.fail("the message holds no request");
}

bool decode_reply(const uint8_t* data, size_t size, Reply* reply, std::string* error) {
  Checker check{error};
  std::vector<uint64_t> aligned;
  const wire::Frame* frame = verified_frame(data, size, &aligned, &check);
  if (frame == nullptr) return false;
  if (frame->request_type() != wire::Request::NONE) return check.fail("a request was sent to the client");
  if (const auto* d = frame->reply_as_Device()) {
    return store<Device>(d, reply, [&](auto* in, auto* out) { return check.device(in, out); });
  }
  if (const auto* m = frame->reply_as_MeasureReply()) {
    return store<MeasureReply>(m, reply, [&](auto* in, auto* out) { return check.measure_reply(in, out); });
  }
  if (const auto* r = frame->reply_as_RunReply()) {
    return store<RunReply>(r, reply, [&](auto* in, auto* out) {
      return check.tensors(in->outputs(), &out->outputs) && check.backends(in->backends(), &out->backends);
    });
  }
  if (const auto* e = frame->reply_as_ErrorReply()) {
    return store<ErrorReply>(e, reply, [&](auto* in, auto* out) {
      out->status = in->status();
      return check.string(in->message(), "an error message", &out->message);
    });
  }
  return check.fail("the message holds no reply");
}

}  // namespace bespoke::agent
