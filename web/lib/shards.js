// shards.js: how an experiment splits into independent parts for the worker pool (pool.js), and
// how the parts' answers join again, one plan per experiment kind.
//
// What it is: a plan is {split(config, n) -> [{config, runs}], mergeConfig(configs, shards),
// shared}: split gives at most n shard configs, each a valid config of the same kind that trains
// some of the runs (runs: their indices in the whole experiment's run order, ascending), and
// mergeConfig gives the whole experiment's filled-in config from the shards' answers, as one
// worker would have answered. Every buffer of a frame is per run along its first axis (rows in
// run order) except those named in `shared` (the same in every shard: taken from the first).
// A plan with rowRun(name, row) instead (suppression) has shards that send every buffer at the
// whole experiment's shape: row `row` of buffer `name` is taken from the shard that trains run
// rowRun(name, row) (null: the config's, from the first shard), and the loss trace and total
// from the shard that trains run `lead`.
// A config the plan cannot split (malformed, or past a limit) is sent whole to one worker, so its
// error message is the session's own.
// What it is not: no workers and no messages (pool.js), no DOM (node's test runner imports it).
// Reference: src/session/sae_session.cpp (runs ordered arch by arch, then by sweep value; every
// run trains on the same seeded batches and has its own seeded init and resampling stream).

// The architectures whose runs take k (and so sweep_k) rather than λ: src/sae/sae_config.cpp
// sae_arch_uses_k. The pool checks every shard's answer against the runs the plan gave it, so a
// list that fell behind the C++ one is an error, never runs joined in the wrong order.
const K_ARCHS = ['topk', 'batchtopk', 'matryoshka'];
export const saeUsesK = (arch) => K_ARCHS.includes(arch);
const usesK = saeUsesK;

/** Split n workers over `counts` (units per group, each ≥ 1): at least one each, the rest to
 * the groups with the most units per worker. Returns workers per group (sum ≤ n). */
function allot(counts, n) {
  const w = counts.map(() => 1);
  for (let spare = n - counts.length; spare > 0; spare--) {
    let best = -1;
    counts.forEach((c, g) => { if (w[g] < c && (best < 0 || c / w[g] > counts[best] / w[best])) best = g; });
    if (best < 0) break;
    w[best]++;
  }
  return w;
}

/** Cut `count` ordered items into `parts` contiguous groups balanced by weight; returns [start, end) pairs. */
export function cut(weights, parts) {
  const total = weights.reduce((a, x) => a + x, 0);
  const out = [];
  let start = 0, acc = 0;
  for (let p = 0; p < parts && start < weights.length; p++) {
    const left = parts - p;
    if (left === 1) { out.push([start, weights.length]); break; }
    const target = acc + (total - acc) / left;
    let end = start + 1;
    acc += weights[start];
    // take more while the group gets closer to its share and enough items stay for the rest
    while (end < weights.length - (left - 1) && Math.abs(acc + weights[end] - target) <= Math.abs(acc - target)) {
      acc += weights[end];
      end++;
    }
    out.push([start, end]);
    start = end;
  }
  return out;
}

/** Share `weights.length` items out into at most `parts` groups (any items, adjacent or not) with
 * the heaviest group as light as it can be made: the heaviest item first into the lightest group
 * (LPT), then single moves and swaps between the heaviest group and each other while they lower
 * the pair's heavier side. Returns the groups' item indices, each ascending, groups by their
 * first item; no group is empty. */
export function balance(weights, parts) {
  const n = Math.max(1, Math.min(parts, weights.length));
  const groups = Array.from({ length: n }, () => []);
  const load = new Array(n).fill(0);
  const order = weights.map((_, i) => i).sort((a, b) => weights[b] - weights[a] || a - b);
  for (const i of order) {
    const g = load.indexOf(Math.min(...load));
    groups[g].push(i);
    load[g] += weights[i];
  }
  for (let round = 0; round < 100; round++) {
    const h = load.indexOf(Math.max(...load));
    let best = null;  // [gain, other group, item of h, item of the other or -1]
    for (let o = 0; o < n; o++) {
      if (o === h) continue;
      for (const a of groups[h]) {
        const tryPair = (b) => {
          const d = weights[a] - (b < 0 ? 0 : weights[b]);
          if (d <= 0 || (b < 0 && groups[h].length === 1)) return;
          const gain = load[h] - Math.max(load[h] - d, load[o] + d);
          if (gain > 1e-12 && (!best || gain > best[0])) best = [gain, o, a, b];
        };
        tryPair(-1);
        for (const b of groups[o]) tryPair(b);
      }
    }
    if (!best) break;
    const [, o, a, b] = best;
    groups[h].splice(groups[h].indexOf(a), 1);
    groups[o].push(a);
    load[h] -= weights[a];
    load[o] += weights[a];
    if (b >= 0) {
      groups[o].splice(groups[o].indexOf(b), 1);
      groups[h].push(b);
      load[o] -= weights[b];
      load[h] += weights[b];
    }
  }
  return groups.map((g) => g.sort((a, b) => a - b)).sort((x, y) => x[0] - y[0]);
}

