// SGD against updates computed by hand from PyTorch's documented rule
// (torch.optim.SGD: d = g + wd * p; buf = m * buf + d; nesterov: d += m * buf,
// else d = buf; p -= lr * d), and its state round trip.
// LibTorch before doctest: glog (through c10) defines CHECK too, doctest must win.
#include <ATen/ATen.h>
#include <doctest/doctest.h>

#include <filesystem>

#include "train/sgd.h"

using namespace bespoke;

TEST_SUITE("train") {
  TEST_CASE("sgd: momentum, Nesterov and weight decay on weights only") {
    at::Tensor w = at::ones({1, 1}).set_requires_grad(true);  // rank 2: decayed
    at::Tensor b = at::ones({1}).set_requires_grad(true);     // rank 1: not decayed
    train::Sgd sgd({{"w", w}, {"b", b}}, {0.9, true, 0.1});
    for (int step = 0; step < 2; ++step) {
      sgd.zero_grad();
      (w.sum() * 0.5 + b.sum() * 0.5).backward();
      sgd.step(0.1);
    }
    // w: d1 = 0.5 + 0.1 = 0.6, buf 0.6, step 0.6 + 0.54 = 1.14 -> 0.886;
    //    d2 = 0.5 + 0.0886 = 0.5886, buf 0.54 + 0.5886 = 1.1286, step 0.5886 + 1.01574 = 1.60434 -> 0.725566
    CHECK(w.item<double>() == doctest::Approx(0.725566).epsilon(1e-6));
    // b: d = 0.5, buf 0.5, step 0.95 -> 0.905; buf 0.95, step 0.5 + 0.855 = 1.355 -> 0.7695
    CHECK(b.item<double>() == doctest::Approx(0.7695).epsilon(1e-6));
  }

  TEST_CASE("sgd: state saves and loads; a mismatching state is refused") {
    const auto dir = std::filesystem::temp_directory_path() / "bespoke-sgd-state";
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "sgd.pt").string();
    at::Tensor w = at::ones({2, 2}).set_requires_grad(true);
    train::Sgd sgd({{"w", w}}, {0.9, false, 0.0});
    w.sum().backward();
    sgd.step(0.1);
    sgd.save(path);
    // A fresh optimizer with the loaded state continues exactly like the original.
    at::Tensor w2 = w.detach().clone().set_requires_grad(true);
    train::Sgd restored({{"w", w2}}, {0.9, false, 0.0});
    restored.load(path);
    sgd.zero_grad();
    w.sum().backward();
    sgd.step(0.1);
    w2.sum().backward();
    restored.step(0.1);
    CHECK(at::equal(w, w2));
    at::Tensor other = at::ones({3}).set_requires_grad(true);
    train::Sgd wrong({{"w", other}}, {0.9, false, 0.0});
    CHECK_THROWS_WITH_AS(wrong.load(path), doctest::Contains("another shape"), std::runtime_error);
    std::filesystem::remove_all(dir);
  }

}  // TEST_SUITE
