// Peer benchmark (not a test): W2 sae-synth in TensorFlow.js, wasm backend, one thread, node.
// The workload of bench/peers/torch_w2.py (issue 8; src/sae defaults): 256 true unit features in
// d=64, each active with probability 5/256 with magnitude U[0,1]; ReLU SAE with 512 latents,
// tied init, b_dec = data mean, unit-norm decoder after every step, loss ‖x − x̂‖² + λ Σ f with
// λ = 0.3 ramped over 300 steps, Adam 3e-3 (100 warm-up steps, cosine to 0.1·lr), batch 1024.
// Quality after training on 8192 held-out samples: L0, FVE, MMCS.
//   node bench/peers/tfjs_w2.mjs [--warmup N] [--steps N] [--runs N] [--json]
import { tf, init, args, timeRuns, median } from './tfjs_common.mjs';

const a = args({ warmup: 30, steps: 30, runs: 3 });
const info = await init();
const d = 64, F = 256, L = 512, B = 1024, lam = 0.3, lamWarmup = 300, lr = 3e-3, lrWarmup = 100, minFrac = 0.1;
const total = a.warmup + a.runs * a.steps, p = 5 / F;
const U = tf.tidy(() => { const u = tf.randomNormal([F, d], 0, 1, 'float32', 0); return u.div(u.norm('euclidean', 1, true)); });

function batch(size, seed) {
  return tf.tidy(() => {
    const c = tf.randomUniform([size, F], 0, 1, 'float32', seed)
      .mul(tf.randomUniform([size, F], 0, 1, 'float32', seed === undefined ? undefined : seed + 1).less(p));
    return tf.matMul(c, U);  // (size, d)
  });
}
const W_dec = tf.variable(tf.tidy(() => { const w = tf.randomNormal([L, d], 0, 1, 'float32', 1); return w.div(w.norm('euclidean', 1, true)); }));
const W_enc = tf.variable(W_dec.transpose());  // (d, L), tied init
const b_enc = tf.variable(tf.zeros([L]));
const b_dec = tf.variable(tf.tidy(() => batch(8192, 99).mean(0)));
const opt = tf.train.adam(lr);
const forward = (x) => {
  const f = tf.relu(tf.matMul(x.sub(b_dec), W_enc).add(b_enc));
  return [f, tf.matMul(f, W_dec).add(b_dec)];
};
let t = 0;
function train(steps) {
  for (let s = 0; s < steps; ++s, ++t) {
    opt.learningRate = t < lrWarmup ? lr * (t + 1) / lrWarmup
      : lr * (minFrac + (1 - minFrac) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, (t - lrWarmup) / Math.max(1, total - lrWarmup)))));
    const lamT = lam * Math.min(1, t / lamWarmup);
    tf.tidy(() => {
      const x = batch(B);
      opt.minimize(() => {
        const [f, xh] = forward(x);
        return x.sub(xh).square().sum(1).mean().add(f.sum(1).mean().mul(lamT));
      }, false, [W_enc, b_enc, W_dec, b_dec]);
      W_dec.assign(W_dec.div(W_dec.norm('euclidean', 1, true)));
    });
  }
}
const rates = await timeRuns(train, a, () => W_dec.data());
const [l0, fve, mmcs] = tf.tidy(() => {
  const x = batch(8192, 1234);
  const [f, xh] = forward(x);
  const l0 = f.greater(0).cast('float32').sum(1).mean();
  const fve = tf.scalar(1).sub(x.sub(xh).square().sum().div(x.sub(x.mean(0)).square().sum()));
  const Dn = W_dec.div(W_dec.norm('euclidean', 1, true));
  const mmcs = tf.matMul(U, Dn, false, true).max(1).mean();
  return [l0.dataSync()[0], fve.dataSync()[0], mmcs.dataSync()[0]];
});
const out = {
  workload: 'W2 sae-synth', peer: 'tfjs-wasm', version: info.version, backend: info.backend,
  simd: info.simd, threads: info.threads, steps_per_second: +median(rates).toFixed(2),
  min: +rates[0].toFixed(2), max: +rates[rates.length - 1].toFixed(2), runs: a.runs,
  steps_trained: total, l0, fve, mmcs,
};
if (a.json) console.log(JSON.stringify(out));
else console.log(`W2 sae-synth (TF.js ${info.version} ${info.backend}, simd ${info.simd}, 1 thread): ${out.steps_per_second} steps/s; after ${total} steps L0 ${l0.toFixed(2)} FVE ${fve.toFixed(3)} MMCS ${mmcs.toFixed(3)}`);
