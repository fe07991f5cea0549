// The shared trained pentagon of pentagon_fixture.hpp (no test cases here).
#include "pentagon_fixture.hpp"

#include <algorithm>
#include <vector>

#include "toy/toy_model.hpp"

namespace superpose::test {

const Pentagon& pentagon() {
  static const Pentagon t = [] {
    Pentagon t;
    ToyConfig& c = t.config;
    c.n_features = 5;
    c.n_hidden = 2;
    c.n_instances = 4;
    c.feature_probability = {0.03};
    c.steps = 3000;
    c.lr = 1e-2;
    c.batch_size = 512;
    c.seed = 0;
    ToyModel model(c);
    model.train(c.steps);
    const std::vector<float> loss = model.evaluate(4096);
    t.instance = static_cast<int>(std::min_element(loss.begin(), loss.end()) - loss.begin());
    t.model = SplitToyModel::from(model, t.instance);
    return t;
  }();
  return t;
}

}  // namespace superpose::test