// One shard with the whole config (runs: null, every run of its answer).
const whole = (config) => [{ config, runs: null }];

/** The relative cost of an SAE architecture's training step, ReLU's being 1, MEASURED in wasm
 * (bench_sae --arch A under node, the W2 data with 512 latents: user CPU of 250 steps less the
 * program's 0.5 s start; 2026-11-29 at load 7-9 on 2 cores, two runs for relu, gated and
 * jumprelu, which differed by up to 25%): gated 1.45 (its second encoder path), topk 1.34,
 * batchtopk 1.0, matryoshka 1.0, jumprelu 0.75. The pool cuts the architectures into workers by
 * it: by runs alone the five architectures went [relu, gated, jumprelu] | [topk, batchtopk],
 * 3.2 against 2.34 of a relu run's cost (at best 1.73× on two workers); by cost [relu, gated] |
 * [jumprelu, topk, batchtopk], 2.45 against 3.09 (at best 1.79×; the same cut for costs within
 * the runs' spread). An architecture not in the table counts as 1. */
export const SAE_ARCH_COST = Object.freeze({ relu: 1, gated: 1.45, jumprelu: 0.75, topk: 1.34, batchtopk: 1, matryoshka: 1 });
export const saeArchCost = (arch) => SAE_ARCH_COST[arch] || 1;

