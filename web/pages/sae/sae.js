// sae.js: the sparse-autoencoder page (issue 5). The "sae" session trains one run per chosen
// architecture (and per sweep value) side by side in the worker; this module draws the held-out
// metrics (each architecture and sweep value in its own worker when there are cores for it:
// lib/pool.js), the L0–FVE paths, the loss/L0/FVE curves, the feature-density histogram and the
// dictionary (true features against their best decoder columns), and keeps the controls in the
// URL hash (every experiment is a link).
// What it is not: no training logic (the C++ session does it), no framework; every number and
// name reaches the DOM as textContent or canvas text, never as HTML.
// For tests it exposes `window.superpose` (state, config, lastFrame, done, errors, frameCount, history).
import { startPage } from '../../lib/page-boot.js';
import { SAE, SAE_DATA_CONFIG } from '../../lib/page-states.js';
import { SAE_SHARDS, saeUsesK } from '../../lib/shards.js';
import { XYPlotView } from '../../views/xyplot.js';
import { formatPower } from '../../views/axis.js';
import { DictionaryView } from '../../views/dictionary.js';
import { HierarchyView } from '../../views/hierarchy.js';
import { addSaeLensButtons } from '../../export/saelens-io.js';
import { fileStem } from '../../export/export.js';

const COLORS = { relu: '#d9480f', gated: '#2b8a3e', jumprelu: '#1971c2', topk: '#862e9c', batchtopk: '#e67700', matryoshka: '#0c8599' };
const METRICS = ['l0', 'mse', 'fve', 'dead_fraction', 'dense_fraction', 'relative_reconstruction_bias', 'mmcs', 'recovered_fraction'];
// The columns of the truth_metrics buffer (src/session/sae_session.cpp kTruthMetricNames).
const TRUTH = ['mcc', 'uniqueness', 'precision', 'recall', 'f1', 'absorption', 'shrinkage'];
// The synthetic data's run is the W2 recipe of the CLI and the benchmark: the session's defaults
// (SaeConfig, docs/wasm-api.md: 3000 steps, batch 1024, its lr and schedule), so the page shows
// what `superpose sae` and tests/unit/test_sae_recipe.cpp measure. Only the held-out batch is
// smaller (metrics are refreshed every frame).
const RUN = { eval_batch: 1024 };
// The plots' step axis until the session answers with the run's own `steps`.
const AXIS_STEPS = 3000;
const DATA = {
  synthetic: { input_dim: 64, true_features: 256, active: 5 },
  // The ARENA exercise: 5 features in 2 hidden dims, feature probability 0.025, 5 latents from
  // an independent random init (no tied W_enc, b_dec = 0). Some latents die early and others turn
  // polysemantic; resampling (a latent silent for 100 steps, checked every 500) revives the dead
  // ones and 5/5 features are recovered (tests/unit/test_sae_arena.cpp measures the same).
  toy: { input_dim: 2, true_features: 5, active: 0.125, toy_steps: 3000, init: 'random', steps: 6000,
    batch_size: 512, lr: 1e-2, dead_window: 100, resample_every: 500 },
  // SynthSAEBench (arXiv 2602.14687) at browser scale: the C++ preset's config keys (features,
  // dims, hierarchy, steps, batch; its λ, k, latents and the paper's three architectures are the
  // controls': page-states.js), the
  // session's defaults for the rest; sized so that all six architectures train within the
  // issue's two minutes.
  hierarchical: SAE_DATA_CONFIG.hierarchical,
};
const DEAD = '#9a9a9a';
const SWEEP_L1 = [0.1, 0.3, 0.6];
const SWEEP_K = [3, 5, 10];
const SWEEP_K_TOY = [1, 2, 3];  // of the toy data's 5 latents
const $ = (id) => document.getElementById(id);

