#include "sae/sae_data.hpp"

#include "core/check.hpp"
#include "io/npy.hpp"
#include "sae/npy_activations.hpp"
#include "sae/synthetic_data.hpp"
#include "sae/toy_activations.hpp"

namespace superpose {

std::unique_ptr<SaeData> make_sae_data(const SaeConfig& config) {
  config.validate();
  switch (config.data_kind()) {
    case SaeDataKind::synthetic: return std::make_unique<SyntheticData>(config);
    case SaeDataKind::toy: return std::make_unique<ToyActivations>(config);
    case SaeDataKind::npy:
      return std::make_unique<NpyActivations>(npy_activations(read_npy_file(config.npy_path)),
                                              static_cast<uint64_t>(config.seed));
  }
  fail_config("unknown data source");
}

}  // namespace superpose
