// grok.js: the grokking page (issue 10). The "grok" session trains the Gromov MLP (or its
// residual-stream variant) full-batch in the worker, one epoch per step; this module draws the
// train/test accuracy and loss on a log-epoch axis, the weight norm, the embedding's Fourier
// spectrum and, for the residual model, the paths' contributions and ablations, and keeps the
// controls in the URL hash (every experiment is a link).
// What it is not: no training logic (the C++ session does it), no framework; every number
// reaches the DOM as textContent or canvas text, never as HTML.
// For tests it exposes `window.superpose` (state, config, lastFrame, done, errors, frameCount).
import { startPage } from '../../lib/page-boot.js';
import { GROK, GROK_PRESETS as PRESETS } from '../../lib/page-states.js';
import { XYPlotView } from '../../views/xyplot.js';

// The state table (keys p, width, frac, wd, lr, model, loss, seed) and the presets that grok and
// that memorise are page-states.js GROK and GROK_PRESETS.
const EPOCHS = 1500;
const TRAIN = '#1971c2';
const TEST = '#d9480f';
const $ = (id) => document.getElementById(id);

// The toolbar (page-boot.js) counts epochs (one full-batch step each) and says the test accuracy.
const page = startPage(GROK, { toolbar: { chunk: 10, unit: 'epoch', status: (f, word) => `${word} · test ${testAccuracy(f)}` } });
const { S, client } = page;

function sessionConfig(s) {
  return {
    p: s.p, width: s.width, d_model: 32, train_fraction: s.frac, weight_decay: s.wd, lr: s.lr,
    model: s.model, loss: s.loss, seed: s.seed, epochs: EPOCHS,
    eval_every: s.p * s.p * s.width > 1e6 ? 10 : 2,  // test metrics cost a forward over the test pairs
  };
}

// ---- views ----------------------------------------------------------------------------------
// Accuracy and loss against the epoch on a log axis labelled in epochs (1, 10, 100, 1k); the
// history's first row, epoch 0, is drawn at the axis's left end, epoch 1.
const LEGEND = [{ label: 'train', color: TRAIN }, { label: 'test', color: TEST }];
const accPlot = new XYPlotView($('acc-plot'), { width: 400, height: 240, x: [1, EPOCHS], xScale: 'log', y: [0, 1.02],
  xLabel: 'epoch (log scale)', yLabel: 'accuracy', legend: LEGEND, label: 'train and test accuracy against the epoch, log axis' });
const lossPlot = new XYPlotView($('loss-plot'), { width: 400, height: 240, x: [1, EPOCHS], xScale: 'log', y: [1e-5, 10], yScale: 'log',
  xLabel: 'epoch (log scale)', yLabel: 'loss (log scale)', legend: LEGEND, label: 'train and test loss against the epoch, log axes' });
const normPlot = new XYPlotView($('norm-plot'), { width: 400, height: 240, x: [0, EPOCHS], y: [0, 60],
  xLabel: 'epoch', yLabel: '‖θ‖₂', label: 'total weight norm against epoch' });
const specPlot = new XYPlotView($('spectrum-plot'), { width: 400, height: 240, x: [0, 48], y: [0, 1],
  xLabel: 'frequency k  /  rows sorted', yLabel: 'share (grey: of the largest)', label: 'Fourier spectrum of the embedding' });

// The history, one named column per quantity (docs/wasm-api.md, kind grok); each frame carries
// their current length.
function curves(b) {
  const epoch = b.history_epoch.data, trainAcc = b.history_train_acc.data, testAcc = b.history_test_acc.data;
  const trainLoss = b.history_train_loss.data, testLoss = b.history_test_loss.data;
  const weightNorm = b.history_weight_norm.data;
  const H = epoch.length;
  const acc = [[], []];
  const loss = [[], []];
  const norm = [];
  let lossMin = 1;
  let normMax = 1;
  for (let i = 0; i < H; i++) {
    const x = Math.max(1, epoch[i]);
    acc[0].push(x, trainAcc[i]);
    acc[1].push(x, testAcc[i]);
    const lt = Math.max(trainLoss[i], 1e-12);
    const lv = Math.max(testLoss[i], 1e-12);
    loss[0].push(x, lt);
    loss[1].push(x, lv);
    lossMin = Math.min(lossMin, lt, lv);
    norm.push(epoch[i], weightNorm[i]);
    normMax = Math.max(normMax, weightNorm[i]);
  }
  accPlot.update({ lines: [{ xy: acc[0], color: TRAIN, width: 2 }, { xy: acc[1], color: TEST, width: 2 }] });
  lossPlot.setRange({ y: [10 ** Math.floor(Math.log10(lossMin)), 10] });
  lossPlot.update({ lines: [{ xy: loss[0], color: TRAIN, width: 2 }, { xy: loss[1], color: TEST, width: 2 }] });
  normPlot.setRange({ y: [0, Math.ceil(normMax * 1.1)] });
  normPlot.update({ lines: [{ xy: norm, color: '#111', width: 2 }] });
  const t = b.thresholds.data;
  const ep = (v) => (v >= 0 ? String(v) : 'not yet');
  $('t-train').textContent = ep(t[0]);
  $('t-50').textContent = ep(t[1]);
  $('t-99').textContent = ep(t[2]);
  $('norm-value').textContent = b.weight_norm.data[0].toFixed(2);
}