// The state table (keys data, archs, l1, k, latents, sweep, seed, resample) is page-states.js SAE; the
// page may hold data = 'npy' (a file the user opened), which the hash leaves out.
// The toolbar (page-boot.js): a loaded SAELens SAE is measured, not trained; its reset trains this
// page's own SAEs again (apply, below).
const page = startPage({ ...SAE, serialise: (s) => SAE.serialise(s.data === 'npy' ? { ...s, data: SAE.byName.get('data').def } : s) },
  { extra: { history: [], npy: null }, pool: SAE_SHARDS, toolbar: { chunk: 10,
    status: (f, word) => (loadedSae() ? `loaded ${window.superpose.loadedName}: measured on this data, not trained` : word),
    cannot: () => (loadedSae() ? { step: 'a loaded SAELens SAE is measured, not trained: reset (or play) trains this page’s own SAEs' } : {}) } });
function loadedSae() { return !!(window.superpose.config && window.superpose.config.loaded); }
const { S, client, showError } = page;

function sessionConfig(s) {
  const c = { archs: s.archs.slice(), l1: s.l1, k: s.k, n_latents: s.latents, seed: s.seed, resample: s.resample === 1, ...RUN };
  if (s.data === 'npy') c.data = 'npy';  // the file's bytes go beside the config (configure)
  else Object.assign(c, { data: s.data }, DATA[s.data]);
  if (s.data === 'toy') c.n_latents = 5;  // ARENA: as many latents as features
  if (s.data === 'hierarchical') c.view_parent = s.parent;
  if (s.sweep === 1) Object.assign(c, { sweep_l1: SWEEP_L1, sweep_k: s.data === 'toy' ? SWEEP_K_TOY : SWEEP_K });
  c.aux_k = Math.min(64, c.n_latents);
  return c;
}

// ---- views ----------------------------------------------------------------------------------
// Made a few at a time, each group in its own task after the module's first run (makeViews):
// made in the module's evaluation, every canvas at once, they took 40–80 ms of CPU in one task
// (issue 18). Frames come after the worker has loaded its module, later than that; one that came
// before would be drawn once they are made.
let pareto, lossPlot, l0Plot, fvePlot, density, dictionary, paretoF1, paretoMcc, hierarchy, arrows;
let viewsMade = false;
// The run's length (the toy preset trains longer).
const runSteps = () => (S.config && S.config.steps) || AXIS_STEPS;
// The density histogram's x: bin 0 (x in [0, 1]) holds the dead latents, then bins of half a
// decade of firing frequency from 1e-5 (x = 1) to 1 (x = 11) (src/sae/sae_metrics.hpp).
const DENSITY_TICKS = [{ v: 0.5, label: 'dead' }, ...[-5, -4, -3, -2, -1, 0].map((e) => ({ v: 11 + 2 * e, label: formatPower(10 ** e) }))];
const VIEW_GROUPS = [
  () => {
    pareto = new XYPlotView($('pareto'), { width: 380, height: 280, x: [0, 40], y: [0, 1],
      xLabel: 'L0 (active latents per sample)', yLabel: 'fraction of variance explained', label: 'L0 against FVE for every run' });
    lossPlot = new XYPlotView($('loss-plot'), { width: 320, height: 140, x: [0, AXIS_STEPS], y: [0, 1], xLabel: 'step', yLabel: 'training loss', label: 'training loss curves' });
  },
  () => {
    l0Plot = new XYPlotView($('l0-plot'), { width: 320, height: 140, x: [0, AXIS_STEPS], y: [0, 40], xLabel: 'step', yLabel: 'held-out L0', label: 'L0 curves' });
    fvePlot = new XYPlotView($('fve-plot'), { width: 320, height: 140, x: [0, AXIS_STEPS], y: [0, 1], xLabel: 'step', yLabel: 'held-out FVE', label: 'FVE curves' });
  },
  () => {
    density = new XYPlotView($('density'), { width: 360, height: 200, x: [0, 11], y: [0, 1], xTicks: DENSITY_TICKS,
      xLabel: 'firing frequency (log scale)', yLabel: 'latents', label: 'feature density histograms' });
    dictionary = new DictionaryView($('dictionary'), { width: 420 });
  },
  () => {
    paretoF1 = new XYPlotView($('pareto-f1'), { width: 380, height: 220, x: [0, 40], y: [0, 1],
      xLabel: 'L0 (active latents per sample)', yLabel: 'mean F1', label: 'L0 against mean F1 for every run' });
    paretoMcc = new XYPlotView($('pareto-mcc'), { width: 380, height: 220, x: [0, 40], y: [0, 1],
      xLabel: 'L0 (active latents per sample)', yLabel: 'MCC', label: 'L0 against MCC for every run' });
  },
  () => {
    hierarchy = new HierarchyView($('hierarchy'), { width: 400, height: 300 });
    // x reaches further right than left: room for the tips' labels ("3 dead"); about as many pixels per unit on both axes.
    arrows = new XYPlotView($('arrows'), { width: 300, height: 260, x: [-1.2, 1.6], y: [-1.2, 1.2], xLabel: 'h₁', yLabel: 'h₂', label: 'decoder directions over the true feature arrows' });
  },
];
$('arrows').hidden = true;
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
async function makeViews() {
  for (const make of VIEW_GROUPS) {
    await nextTask();
    make();
  }
  viewsMade = true;
  if (S.lastFrame) draw(S.lastFrame);
}