/** kind sae: one run per architecture and sweep value (SaeSession::kMaxRuns at most). */
export const SAE_SHARDS = {
  // The data's, not a run's: the true features and the hierarchy view's family and parents (issue 17).
  shared: ['true_features', 'true_directions', 'hierarchy_features', 'parents'],
  split(config, n) {
    const archs = config && config.archs;
    if (n <= 1 || !Array.isArray(archs) || archs.length === 0 || archs.some((a) => typeof a !== 'string') ||
      new Set(archs).size !== archs.length) return whole(config);
    const list = (key) => (Array.isArray(config[key]) && config[key].length > 0 ? config[key] : null);
    const sweepL1 = list('sweep_l1'), sweepK = list('sweep_k');
    const values = (arch) => (usesK(arch) ? sweepK : sweepL1) || [null];
    const counts = archs.map((a) => values(a).length);
    const R = counts.reduce((a, x) => a + x, 0);
    if (R > 16 || R <= 1) return whole(config);
    const first = []; // global index of each arch's first run
    counts.reduce((at, c, g) => { first[g] = at; return at + c; }, 0);
    const shards = [];
    const shard = (as, l1, k) => {
      const c = { ...config, archs: as };
      if (sweepL1) c.sweep_l1 = l1 || sweepL1;
      if (sweepK) c.sweep_k = k || sweepK;
      return c;
    };
    if (archs.length >= n) {
      // Every run by its cost (saeArchCost), shared out by balance, when each worker's runs make
      // a config: its architectures, with one list of λ values for those that take λ and one of
      // k for the others (their runs that list's product). Else, or when that is no more even,
      // whole architectures per worker (each with its sweep), cut by cost.
      const runArch = [], runValue = [];
      archs.forEach((_, g) => { for (let v = 0; v < counts[g]; v++) { runArch.push(g); runValue.push(v); } });
      const cost = runArch.map((g) => saeArchCost(archs[g]));
      const heaviest = (groups) => Math.max(...groups.map((runs) => runs.reduce((a, r) => a + cost[r], 0)));
      const byArch = cut(archs.map((arch, g) => counts[g] * saeArchCost(arch)), n)
        .map(([a, b]) => Array.from({ length: first[b - 1] + counts[b - 1] - first[a] }, (_, i) => first[a] + i));
      const byRun = balance(cost, n);
      const asConfig = (runs) => {
        const gs = [...new Set(runs.map((r) => runArch[r]))];
        const vs = (kind) => {  // the value indices of the architectures of one kind: the same for each
          const sets = gs.filter((g) => usesK(archs[g]) === kind).map((g) => runs.filter((r) => runArch[r] === g).map((r) => runValue[r]).join());
          return sets.every((x) => x === sets[0]) ? (sets.length ? sets[0].split(',').map(Number) : []) : null;
        };
        const l1 = vs(false), k = vs(true);
        if (!l1 || !k) return null;
        return shard(gs.map((g) => archs[g]), sweepL1 && l1.length ? l1.map((v) => sweepL1[v]) : null, sweepK && k.length ? k.map((v) => sweepK[v]) : null);
      };
      const configs = byRun.map(asConfig);
      const chosen = configs.every(Boolean) && heaviest(byRun) < heaviest(byArch) - 1e-9 ? byRun : byArch;
      chosen.forEach((runs, i) => shards.push({ config: chosen === byRun ? configs[i] : shard([...new Set(runs.map((r) => archs[runArch[r]]))]), runs }));
    } else {
      // fewer architectures than workers: an architecture's sweep values over its workers
      allot(counts, n).forEach((w, g) => {
        const vs = values(archs[g]);
        for (const [a, b] of cut(vs.map(() => 1), w)) {
          const part = vs.slice(a, b);
          const runs = part.map((_, v) => first[g] + a + v);
          shards.push({ config: usesK(archs[g]) ? shard([archs[g]], null, sweepK && part) : shard([archs[g]], sweepL1 && part, null), runs });
        }
      });
    }
    return shards;
  },
  mergeConfig(configs, shards) {
    if (configs.length === 1) return configs[0];
    // Each list's values in the whole run's order (a worker's runs need not be adjacent): a value
    // stands where the first run (global index) that uses it does; runs are {arch, l1, k}.
    const value = { archs: (r) => r.arch, sweep_l1: (r) => (usesK(r.arch) ? undefined : r.l1), sweep_k: (r) => (usesK(r.arch) ? r.k : undefined) };
    const union = (key) => {
      const at = new Map();
      configs.forEach((c, i) => c.runs.forEach((r, j) => {
        const v = value[key](r);
        if (v !== undefined && (c[key] || []).includes(v) && !(at.get(v) <= shards[i].runs[j])) at.set(v, shards[i].runs[j]);
      }));
      return [...at.keys()].sort((a, b) => at.get(a) - at.get(b));
    };
    const runs = [];
    configs.forEach((c, i) => c.runs.forEach((r, j) => { runs[shards[i].runs[j]] = r; }));
    return { ...configs[0], archs: union('archs'), sweep_l1: union('sweep_l1'), sweep_k: union('sweep_k'), runs };
  },
};

/** The relative cost of a toy instance's training step (data, forward and backward), a dense
 * one's being 1, for feature probability p and n features. MEASURED in wasm (bench_toy --profile
 * under node, W1: n 20, m 5, batch 1024; 2026-11-29 21:12 UTC, µs per step): p 1 69.4, 0.3 70.9,
 * 0.1 62.0 (batched, src/toy/toy_model.hpp batched_from_ 0.05: 0.85 + 0.15 × min(1, p / 0.3) fits
 * them), 0.03 55.1, 0.01 24.4, 0.003 9.3, 0.001 4.3 (per sample: a fixed part and one per
 * non-empty sample, a fraction 1 − (1 − p)^n of them: 0.03 + 1.67 × that fraction fits within
 * 0.02). Only the shares' balance rests on it, never their results. */
export function toyInstanceCost(p, n = 20) {
  if (p >= TOY_BATCHED_FROM) return 0.85 + 0.15 * Math.min(1, p / 0.3);
  return Math.min(1, TOY_SPARSE_BASE + TOY_SPARSE_PER_SAMPLE * (1 - Math.pow(1 - p, n)));
}
const TOY_BATCHED_FROM = 0.05;
const TOY_SPARSE_BASE = 0.03;
const TOY_SPARSE_PER_SAMPLE = 1.67;

/** kind toy: one run per instance; a shard trains some of them (trained_instances, src/session/
 * toy_session.hpp: any instances, ascending) and draws only their data: each instance has its
 * own seeded data stream (ToyRng, src/toy/toy_data.hpp), so it sees the batches of the whole run.
 * The instances are shared out by cost (toyInstanceCost, balance): on W1 the best cut into
 * adjacent ranges, [0, 2) | [2, 7), left the second share 19% dearer in wasm (bench_toy
 * --instances, same run: 4,694 and 3,965 steps/s, the whole 2,217: at best 1.79× on two
 * workers); shared by cost, {1, 3, 4} | {0, 2, 5, 6} ran 4,282 and 4,399 (at best 1.93×). */
