// The feature-suppression experiment as a Session (kind "suppression"; docs/wasm-api.md): the
// plain L1 encoder and its two fixes (scale vector, gated encoder) trained side by side on the
// same data settings, plus an optional sweep of plain L1 runs over c whose trained activations
// land on the analytic curve a(c) for one feature (for several, below the monosemantic curve
// 1 − c·n/2, which is not their optimum: analytic.hpp; the exact expected losses show it). Config: the keys of SuppressionConfig except `fix` (all three
// are trained), plus `sweep`: a list of c values (default none, at most 32).
// Runs are numbered none, scale, gated, then the sweep's points in order. The session's own key
// trained_runs [first, end) (a worker pool's share, web/lib/shards.js; not a schema field) trains
// only those runs: each run has its own seeded streams (suppression_run.cpp), so a share's runs end
// bitwise as in the whole session; the buffers keep their shapes and hold NaN for the values of the
// runs the share does not train.
#pragma once
#include <memory>
#include <vector>

#include "session/session.hpp"
#include "suppression/suppression_run.hpp"

namespace superpose {

// What the session's configure reads: SuppressionConfig's keys but fix (the three fixes train
// side by side), and the sweep.
struct SuppressionSessionConfig {
  SuppressionConfig base;
  std::vector<double> sweep;  // at most SuppressionSession::kMaxSweep values
  template <class C, class V> static void fields(C& c, V& v) {
    auto base_fields = skip_fields(v, {"fix"});
    SuppressionConfig::fields(c.base, base_fields);
    v(c.sweep, Field("sweep", "extra runs without a fix, one per c (at most 32)").range(0, 10));
  }
};

class SuppressionSession : public Session {
 public:
  static constexpr int kCurvePoints = 51;     // transfer curves, t ∈ [0, 1]
  static constexpr int kAnalyticPoints = 101; // the analytic curve a(c)
  static constexpr int kMaxSweep = 32;

  Json configure(const Json& config) override;
  Json reset() override;
  RunProgress progress() const override;
  Json schema_fields() const override { return fields_schema<SuppressionSessionConfig>(); }
  // none, scale, gated (in that order); null before configure.
  const SuppressionRun* run(int fix) const { return runs_.empty() ? nullptr : runs_[fix].get(); }
  const std::vector<std::unique_ptr<SuppressionRun>>& sweep_runs() const { return sweep_; }

 protected:
  Json train(int64_t k) override;
  void refresh_buffers(std::map<std::string, Buffer>& buffers) override;

 private:
  SuppressionConfig config_;
  std::vector<double> sweep_values_;
  std::vector<std::unique_ptr<SuppressionRun>> runs_, sweep_;
  int train_first_ = 0, train_end_ = 0;  // trained_runs [first, end) over 3 + sweep runs
  bool is_trained(int run) const { return run >= train_first_ && run < train_end_; }
  SuppressionRun& nth_run(int i) { return i < 3 ? *runs_[i] : *sweep_[i - 3]; }  // none, scale, gated, sweep…
  const SuppressionRun& nth_run(int i) const { return i < 3 ? *runs_[i] : *sweep_[i - 3]; }
  Json config_json() const;
  void require_configured() const;
};

}  // namespace superpose