// ---- drawing in animation frames ------------------------------------------------------------
// A frame's tables, legends and which panels show are set when it arrives (draw, below); its
// plots are drawn in animation frames: later(view, data) keeps each view's latest data (null: a
// reset) and the views are drawn in turn until FRAME_BUDGET_MS of script is spent (one at least),
// the rest in the next animation frames (a view waiting keeps its place, so none starves while
// frames keep coming). Drawn in the merged frame's task, every plot at once, the first frame of
// the five architectures took 46–62 ms of CPU and the frames of a long run 20 ms and more
// (issue 18: no main-thread task over 50 ms). 8 ms, as the toy page's: a smaller budget spreads
// one frame's plots over more animation frames, each with its own layout, paint and commit.
const FRAME_BUDGET_MS = 8;
const pending = new Map();  // view → its latest data (null: reset), in the order they waited
let drawAsked = false;
function later(view, data) {
  pending.set(view, data);
  if (!drawAsked) { drawAsked = true; requestAnimationFrame(drawPending); }
}
function drawPending() {
  drawAsked = false;
  const until = performance.now() + FRAME_BUDGET_MS;
  for (const [view, data] of pending) {
    pending.delete(view);
    if (data === null) view.reset();
    else view.update(data);
    if (performance.now() > until) break;
  }
  if (pending.size && !drawAsked) { drawAsked = true; requestAnimationFrame(drawPending); }
}

function runName(r) {
  if (S.config && S.config.loaded) return `${r.arch} (loaded SAELens, ${S.config.loaded.d_sae} latents)`;
  const k = saeUsesK(r.arch);
  return `${r.arch} ${k ? `k=${r.k}` : `λ=${r.l1}`}`;
}

