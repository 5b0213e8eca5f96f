// LoadedModel: memory-mapped files (weights used in place), caller memory
// borrowed or copied (always copied when misaligned), metadata, I/O errors.
#include <doctest/doctest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>

#include "core/model_loader.h"
#include "runtime/test_models.h"

namespace bespoke::test {
namespace {

using rt::LoadedModel;

std::vector<uint8_t> model_with_metadata() {
  flatbuffers::FlatBufferBuilder f;
  std::vector<int32_t> shape{2};
  std::vector<flatbuffers::Offset<fb::Tensor>> tensors{fb::CreateTensorDirect(f, "x", &shape),
                                                       fb::CreateTensorDirect(f, "y", &shape)};
  std::vector<flatbuffers::Offset<fb::Buffer>> buffers{fb::CreateBuffer(f)};
  std::vector<int32_t> in{0}, out{1};
  std::vector<flatbuffers::Offset<fb::Operator>> ops{
      fb::CreateOperatorDirect(f, fb::OpCode::SIGMOID, fb::OperatorOptions::NONE, 0, &in, &out)};
  std::vector<flatbuffers::Offset<fb::KeyValue>> metadata{fb::CreateKeyValueDirect(f, "task", "classification"),
                                                          fb::CreateKeyValueDirect(f, "no-value", nullptr)};
  const auto m = fb::CreateModelDirect(f, 1, 100, "t", "0", "meta", &metadata, &tensors, &buffers, &ops, &in, &out);
  fb::FinishModelBuffer(f, m);
  return std::vector<uint8_t>(f.GetBufferPointer(), f.GetBufferPointer() + f.GetSize());
}

TEST_CASE("loader: files are memory-mapped and weights used in place") {
  const auto bytes = small_cnn_model(2);
  const auto path = std::filesystem::temp_directory_path() / ("bsp_loader_" + std::to_string(::getpid()) + ".bspk");
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  std::unique_ptr<LoadedModel> model;
  const rt::Status s = LoadedModel::from_file(path.c_str(), &model);
  REQUIRE_MESSAGE(s.ok(), s.message());
  CHECK(model->storage() == LoadedModel::Storage::kMapped);
  CHECK(model->size() == bytes.size());
  const rt::TensorInfo& w = model->view().tensor(model->view().op(0).inputs[1]);
  CHECK(static_cast<const unsigned char*>(w.constant) >= model->data());
  CHECK(static_cast<const unsigned char*>(w.constant) < model->data() + model->size());
  CHECK(reinterpret_cast<uintptr_t>(w.constant) % 64 == 0);
  std::filesystem::remove(path);

  std::ofstream(path, std::ios::binary).close();  // empty file
  CHECK(LoadedModel::from_file(path.c_str(), &model).message().find("too small") != std::string::npos);
  std::filesystem::remove(path);
  CHECK(LoadedModel::from_file(path.c_str(), &model).code() == rt::StatusCode::kIoError);
}

TEST_CASE("loader: caller memory is borrowed when aligned, else copied") {
  const std::vector<uint8_t> bytes = small_cnn_model(1);
  const AlignedBytes aligned(bytes);
  std::unique_ptr<LoadedModel> model;
  REQUIRE(LoadedModel::from_memory(aligned.data(), aligned.size(), false, &model).ok());
  CHECK(model->storage() == LoadedModel::Storage::kBorrowed);
  CHECK(model->data() == aligned.data());
  REQUIRE(LoadedModel::from_memory(aligned.data(), aligned.size(), true, &model).ok());
  CHECK(model->storage() == LoadedModel::Storage::kOwnedCopy);
  CHECK(model->data() != aligned.data());

  std::vector<uint8_t> shifted(8, 0);
  shifted.insert(shifted.end(), bytes.begin(), bytes.end());
  const uint8_t* start = shifted.data() + 8;
  if (reinterpret_cast<uintptr_t>(start) % 64 == 0) start = nullptr;  // (never for malloc'd + 8)
  if (start != nullptr) {
    REQUIRE(LoadedModel::from_memory(start, aligned.size(), false, &model).ok());
    CHECK(model->storage() == LoadedModel::Storage::kOwnedCopy);
    CHECK(reinterpret_cast<uintptr_t>(model->data()) % 64 == 0);
  }
}

TEST_CASE("loader: metadata lookup") {
  const auto bytes = model_with_metadata();
  std::unique_ptr<LoadedModel> model;
  REQUIRE(LoadedModel::from_memory(bytes.data(), bytes.size(), true, &model).ok());
  CHECK(std::string(model->metadata("task")) == "classification");
  CHECK(model->metadata("no-value") == nullptr);
  CHECK(model->metadata("absent") == nullptr);
  CHECK(model->metadata(nullptr) == nullptr);
}

}  // namespace
}  // namespace bespoke::test
