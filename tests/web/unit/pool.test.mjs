// The worker pool's pure parts (web/lib/shards.js, web/lib/pool.js): the shard plans cover every
// run exactly once, in run order, balanced by cost; a config they cannot split goes whole to one
// worker; the frames of the shards join into the frame one worker sends (per-run rows back in
// run order, shared buffers once, the trace at the steps every shard traced); a toy model file is
// joined from the shards' files; the pool size follows the `workers` key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SAE_SHARDS, TOY_SHARDS, SUPPRESSION_SHARDS, SAE_ARCH_COST, balance, cut, toyInstanceCost } from '../../../web/lib/shards.js';
import { mergeFrames, commonRows, poolSize } from '../../../web/lib/pool.js';
import { MAX_WORKERS } from '../../../web/lib/workers.js';

const usesK = (a) => a === 'topk' || a === 'batchtopk' || a === 'matryoshka';  // src/sae/sae_config.cpp sae_arch_uses_k
/** The runs of an sae config in the session's order (arch by arch, then sweep value). */
function saeRuns(c) {
  const out = [];
  for (const a of c.archs) for (const v of (usesK(a) ? c.sweep_k : c.sweep_l1) || [null]) out.push(`${a}:${v}`);
  return out;
}

test('cut: contiguous groups, every item once, balanced by weight', () => {
  assert.deepEqual(cut([1, 1, 1, 1], 2), [[0, 2], [2, 4]]);
  assert.deepEqual(cut([10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 2), [[0, 1], [1, 11]]);
  for (let n = 1; n <= 6; n++) {
    const parts = cut([5, 3, 1, 1, 1, 1], n);
    assert.equal(parts.length, Math.min(n, 6));
    assert.equal(parts[0][0], 0);
    assert.equal(parts[parts.length - 1][1], 6);
    parts.forEach(([a, b], i) => { assert.ok(b > a); if (i) assert.equal(a, parts[i - 1][1]); });
  }
});

test('SAE plan: every run once, in run order, each shard a config of its own runs', () => {
  const cases = [
    { archs: ['relu', 'gated', 'jumprelu', 'topk', 'batchtopk'] },
    { archs: ['relu', 'topk'], sweep_l1: [0.1, 0.3, 0.6], sweep_k: [3, 5, 10] },
    { archs: ['relu'], sweep_l1: [0.1, 0.3, 0.6] },
    { archs: ['relu', 'gated', 'jumprelu', 'topk', 'batchtopk'], sweep_l1: [0.1, 0.3, 0.6], sweep_k: [3, 5, 10] },
    { archs: ['matryoshka', 'relu'], sweep_l1: [0.1, 0.3], sweep_k: [3, 5, 10] },
  ];
  for (const c of cases) {
    const want = saeRuns(c);
    for (const n of [1, 2, 3, 4, 7, 16]) {
      const shards = SAE_SHARDS.split({ ...c, seed: 3 }, n);
      assert.ok(shards.length <= n && shards.length <= want.length);
      const seen = [];
      for (const s of shards) {
        assert.equal(s.config.seed, 3, 'the other keys as they were');
        const mine = saeRuns(s.config);
        const runs = s.runs || want.map((_, i) => i);
        assert.deepEqual(mine, runs.map((r) => want[r]), `${JSON.stringify(c)} on ${n}: a shard trains the runs it says`);
        assert.deepEqual(runs, runs.slice().sort((a, b) => a - b));
        seen.push(...runs);
      }
      assert.deepEqual(seen.sort((a, b) => a - b), want.map((_, i) => i), 'every run once');
      if (want.length >= 2 && n >= 2) assert.ok(shards.length >= 2, 'split when it can be');
    }
  }
  // fewer architectures than workers: an architecture's sweep values over its workers
  assert.equal(SAE_SHARDS.split({ archs: ['relu'], sweep_l1: [0.1, 0.3, 0.6] }, 3).length, 3);
  // what the plan cannot split goes whole (the session's own error then names the problem)
  for (const bad of [{ archs: 'relu' }, { archs: [] }, { archs: ['relu', 'relu'] }, { archs: ['relu'] },
    { archs: ['relu', 'topk'], sweep_l1: Array(9).fill(0.1), sweep_k: Array(9).fill(3) }]) {
    assert.deepEqual(SAE_SHARDS.split(bad, 4), [{ config: bad, runs: null }], JSON.stringify(bad));
  }
});

test('SAE plan: runs shared out by their measured cost, not by their number; whole architectures when that is as even', () => {
  const split = (archs, n, extra = {}) => SAE_SHARDS.split({ archs, ...extra }, n).map((s) => s.config.archs);
  // by runs: [relu, gated, jumprelu] | [topk, batchtopk], 3.2 against 2.34; adjacent by cost 2.45 |
  // 3.09; by cost, adjacent or not, 2.75 | 2.79
  assert.deepEqual(split(['relu', 'gated', 'jumprelu', 'topk', 'batchtopk'], 2), [['relu', 'jumprelu', 'batchtopk'], ['gated', 'topk']]);
  // the sweep preset: relu's three λ and topk's three k (1.34 each) went whole, 3 against 4.02;
  // now 3.34 | 3.68, each worker a config of both architectures with its own values
  const sweep = SAE_SHARDS.split({ archs: ['relu', 'topk'], sweep_l1: [0.1, 0.3, 0.6], sweep_k: [3, 5, 10] }, 2);
  assert.deepEqual(sweep.map((s) => s.runs), [[0, 1, 4], [2, 3, 5]]);
  assert.deepEqual(sweep.map((s) => [s.config.sweep_l1, s.config.sweep_k]), [[[0.1, 0.3], [5]], [[0.6], [3, 10]]]);
  assert.deepEqual(split(['relu', 'gated', 'jumprelu', 'topk', 'batchtopk', 'matryoshka'], 2),
    [['relu', 'gated', 'jumprelu'], ['topk', 'batchtopk', 'matryoshka']]);
  // an architecture's runs weigh its cost each: gated's three sweep runs against the other two's six
  assert.deepEqual(split(['gated', 'jumprelu', 'batchtopk'], 2, { sweep_l1: [0.1, 0.3, 0.6], sweep_k: [3, 5, 10] }),
    [['gated'], ['jumprelu', 'batchtopk']]);
  for (const [arch, c] of Object.entries(SAE_ARCH_COST)) assert.ok(c > 0.3 && c < 3, `${arch}: a step's cost relative to relu's, ${c}`);
  // an architecture the table does not know counts as relu (the session then names it if it is wrong)
  assert.deepEqual(split(['relu', 'newarch'], 2), [['relu'], ['newarch']]);
});

test('SAE plan: the shards\' answers join into the whole config', () => {
  // as the session answers (src/session/sae_session.cpp): every run with its arch, l1 and k
  const answer = (s) => ({ n_latents: 64, archs: s.archs, sweep_l1: s.sweep_l1 || [], sweep_k: s.sweep_k || [],
    runs: saeRuns(s).map((r) => {
      const [arch, v] = r.split(':');
      return { arch, l1: usesK(arch) ? 0.3 : Number(v), k: usesK(arch) ? Number(v) : 5 };
    }) });
  for (const c of [{ archs: ['relu', 'topk'], sweep_l1: [0.1, 0.3], sweep_k: [3, 5] },
    { archs: ['relu', 'topk'], sweep_l1: [0.1, 0.3, 0.6], sweep_k: [3, 5, 10] },
    { archs: ['relu', 'gated', 'jumprelu', 'topk', 'batchtopk'] },
    { archs: ['relu', 'gated', 'jumprelu', 'topk', 'batchtopk'], sweep_l1: [0.6, 0.1, 0.3], sweep_k: [10, 3, 5] }]) {
    for (const n of [2, 3, 4]) {
      const shards = SAE_SHARDS.split(c, n);
      const merged = SAE_SHARDS.mergeConfig(shards.map((s) => answer(s.config)), shards);
      assert.deepEqual(merged, answer(c), `${JSON.stringify(c)} on ${n} workers: ${JSON.stringify(shards.map((s) => s.runs))}`);
    }
  }
});

test('balance: every item once, no group empty, the heaviest group as light as a brute force finds', () => {
  assert.deepEqual(balance([1, 1, 1, 1], 2), [[0, 2], [1, 3]]);
  assert.deepEqual(balance([10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 2), [[0], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]);
  assert.deepEqual(balance([1, 2, 3], 8), [[0], [1], [2]]);
  // Against every split into two groups, on random weights (a seeded LCG): within 5% of the best.
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let t = 0; t < 200; t++) {
    const K = 2 + Math.floor(rand() * 9);
    const w = Array.from({ length: K }, () => (rand() < 0.5 ? 1 : rand()));
    const groups = balance(w, 2);
    assert.deepEqual(groups.flat().sort((a, b) => a - b), w.map((_, i) => i), JSON.stringify(w));
    assert.ok(groups.every((g) => g.length > 0 && g.every((x, i) => i === 0 || x > g[i - 1])));
    const heaviest = Math.max(...groups.map((g) => g.reduce((a, i) => a + w[i], 0)));
    let best = Infinity;
    const total = w.reduce((a, x) => a + x, 0);
    for (let mask = 1; mask < (1 << K) - 1; mask++) {
      let s = 0;
      for (let i = 0; i < K; i++) if (mask & (1 << i)) s += w[i];
      best = Math.min(best, Math.max(s, total - s));
    }
    assert.ok(heaviest <= best * 1.05 + 1e-9, `${JSON.stringify(w)}: ${heaviest} against ${best}`);
  }
});

test('toy plan: instances shared out by measured cost, adjacent or not; dense ones cost about sixteen sparse ones', () => {
  assert.equal(toyInstanceCost(1), 1);
  assert.equal(toyInstanceCost(0.3), 1);
  assert.ok(Math.abs(toyInstanceCost(0.1) - 0.9) < 1e-9);
  assert.ok(Math.abs(toyInstanceCost(0.001) - (0.03 + 1.67 * (1 - 0.999 ** 20))) < 1e-9);
  assert.ok(toyInstanceCost(0.001, 20) < toyInstanceCost(0.001, 200));  // more features, more non-empty samples
  // W1 (bench_toy --instances in wasm: {1, 3, 4} and {0, 2, 5, 6} within 3% of each other; the
  // best adjacent cut, [0, 2) | [2, 7), 19% apart).
  const w1 = { n_instances: 7, n_features: 20, feature_probability: [1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001], seed: 1 };
  const shards = TOY_SHARDS.split(w1, 2);
  assert.deepEqual(shards.map((s) => s.runs), [[0, 2, 5, 6], [1, 3, 4]]);
  assert.deepEqual(shards.map((s) => s.config.trained_instances), [[0, 2, 5, 6], [1, 3, 4]]);
  assert.equal(shards[0].config.seed, 1);
  assert.equal(TOY_SHARDS.split({ n_instances: 3, feature_probability: [1, 0.1, 0.01] }, 8).length, 3);
  for (const bad of [{ n_instances: 1, feature_probability: [1] }, { n_instances: 2, feature_probability: [1] },
    { n_instances: 2, feature_probability: [1, 0] }, { n_instances: 2, feature_probability: [1, 1], trained_instances: [0] }]) {
    assert.deepEqual(TOY_SHARDS.split(bad, 2), [{ config: bad, runs: null }], JSON.stringify(bad));
  }
  assert.deepEqual(TOY_SHARDS.mergeConfig([{ n_instances: 12, trained_instances: [0, 5] }]), { n_instances: 12 });
});

const frame = (step, buffers, rows = [], extra = {}) => ({
  type: 'frame', step, totalSteps: 100, running: true, done: false, lossTotal: 1, stepsPerSec: 10, buffers,
  trace: { steps: Float64Array.from(rows.map((r) => r[0])), loss: Float32Array.from(rows.flatMap((r) => r[1])) }, ...extra,
});
const buf = (shape, values) => ({ shape, data: Float32Array.from(values) });

test('mergeFrames and commonRows: per-run rows back in run order, shared buffers once, common trace steps', () => {
  const shards = [{ runs: [0, 2] }, { runs: [1] }];
  const a = frame(40, { W: buf([2, 2], [0, 0, 2, 2]), importance: buf([2], [9, 8]) });
  const b = frame(30, { W: buf([1, 2], [1, 1]), importance: buf([2], [9, 8]) }, [], { stepsPerSec: 5, lossTotal: 2 });
  const queues = [[[10, [0.1, 0.3]], [20, [0.2, 0.4]], [30, [0.5, 0.6]]], [[10, [1]], [20, [2]]]];
  const rows = commonRows(queues, shards);
  assert.deepEqual(rows.map(([s, l]) => [s, Array.from(l)]), [[10, [0.1, 1, 0.3]].map((x) => x), [20, [0.2, 2, 0.4]]]
    .map(([s, l]) => [s, Array.from(Float32Array.from(l))]));
  assert.deepEqual(queues[0].length, 1, 'step 30 waits for the second shard');
  const m = mergeFrames([a, b], shards, TOY_SHARDS, rows);
  assert.deepEqual(m.buffers.W.shape, [3, 2]);
  assert.deepEqual(Array.from(m.buffers.W.data), [0, 0, 1, 1, 2, 2]);
  assert.deepEqual(Array.from(m.buffers.importance.data), [9, 8]);
  assert.equal(m.step, 30, 'the run stands where its slowest shard is');
  assert.equal(m.lossTotal, 3);
  assert.equal(m.stepsPerSec, 5, 'time left as the slowest shard\'s');
  assert.deepEqual(Array.from(m.trace.steps), [10, 20]);
  assert.throws(() => mergeFrames([a, frame(30, { W: buf([2, 2], [1, 1, 1, 1]), importance: buf([2], [9, 8]) })], shards, TOY_SHARDS),
    /cannot join buffer W: worker 2 sent shape \[2,2\] for 1 runs/);
  // a step one shard did not trace (a pause between grid points) is left out, not misaligned
  const q2 = [[[5, [1, 1]], [10, [2, 2]]], [[10, [3]]]];
  assert.deepEqual(commonRows(q2, shards).map(([s]) => s), [10]);
});

test('suppression plan: contiguous run ranges, the three fixes in the first, every run once', () => {
  const c = { l1: 0.4, steps: 3000, scale_steps: 1000, batch_size: 512, sweep: Array.from({ length: 12 }, (_, i) => 0.1 + 0.2 * i) };
  for (const n of [2, 3, 4, 16]) {
    const shards = SUPPRESSION_SHARDS.split(c, n);
    assert.ok(shards.length >= 2 && shards.length <= Math.min(n, 13));
    const seen = [];
    for (const s of shards) {
      assert.deepEqual(s.config.trained_runs, [s.runs[0], s.runs[s.runs.length - 1] + 1]);
      assert.equal(s.config.l1, 0.4, 'the other keys as they were');
      seen.push(...s.runs);
    }
    assert.deepEqual(seen, Array.from({ length: 15 }, (_, i) => i), 'every run once, in order');
    assert.ok(shards[0].runs.includes(2), 'none, scale and gated in one shard');
  }
  // what the plan cannot split goes whole (the session's own error then names the problem)
  for (const bad of [{ ...c, sweep: [] }, { l1: 0.4, sweep: [0.1, 0.2] }, { ...c, sweep: Array(33).fill(0.1) },
    { ...c, trained_runs: [0, 3] }, { ...c, steps: '3000' }]) {
    assert.deepEqual(SUPPRESSION_SHARDS.split(bad, 2), [{ config: bad, runs: null }], JSON.stringify(bad));
  }
  assert.deepEqual(SUPPRESSION_SHARDS.mergeConfig([{ l1: 0.4, trained_runs: [0, 5] }]), { l1: 0.4 });
});

test('mergeFrames with whole-shape shards (suppression): each row from its run\'s shard, the trace from the fixes\' shard', () => {
  const shards = [{ runs: [0, 1, 2, 3] }, { runs: [4, 5] }];
  const N = NaN;
  // shard 1 trains the fixes and sweep point 0; shard 2 sweep points 1 and 2 (NaN: not trained there)
  const a = frame(80, { trained_activation: buf([3], [1, 2, 3]), sweep: buf([3, 3], [0.1, 7, 0.9, 0.2, N, 0.8, 0.3, N, 0.7]),
    expected_loss: buf([3], [4, 5, 6]), scale: buf([1], [1.5]), analytic_curve: buf([2, 2], [0, 1, 1, 0.5]) },
  [], { totalSteps: 80, done: true, lossTotal: 6 });
  const b = frame(60, { trained_activation: buf([3], [N, N, N]), sweep: buf([3, 3], [0.1, N, 0.9, 0.2, 8, 0.8, 0.3, 9, 0.7]),
    expected_loss: buf([3], [N, N, N]), scale: buf([1], [N]), analytic_curve: buf([2, 2], [0, 1, 1, 0.5]) },
  [], { totalSteps: 60, done: true, lossTotal: 0 });
  const queues = [[[40, [1, 2, 3]], [80, [4, 5, 6]]], [[40, []]]];
  const rows = commonRows(queues, shards, SUPPRESSION_SHARDS);
  assert.deepEqual(queues, [[], []], 'every queue taken');
  const m = mergeFrames([a, b], shards, SUPPRESSION_SHARDS, rows);
  assert.deepEqual(Array.from(m.buffers.trained_activation.data), [1, 2, 3]);
  assert.deepEqual(Array.from(m.buffers.sweep.data), Array.from(Float32Array.from([0.1, 7, 0.9, 0.2, 8, 0.8, 0.3, 9, 0.7])));
  assert.deepEqual(Array.from(m.buffers.expected_loss.data), [4, 5, 6]);
  assert.deepEqual(Array.from(m.buffers.scale.data), [1.5]);
  assert.deepEqual(Array.from(m.buffers.analytic_curve.data), [0, 1, 1, 0.5]);
  assert.equal(m.step, 80, 'all done: the longest run\'s end, as one worker says');
  assert.equal(m.totalSteps, 80);
  assert.equal(m.lossTotal, 6);
  assert.deepEqual(Array.from(m.trace.steps), [40, 80]);
  assert.deepEqual(Array.from(m.trace.loss), [1, 2, 3, 4, 5, 6]);
  // while the longer shard still runs, the run stands at its step, not at the shorter shard's end
  const running = mergeFrames([{ ...a, step: 70, done: false }, b], shards, SUPPRESSION_SHARDS, []);
  assert.equal(running.step, 70);
  assert.throws(() => mergeFrames([a, { ...b, buffers: { ...b.buffers, sweep: buf([2, 3], [0, 0, 0, 0, 0, 0]) } }], shards, SUPPRESSION_SHARDS),
    /cannot join buffer sweep: worker 2 sent shape \[2,3\], worker 1 \[3,3\]/);
});

test('toy plan: a model file joined from the shards\' files takes each instance from its shard', () => {
  // a safetensors file with W (3 instances × 2) and b (3 × 1), as src/toy/toy_export.cpp writes
  const file = (W, b) => {
    const header = JSON.stringify({ W: { dtype: 'F32', shape: [3, 2], data_offsets: [0, 24] }, b: { dtype: 'F32', shape: [3, 1], data_offsets: [24, 36] },
      __metadata__: { format: 'superpose-toy' } });
    const h = new TextEncoder().encode(header);
    const out = new Uint8Array(8 + h.length + 36);
    new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
    out.set(h, 8);
    new Float32Array(out.buffer, 8 + h.length, 9).set([...W, ...b]);
    return { out, at: 8 + h.length };
  };
  const one = file([1, 1, 0, 0, 0, 0], [1, 0, 0]);
  const two = file([0, 0, 2, 2, 3, 3], [0, 2, 3]);
  const merged = TOY_SHARDS.mergeModel([one.out, two.out], [{ runs: [0] }, { runs: [1, 2] }]);
  assert.deepEqual(Array.from(new Float32Array(merged.slice(one.at).buffer)), [1, 1, 2, 2, 3, 3, 1, 2, 3]);
});

test('poolSize: the workers key, else one per core, at most MAX_WORKERS', () => {
  assert.equal(poolSize(0, 8), 8);
  assert.equal(poolSize(0, 64), MAX_WORKERS);
  assert.equal(poolSize(0, undefined), 1);
  assert.equal(poolSize(3, 2), 3);
  assert.equal(poolSize(99, 2), MAX_WORKERS);
});