// The ground-truth metrics, their L0–F1 and L0–MCC paths, and the hierarchy view: shown when
// the data has true features whose firing is known (synthetic, hierarchical).
function drawTruth(b, runs, m, maxL0) {
  const t = b.truth_metrics ? b.truth_metrics.data : null;
  const known = !!t && Number.isFinite(t[4]);
  $('truth-panel').hidden = !known;
  $('truth-pareto-panel').hidden = !known;
  if (!known) { $('hierarchy-panel').hidden = true; return; }
  const R = runs.length;
  const body = $('truth').querySelector('tbody');
  if (body.children.length !== R) {
    body.replaceChildren();
    for (const r of runs) {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.textContent = runName(r);
      th.style.color = COLORS[r.arch];
      tr.appendChild(th);
      for (let c = 0; c < TRUTH.length; c++) tr.appendChild(document.createElement('td'));
      body.appendChild(tr);
    }
  }
  const fmt = (v) => (Number.isFinite(v) ? v.toFixed(3) : '–');
  body.querySelectorAll('tr').forEach((tr, r) => tr.querySelectorAll('td').forEach((td, c) => { td.textContent = fmt(t[r * 7 + c]); }));
  for (const [plot, key, col] of [[paretoF1, 'f1', 4], [paretoMcc, 'mcc', 0]]) {
    plot.setRange({ x: [0, Math.ceil(maxL0 * 1.1)] });
    const lines = [], points = [];
    for (let r = 0; r < R; r++) {
      const color = COLORS[runs[r].arch], path = [];
      for (const h of S.history) if (Number.isFinite(h[key][r])) path.push(h.l0[r], h[key][r]);
      lines.push({ xy: path, color, width: 1.2 });
      if (Number.isFinite(t[r * 7 + col])) points.push({ x: m[r * 8], y: t[r * 7 + col], color, r: 5, label: runName(runs[r]) });
    }
    later(plot, { lines, points, legend: [...new Set(runs.map((r) => r.arch))].map((arch) => ({ label: arch, color: COLORS[arch] })) });
  }
  drawHierarchy(b, runs);
}

function drawHierarchy(b, runs) {
  const panel = $('hierarchy-panel');
  if (!b.hierarchy_firing || !b.parents) { panel.hidden = true; return; }
  panel.hidden = false;
  const menu = $('parent');
  const parents = b.parents.data;
  if (menu.options.length !== parents.length) {
    menu.replaceChildren();
    for (const p of parents) {
      const o = document.createElement('option');
      o.value = String(p);
      o.textContent = `feature ${p}`;
      menu.appendChild(o);
    }
  }
  menu.value = String(S.state.parent);
  const sel = Math.min(runs.length - 1, Number($('run-select').value) || 0);
  const fam = b.hierarchy_features.data;
  const C = fam.length;
  const [, rows, cols] = b.hierarchy_firing.shape;
  const partner = b.hierarchy_latents.data.subarray(sel * C, (sel + 1) * C);
  const labels = [];
  for (let c = 0; c < C; c++) labels.push(c === 0 ? `parent ${fam[c]}` : `child ${fam[c]}`);
  for (let c = 0; c < C; c++) labels.push(partner[c] >= 0 ? `latent ${partner[c]}` : 'no latent');
  later(hierarchy, { values: b.hierarchy_firing.data.subarray(sel * rows * cols, (sel + 1) * rows * cols), rows, cols, labels, split: C });
  const a = b.hierarchy_absorption ? b.hierarchy_absorption.data[sel] : NaN;
  $('parent-absorption').textContent = Number.isFinite(a) ? `${(100 * a).toFixed(0)}% (${runName(runs[sel])})` : '–';
}

function fillRunTable(runs) {
  $('truth').querySelector('tbody').replaceChildren();  // drawTruth refills it
  const body = $('metrics').querySelector('tbody');
  body.replaceChildren();
  const sel = $('run-select');
  const keep = sel.value;
  sel.replaceChildren();
  runs.forEach((r, i) => {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.textContent = runName(r);
    th.style.color = COLORS[r.arch];
    tr.appendChild(th);
    for (let c = 0; c < METRICS.length; c++) tr.appendChild(document.createElement('td'));
    body.appendChild(tr);
    const o = document.createElement('option');
    o.value = String(i);
    o.textContent = runName(r);
    sel.appendChild(o);
  });
  if (keep && Number(keep) < runs.length) sel.value = keep;
}

