// Divergence recovery, shared by every trainer that keeps its last finite state (toy, suppression,
// grokking, the language model): the message a diverged run stops with, and a snapshot of the parameters and the Adam
// state before one step, so a step that makes the model non-finite can be undone.
// What it is not: the checks themselves (each model knows what can overflow: its loss, gradient,
// parameters, or a readout such as the gated encoder's exp(r_mag)) nor the Diverged type
// (core/check.hpp).
// docs/reliability.md "Divergence" says what every kind keeps.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/optim.hpp"

namespace superpose {

// "training diverged at step N: WHAT is not finite; try a smaller learning rate (lr=X)";
// `unit` names what a step is where it has its own name ("epoch": "step N (epoch N)").
std::string diverged_message(int64_t step, const std::string& what, double lr,
                             const char* unit = nullptr);

// The state before the latest step: parameters, Adam's moments and its step count. save()
// copies into buffers sized once (no allocation after the first step).
class StepSnapshot {
 public:
  void save(const std::vector<float>& params, const Adam& adam) {
    params_ = params;
    m_ = adam.m();
    v_ = adam.v();
    t_ = adam.steps_taken();
  }
  bool empty() const { return t_ < 0; }
  // Adam's step count when saved: the undone step is number step() + 1.
  int64_t step() const { return t_; }
  // Puts the saved state back and forgets it (a second call does nothing).
  void restore(std::vector<float>& params, Adam& adam) {
    if (empty()) return;
    params = params_;
    adam.restore(m_, v_, t_);
    t_ = -1;
  }
  void clear() { t_ = -1; }

 private:
  std::vector<float> params_, m_, v_;
  int64_t t_ = -1;
};

}  // namespace superpose