function spectrum(b) {
  const s = b.spectrum.data;
  const F = s.length;
  let top = 0;
  for (let k = 0; k < F; k++) top = Math.max(top, s[k]);
  // Each row's own-frequency share, rows sorted by it, as a curve over [0, F - 1].
  const rs = b.row_spectrum;
  const [R, G] = rs.shape;
  const own = new Float32Array(R);
  for (let r = 0; r < R; r++) { let m = 0; for (let k = 0; k < G; k++) m = Math.max(m, rs.data[r * G + k]); own[r] = m; }
  own.sort();
  const curve = [];
  for (let r = 0; r < R; r++) curve.push(((F - 1) * r) / Math.max(1, R - 1), own[r]);
  specPlot.setRange({ x: [0, F - 1], y: [0, 1] });
  const lines = [];
  for (let k = 0; k < F; k++) lines.push({ xy: [k, 0, k, s[k] / Math.max(top, 1e-9)], color: '#adb5bd', width: 3 });
  lines.push({ xy: curve, color: '#111', width: 2 });
  specPlot.update({ lines });
  $('conc-value').textContent = `${(100 * b.fourier_concentration.data[0]).toFixed(1)}%`;
  $('top-value').textContent = Array.from(b.top_frequencies.data).join(', ');
}

function paths(b) {
  const panel = $('paths-panel');
  panel.hidden = !b.ablation;
  if (!b.ablation) return;
  const pct = (v) => `${(100 * v).toFixed(1)}%`;
  ['direct', 'mlp'].forEach((name, i) => {
    const cells = $(`row-${name}`).querySelectorAll('td');
    cells[0].textContent = b.contributions.data[i].toFixed(3);
    for (let m = 0; m < 3; m++) cells[1 + m].textContent = pct(b.ablation.data[3 * i + m]);
  });
  $('clean-value').textContent = pct(b.clean_accuracy.data[0]);
}

/** The latest test accuracy, as "93.1%" ('–' before the first evaluation). */
function testAccuracy(f) {
  const h = f.buffers && f.buffers.history_test_acc ? f.buffers.history_test_acc.data : [];
  return h.length ? `${(100 * h[h.length - 1]).toFixed(1)}%` : '–';
}

client.onFrame((f) => {
  const b = f.buffers;
  if (!b || !b.history_test_acc) return;
  curves(b);
  spectrum(b);
  paths(b);
});

// ---- controls -------------------------------------------------------------------------------
function presetOf(s) {
  for (const [id, p] of Object.entries(PRESETS)) if (Object.entries(p).every(([k, v]) => s[k] === v)) return id;
  return '';
}

function syncControls(s) {
  $('p').value = String(s.p);
  $('width').value = String(s.width);
  $('width-value').textContent = String(s.width);
  $('frac').value = String(s.frac);
  $('frac-value').textContent = Number(s.frac).toFixed(2);
  $('wd').value = String(s.wd);
  $('wd-value').textContent = Number(s.wd).toFixed(1);
  $('lr').value = String(s.lr);
  $('model').value = s.model;
  $('loss').value = s.loss;
  $('seed').value = String(s.seed);
  $('preset').value = presetOf(s);
}

const apply = page.trainOnChange('grok', sessionConfig, syncControls, () => accPlot.reset());

function bind() {
  syncControls(S.state);
  for (const [id, key] of [['width', 'width'], ['frac', 'frac'], ['wd', 'wd']]) {
    $(id).addEventListener('change', (e) => { S.state[key] = Number(e.target.value); apply(); });
    $(id).addEventListener('input', (e) => { $(`${id}-value`).textContent = e.target.value; });
  }
  for (const key of ['p', 'lr']) $(key).addEventListener('change', (e) => { S.state[key] = Number(e.target.value); apply(); });
  for (const key of ['model', 'loss']) $(key).addEventListener('change', (e) => { S.state[key] = e.target.value; apply(); });
  $('preset').addEventListener('change', (e) => {
    const p = PRESETS[e.target.value];
    if (p) { Object.assign(S.state, p); apply(); }
  });
  $('seed').addEventListener('change', (e) => {
    const v = Number(e.target.value);
    if (Number.isInteger(v) && v >= 0 && v <= GROK.byName.get('seed').max) { S.state.seed = v; apply(); } else syncControls(S.state);
  });
  page.toolbar.on('reset', () => accPlot.reset());
  page.onHashChange(apply);
}

bind();
client.ready.then(apply);