// One point per frame for the curves and the L0–FVE paths.
function record(f) {
  const b = f.buffers;
  if (!S.config || !b.metrics) return;
  const R = S.config.runs.length;
  const m = b.metrics.data;
  const t = b.truth_metrics ? b.truth_metrics.data : null;
  S.history.push({ step: f.step, l0: Array.from({ length: R }, (_, r) => m[r * 8]), fve: Array.from({ length: R }, (_, r) => m[r * 8 + 2]),
    f1: Array.from({ length: R }, (_, r) => (t ? t[r * 7 + 4] : NaN)), mcc: Array.from({ length: R }, (_, r) => (t ? t[r * 7] : NaN)) });
  if (f.trace && f.trace.steps.length) {
    for (let t = 0; t < f.trace.steps.length; t++) S.lossTrace.push([f.trace.steps[t], Array.from(f.trace.loss.subarray(t * R, (t + 1) * R))]);
  }
}

function draw(f) {
  const b = f.buffers;
  if (!viewsMade || !S.config || !b.metrics) return;
  const runs = S.config.runs;
  const R = runs.length;
  const m = b.metrics.data;
  const fmt = (v, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : '–');
  const rows = $('metrics').querySelectorAll('tbody tr');
  for (let r = 0; r < R && r < rows.length; r++) {
    const cells = rows[r].querySelectorAll('td');
    METRICS.forEach((name, c) => { cells[c].textContent = fmt(m[r * 8 + c], c === 0 ? 2 : 3); });
  }
  const maxL0 = Math.max(8, ...S.history.map((h) => Math.max(...h.l0.filter(Number.isFinite))));
  pareto.setRange({ x: [0, Math.ceil(maxL0 * 1.1)] });
  l0Plot.setRange({ y: [0, Math.ceil(maxL0 * 1.1)] });
  const steps = Math.max(runSteps(), f.step);
  for (const p of [lossPlot, l0Plot, fvePlot]) p.setRange({ x: [0, steps] });
  const lines = [], points = [], l0Lines = [], fveLines = [], lossLines = [];
  let maxLoss = 0;
  for (const [, l] of S.lossTrace) for (const v of l) if (Number.isFinite(v)) maxLoss = Math.max(maxLoss, v);
  lossPlot.setRange({ y: [0, maxLoss || 1] });
  for (let r = 0; r < R; r++) {
    const color = COLORS[runs[r].arch];
    const path = [], l0s = [], fves = [], losses = [];
    for (const h of S.history) {
      path.push(h.l0[r], Math.max(0, h.fve[r]));
      l0s.push(h.step, h.l0[r]);
      fves.push(h.step, Math.max(0, h.fve[r]));
    }
    for (const [s, l] of S.lossTrace) losses.push(s, l[r]);
    lines.push({ xy: path, color, width: 1.2 });
    points.push({ x: m[r * 8], y: Math.max(0, m[r * 8 + 2]), color, r: 5, label: runName(runs[r]) });
    l0Lines.push({ xy: l0s, color, width: 1.5 });
    fveLines.push({ xy: fves, color, width: 1.5 });
    lossLines.push({ xy: losses, color, width: 1.2 });
  }
  // One legend entry per architecture (a sweep's runs share their architecture's colour).
  const legend = [...new Set(runs.map((r) => r.arch))].map((arch) => ({ label: arch, color: COLORS[arch] }));
  later(pareto, { lines, points });
  later(l0Plot, { lines: l0Lines });
  later(fvePlot, { lines: fveLines });
  later(lossPlot, { lines: lossLines, legend });
  drawTruth(b, runs, m, maxL0);
  // density histograms, one step line per run
  const hist = b.density_histogram;
  const nb = hist.shape[1];
  let top = 1;
  for (const v of hist.data) top = Math.max(top, v);
  density.setRange({ y: [0, top * 1.05] });
  const hl = [];
  for (let r = 0; r < R; r++) {
    const xy = [];
    for (let i = 0; i < nb; i++) xy.push(i, hist.data[r * nb + i], i + 1, hist.data[r * nb + i]);
    hl.push({ xy, color: COLORS[runs[r].arch], width: 1.5 });
  }
  later(density, { lines: hl, legend });
  // dictionary of the selected run
  const sel = Math.min(R - 1, Number($('run-select').value) || 0);
  if (b.matched_decoder && b.true_features) {
    const [rows, d] = b.true_features.shape;
    const F = b.match_cosine.shape[1];
    later(dictionary, { truth: b.true_features.data, matched: b.matched_decoder.data.subarray(sel * rows * d, (sel + 1) * rows * d),
      cosine: b.match_cosine.data.subarray(sel * F, sel * F + rows), rows, d });
  } else later(dictionary, null);
  // 2-D data: decoder directions (coloured; dead ones grey, dashed) over the true feature arrows (black)
  if (b.W_dec && b.true_directions && b.W_dec.shape[1] === 2) {
    $('arrows').hidden = false;
    const L = b.W_dec.shape[2];
    const F = b.true_directions.shape[1];
    const al = [];
    const tips = [];
    for (let j = 0; j < F; j++) al.push({ xy: [0, 0, b.true_directions.data[j], b.true_directions.data[F + j]], color: '#111', width: 2.5 });
    const base = sel * 2 * L;
    const color = COLORS[runs[sel].arch];
    let dead = 0;
    for (let i = 0; i < L; i++) {
      const isDead = b.latent_frequency ? b.latent_frequency.data[sel * L + i] === 0 : false;
      dead += isDead;
      const x = b.W_dec.data[base + i], y = b.W_dec.data[base + L + i];
      al.push({ xy: [0, 0, x, y], color: isDead ? DEAD : color, width: isDead ? 1.2 : 1.8, dash: isDead ? [3, 3] : [] });
      tips.push({ x, y, color: isDead ? DEAD : color, r: 2.5, label: isDead ? `${i} dead` : String(i) });
    }
    later(arrows, { lines: al, points: tips });
    const legend = $('arrows-legend');
    legend.hidden = false;
    legend.textContent = `Black: the ${F} true feature directions. Coloured: the decoder directions of ${runName(runs[sel])}` +
      ` (numbered). Grey, dashed: dead latents, silent on the held-out batch (${dead} of ${L}` +
      `${S.state.resample === 1 ? '' : '; resampling is off'}).`;
  } else {
    $('arrows').hidden = true;
    $('arrows-legend').hidden = true;
  }
}