export const TOY_SHARDS = {
  shared: ['importance'],
  split(config, n) {
    const p = config && config.feature_probability;
    const K = config && config.n_instances;
    if (n <= 1 || !Number.isSafeInteger(K) || K <= 1 || K > 256 || !Array.isArray(p) || p.length !== K ||
        p.some((x) => typeof x !== 'number' || !(x > 0 && x <= 1)) || 'trained_instances' in config) return whole(config);
    const features = Number.isSafeInteger(config.n_features) && config.n_features > 0 ? config.n_features : 20;
    return balance(p.map((x) => toyInstanceCost(x, features)), n).map((runs) => ({
      config: { ...config, trained_instances: runs },
      runs,
    }));
  },
  mergeConfig(configs) {
    const { trained_instances: _, ...c } = configs[0];
    return c;
  },
};

/** A toy model file (safetensors, src/toy/toy_export.cpp) of the whole run from the shards'
 * files: each holds every instance (its own trained, the others as initialised) in the same
 * layout, so the first file with each shard's instance rows copied in is the whole model's. */
TOY_SHARDS.mergeModel = function mergeModel(files, shards, base = 0) {
  // (the header and metadata, the step among them, are file `base`'s)
  const view = new DataView(files[base].buffer, files[base].byteOffset, files[base].byteLength);
  const headerBytes = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(files[base].subarray(8, 8 + headerBytes)));
  const out = files[base].slice();
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    if (t.dtype !== 'F32') throw new Error(`the toy model file's ${name} is ${t.dtype}, not F32`);
    const [begin, end] = t.data_offsets;
    const row = (end - begin) / t.shape[0];
    files.forEach((f, i) => {
      if (f.byteLength !== out.byteLength) throw new Error('the workers saved model files of different sizes');
      for (const k of shards[i].runs) {
        const at = 8 + headerBytes + begin + k * row;
        out.set(f.subarray(at, at + row), at);
      }
    });
  }
  return out;
};

/** The relative cost of a suppression run's step, the plain L1 encoder's being 1, measured by
 * bench/bench_suppression natively (load 11.5, 2026-11-28): a gated step 1.71× for one feature,
 * 1.19× for eight; a step of the scale run's second phase as a plain one (0.95×, 0.88×). */
const SUPPRESSION_GATED_COST = 1.5;
const SUPPRESSION_SCALE_STEP_COST = 1;

/** kind suppression: runs none, scale, gated, then the sweep's points (src/session/
 * suppression_session.hpp); a shard trains a contiguous range of them (trained_runs), each run
 * from its own seeded streams. The three fixes stay in one shard: their losses are the trace,
 * and their buffers' rows come from it. Ranges are cut by each run's steps × cost per step. */
export const SUPPRESSION_SHARDS = {
  lead: 0,
  rowRun(name, row) {
    if (name === 'expected_loss') return 0;  // the L1 encoder's exact losses
    if (name === 'scale') return 1;          // the scale run's s
    if (name === 'sweep') return 3 + row;
    if (/^(analytic|monosemantic)_/.test(name)) return null;
    return row;                              // [3, ...]: none, scale, gated
  },
  split(config, n) {
    const sweep = config && config.sweep;
    const steps = config && config.steps, scaleSteps = config && config.scale_steps;
    if (n <= 1 || !Array.isArray(sweep) || sweep.length === 0 || sweep.length > 32 || 'trained_runs' in config ||
        !Number.isSafeInteger(steps) || !Number.isSafeInteger(scaleSteps) || steps < 1 || scaleSteps < 1) return whole(config);
    // the fixes as one unit, then each sweep point
    const fixes = steps * (1 + SUPPRESSION_GATED_COST) + steps + scaleSteps * SUPPRESSION_SCALE_STEP_COST;
    const units = [fixes, ...sweep.map(() => steps)];
    return cut(units, Math.min(n, units.length)).map(([a, b]) => {
      const first = a === 0 ? 0 : a + 2, end = b + 2;  // unit u ≥ 1 is run u + 2
      return { config: { ...config, trained_runs: [first, end] }, runs: Array.from({ length: end - first }, (_, i) => first + i) };
    });
  },
  mergeConfig(configs) {
    const { trained_runs: _, ...c } = configs[0];
    return c;
  },
};
