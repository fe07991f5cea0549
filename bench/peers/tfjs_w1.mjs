// Peer benchmark (not a test): W1 toy-20x5 in TensorFlow.js, wasm backend, one thread, node.
// The workload of bench/bench_toy.cpp: ReLU-output toy model (Elhage et al. 2022), n=20, m=5,
// 7 instances with feature probability {1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001}, importance
// 0.7^i, batch 1024, AdamW lr 1e-3 with weight decay 0.01 (TF.js has no AdamW: Adam plus the
// decoupled decay W ← W·(1 − lr·wd) after each step), Xavier-normal W, zero b. Loss: per
// instance the importance-weighted squared error summed over features, mean over the batch;
// the objective sums the instances. Instances are the batch dimension of matMul.
//   node bench/peers/tfjs_w1.mjs [--warmup N] [--steps N] [--runs N] [--json]
import { tf, init, args, timeRuns, median } from './tfjs_common.mjs';

const a = args({ warmup: 100, steps: 100, runs: 3 });
const info = await init();
const n = 20, m = 5, K = 7, B = 1024, lr = 1e-3, wd = 0.01;
tf.setRandom?.(0);
const prob = tf.tensor([1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001], [K, 1, 1]);
const importance = tf.tensor(Array.from({ length: n }, (_, i) => 0.7 ** i), [1, 1, n]);
const W = tf.variable(tf.randomNormal([K, m, n], 0, Math.sqrt(2 / (n + m)), 'float32', 0));  // (K, m, n)
const b = tf.variable(tf.zeros([K, 1, n]));
const opt = tf.train.adam(lr);

function batch(size, seed) {
  const x = tf.randomUniform([K, size, n], 0, 1, 'float32', seed);
  const on = tf.randomUniform([K, size, n], 0, 1, 'float32', seed === undefined ? undefined : seed + 1).lessEqual(prob);
  return tf.where(on, x, tf.zerosLike(x));  // (K, size, n)
}
function perInstanceLoss(x) {
  const h = tf.matMul(x, W, false, true);        // (K, B, m)
  const out = tf.relu(tf.matMul(h, W).add(b));   // (K, B, n)
  return importance.mul(x.sub(out).square()).sum([1, 2]).div(x.shape[1]);  // (K)
}
function train(steps) {
  for (let s = 0; s < steps; ++s) {
    tf.tidy(() => {
      const x = batch(B);
      opt.minimize(() => perInstanceLoss(x).sum(), false, [W, b]);
      W.assign(W.mul(1 - lr * wd));
      b.assign(b.mul(1 - lr * wd));
    });
  }
}
const rates = await timeRuns(train, a, () => W.data());
const lossAfter = tf.tidy(() => perInstanceLoss(batch(8192, 1234)).sum()).dataSync()[0];
const out = {
  workload: 'W1 toy-20x5', peer: 'tfjs-wasm', version: info.version, backend: info.backend,
  simd: info.simd, threads: info.threads, steps_per_second: +median(rates).toFixed(2),
  min: +rates[0].toFixed(2), max: +rates[rates.length - 1].toFixed(2), runs: a.runs,
  steps_trained: a.warmup + a.runs * a.steps, loss_after: lossAfter,
};
if (a.json) console.log(JSON.stringify(out));
else console.log(`W1 toy-20x5 (TF.js ${info.version} ${info.backend}, simd ${info.simd}, 1 thread): ${out.steps_per_second} steps/s; loss after ${out.steps_trained} steps ${lossAfter.toPrecision(4)}`);