client.onFrame((f) => {
  const loaded = S.config && S.config.loaded;
  record(f);
  draw(f);
  if (!f.running && (f.done || loaded)) saelens.prefetch();  // the save button's files, ahead of a click
});

// ---- controls -------------------------------------------------------------------------------
function syncControls(s) {
  $('data').value = s.data;
  const on = s.archs;
  for (const box of document.querySelectorAll('fieldset.archs input')) box.checked = on.includes(box.value);
  $('l1').value = String(s.l1);
  $('l1-value').textContent = Number(s.l1).toFixed(2);
  $('k').value = String(s.k);
  $('k-value').textContent = String(s.k);
  $('latents').value = String(s.latents);
  // The toy data (ARENA) always trains 5 latents, one per true feature: the menu does not apply.
  $('latents').disabled = s.data === 'toy';
  $('latents').title = s.data === 'toy' ? 'the toy data (ARENA exercise) uses 5 latents, one per true feature' : '';
  $('sweep').checked = s.sweep === 1;
  $('resample').checked = s.resample === 1;
  $('seed').value = String(s.seed);
}

const configure = page.serial(async () => {
  S.done = false;
  S.generation++;
  const a = await client.configure(sessionConfig(S.state), 'sae', S.state.data === 'npy' ? S.npy : undefined);
  S.config = a.config;
  S.history = [];
  S.lossTrace = [];
  fillRunTable(S.config.runs);
  await client.play();
});
function apply() {
  page.writeHash();
  syncControls(S.state);
  if (S.state.data === 'npy' && !S.npy) { $('npy-file').click(); return null; }
  return configure();
}

