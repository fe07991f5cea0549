// The sparse-autoencoder lab as a Session (kind "sae"; docs/wasm-api.md): several SAEs trained
// side by side on the same batches, one "run" per architecture and sparsity setting, with the
// metrics of sae_metrics on a fixed held-out batch.
// Config: SaeSessionConfig below (SaeConfig's keys but arch and npy_path, and the session's own).
// With data = "npy" the .npy file's bytes come beside the config (configure_with_file).
// Runs are ordered arch by arch, then by sweep value (configure() returns them as "runs").
// Interop (issue 7): export_saelens(run) writes run r as a SAELens folder's two files;
// import_saelens replaces the runs with the file's SAE, measured on the configured data and not
// trained (its run is complete at its step: step() trains nothing; the config reports it under
// "loaded") until the next configure.
// The native front end (`superpose sae`) drives this session too, one session per run or sweep
// point: configure_with_data hands it the data source the CLI built (a .npy read by its path,
// one source for a sweep's runs), import_saelens(file) the SAELens folder it read.
#pragma once
#include <memory>
#include <vector>

#include "sae/sae_data.hpp"
#include "sae/sae_metrics.hpp"
#include "sae/sae_trainer.hpp"
#include "sae/saelens_sae.hpp"
#include "session/session.hpp"

namespace superpose {

// What the session's configure reads: SaeConfig's keys but arch and npy_path (archs, and with data
// npy the file's bytes beside the config, stand in for them), and the session's own.
struct SaeSessionConfig {
  SaeConfig base;
  std::vector<std::string> archs{"relu"};  // trained side by side
  std::vector<double> sweep_l1, sweep_k;   // one run per value; empty: just l1, just k
  int eval_batch = 1024;                   // held-out samples for the metrics
  int view_parent = 0;                     // the hierarchy view's parent feature (a view key)

  template <class C, class V> static void fields(C& c, V& v) {
    v(c.archs, Field("archs", "architectures trained side by side, 1 to 6").one_of(kSaeArchNames));
    v(c.sweep_l1, Field("sweep_l1", "λ per run of relu, gated, jumprelu (empty: just l1)").range(0, 100));
    v(c.sweep_k, Field("sweep_k", "k per run of topk, batchtopk (empty: just k; 16 runs in all at most)")
                     .range_to(1, "n_latents", c.base.n_latents));
    auto base_fields = skip_fields(v, {"arch", "npy_path"});
    SaeConfig::fields(c.base, base_fields);
    v(c.eval_batch, Field("eval_batch", "held-out samples for the metrics").range(16, 65536));
    v(c.view_parent, Field("view_parent", "the hierarchy view's parent feature (data hierarchical; "
                                          "changing only it keeps the runs)")
                         .range_to(0, "true_features", c.base.true_features, Bounds::open_max));
  }
};

class SaeSession : public Session {
 public:
  static constexpr int kMaxRuns = 16;
  static constexpr int kMaxShownFeatures = 64;  // true features in the matched-decoder grid
  static constexpr int kMaxWdecFloats = 4096;   // W_dec is a buffer only when small (2-D plots)
  static const char* const kMetricNames[8];
  static const char* const kTruthMetricNames[7];  // the columns of truth_metrics
  static constexpr int kMaxHierarchySamples = 48;  // held-out samples in the hierarchy view

  Json configure(const Json& config) override;  // any data but npy
  Json configure_with_file(const Json& config, const std::vector<uint8_t>& npy) override;
  // configure on a data source built by the caller from the same config keys (make_sae_data, or
  // its .npy read by path; natively); its training stream restarts from its seed here.
  Json configure_with_data(const Json& config, std::shared_ptr<SaeData> data);
  Json reset() override;
  RunProgress progress() const override;
  Json schema_fields() const override { return fields_schema<SaeSessionConfig>(); }
  int n_runs() const { return static_cast<int>(runs_.size()); }
  const SaeTrainer& run(int r) const { return *runs_[r]; }
  const SaeMetrics& metrics(int r);  // on the held-out batch (cached until the next step)
  const SaeData& data() const { require_configured(); return *data_; }
  SaeLensFiles export_saelens(int run) override;
  Json import_saelens(const std::string& cfg_json, const std::vector<uint8_t>& weights) override;
  Json import_saelens(const SaeLensSae& file);  // a file already read (natively: a folder)
  bool loaded() const { return !loaded_.is_null(); }

 protected:
  Json train(int64_t k) override;
  void refresh_buffers(std::map<std::string, Buffer>& buffers) override;

 private:
  SaeConfig base_;
  std::vector<std::string> archs_;
  std::vector<double> sweep_l1_, sweep_k_;
  int eval_batch_ = 1024;
  std::shared_ptr<SaeData> data_;
  std::vector<std::unique_ptr<SaeTrainer>> runs_;
  std::vector<SaeMetrics> metrics_;
  std::vector<bool> metrics_fresh_;
  Mat eval_, batch_;
  TrueFiring eval_firing_;            // the held-out batch's true firing (empty: no truth)
  Json fingerprint_;                  // the config but its view keys: equal means keep the runs
  int view_parent_ = 0;
  std::vector<int> view_samples_;     // held-out samples where view_parent_ is present
  void choose_view_samples();
  void refresh_hierarchy_buffers(std::map<std::string, Buffer>& buffers);
  Json loaded_;                       // the imported file's {architecture, d_in, d_sae, k}, or null
  std::vector<float> loaded_params_;  // its parameters (reset() puts them back)
  Json config_json() const;
  void require_configured() const;
  // configure_with_file's and configure_with_data's work: the data from the npy bytes, given, or
  // made from the config.
  Json configure_from(const Json& config, const std::vector<uint8_t>& npy, std::shared_ptr<SaeData> given);
};

}  // namespace superpose
