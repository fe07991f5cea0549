// The trained toy model the interpretability tests share (test_interp.cpp with the perfect SAE,
// test_interp_sae.cpp with trained ones): n=5 features in m=2 dims, sparse (p = 0.03), the
// pentagon. Several instances train; the one with the lowest evaluation loss (all five features
// represented) is used. Trained once per test binary, on first use.
#pragma once
#include "interp/split_model.hpp"
#include "toy/toy_config.hpp"

namespace superpose::test {

struct Pentagon {
  ToyConfig config;
  SplitToyModel model;
  int instance = 0;
};

const Pentagon& pentagon();

}  // namespace superpose::test