function bind() {
  syncControls(S.state);
  $('l1').addEventListener('input', (e) => { S.state.l1 = Number(e.target.value); apply(); });
  $('k').addEventListener('input', (e) => { S.state.k = Number(e.target.value); apply(); });
  $('latents').addEventListener('change', (e) => { S.state.latents = Number(e.target.value); apply(); });
  $('sweep').addEventListener('change', (e) => { S.state.sweep = e.target.checked ? 1 : 0; apply(); });
  $('resample').addEventListener('change', (e) => { S.state.resample = e.target.checked ? 1 : 0; apply(); });
  // A data source brings its preset λ and k (SAE_DATA_PRESETS), as from a link (SAE.applyPreset).
  $('data').addEventListener('change', (e) => { SAE.applyPreset(S.state, e.target.value); apply(); });
  $('npy-file').addEventListener('change', async (e) => {
    const file = e.target.files && e.target.files[0];
    if (!file) return;
    if (file.size > 64 * 1024 * 1024) { showError(`${file.name} is larger than 64 MB`); return; }
    S.npy = new Uint8Array(await file.arrayBuffer());
    S.state.data = 'npy';
    apply();
  });
  for (const box of document.querySelectorAll('fieldset.archs input')) {
    box.addEventListener('change', () => {
      const on = Array.from(document.querySelectorAll('fieldset.archs input')).filter((b) => b.checked).map((b) => b.value);
      if (!on.length) { syncControls(S.state); return; }
      S.state.archs = on;
      apply();
    });
  }
  $('seed').addEventListener('change', (e) => {
    const v = Number(e.target.value);
    if (Number.isInteger(v) && v >= 0 && v <= SAE.byName.get('seed').max) { S.state.seed = v; apply(); } else syncControls(S.state);
  });
  $('parent').addEventListener('change', (e) => { S.state.parent = Number(e.target.value); apply(); });
  $('run-select').addEventListener('change', () => {
    if (!S.lastFrame) return;
    draw(S.lastFrame);
    if (!S.lastFrame.running) saelens.prefetch();
  });
  page.toolbar.on('reset', () => { S.generation++; S.history = []; S.lossTrace = []; });
  // A loaded SAE: reset trains this page's own again.
  page.toolbar.set({ reset: () => (S.config && S.config.loaded ? apply() : client.reset()) });
  page.onHashChange(apply);
}

// ---- SAELens files out and in (issue 7) ------------------------------------------------------
S.generation = 0;
const saelens = addSaeLensButtons($('copy-link'), {
  client,
  run: () => Math.min(Math.max(0, Number($('run-select').value) || 0), S.config ? S.config.runs.length - 1 : 0),
  key: () => `${S.generation}:${S.lastFrame ? S.lastFrame.step : -1}:${$('run-select').value}`,
  stem: () => {
    const r = S.config ? S.config.runs[Math.max(0, Number($('run-select').value) || 0)] || S.config.runs[0] : {};
    const k = saeUsesK(r.arch);
    return fileStem('sae', { arch: r.arch, L: S.config && S.config.n_latents, [k ? 'k' : 'l1']: k ? r.k : r.l1,
      data: S.state.data, seed: S.state.seed }, 'saelens');
  },
  onLoaded: (config, name) => {
    S.generation++;
    S.loadedName = name;
    S.config = config;
    S.history = [];
    S.lossTrace = [];
    fillRunTable(config.runs);
    page.hideError();
    page.toolbar.update();
    if (S.lastFrame) draw(S.lastFrame);
    saelens.prefetch();
  },
  onError: showError,
});

S.lossTrace = [];
bind();
makeViews();
client.ready.then(apply);
