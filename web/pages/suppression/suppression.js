// suppression.js: the feature-suppression page (issue 4). The "suppression" session trains the
// plain L1 encoder and its two fixes (scale vector, gated encoder) side by side in the worker,
// plus a sweep of plain L1 runs over c; this module draws a(c) with the trained points and the
// three transfer curves, and keeps the controls in the URL hash (every experiment is a link).
// What it is not: no training logic (the C++ session does it), no framework; every number
// reaches the DOM as textContent or canvas text, never as HTML.
// For tests it exposes `window.superpose` (state, config, lastFrame, done, errors, frameCount).
import { startPage } from '../../lib/page-boot.js';
import { SUPPRESSION } from '../../lib/page-states.js';
import { XYPlotView } from '../../views/xyplot.js';

// The run: short enough that a slider move retrains in a second or two.
const RUN = { steps: 3000, scale_steps: 1000, batch_size: 512 };
const SWEEP = [0.1, 0.3, 0.5, 0.7, 0.9, 1.1, 1.3, 1.5, 1.7, 1.9, 2.1, 2.3];
const FIXES = [
  { key: 'none', name: 'L1 (no fix)', color: '#d9480f' },
  { key: 'scale', name: 'scale vector', color: '#1971c2' },
  { key: 'gated', name: 'gated', color: '#2b8a3e' },
];
const $ = (id) => document.getElementById(id);

// The state table (keys c, p, n, mag, bias, seed) is page-states.js SUPPRESSION.
const page = startPage(SUPPRESSION);
const { S, client, showError } = page;

function sessionConfig(s) {
  return {
    l1: s.c, feature_probability: s.p, magnitude: s.mag, n_features: s.n, decoder_bias: s.bias === 1,
    seed: s.seed, ...RUN, sweep: SWEEP.map((c) => Number((c / s.n).toFixed(4))),
  };
}

// ---- views ----------------------------------------------------------------------------------
const acPlot = new XYPlotView($('ac-plot'), { width: 380, height: 260, x: [0, 2.5], y: [0, 1.25],
  xLabel: 'L1 coefficient c', yLabel: 'activation for x = 1', label: 'activation against c: analytic curve and trained points' });
const transferPlots = FIXES.map((fx) => new XYPlotView($(`transfer-${fx.key}`), { width: 250, height: 220,
  x: [0, 1], y: [0, 1.25], xLabel: 'feature value x', yLabel: 'decoded f(x)', label: `transfer curve, ${fx.name}` }));

function pairs(buf, offset, count) { return buf.data.subarray(offset * 2, (offset + count) * 2); }

function drawAc(f) {
  const b = f.buffers;
  const curve = b.analytic_curve;
  const A = curve.shape[0];
  acPlot.setRange({ x: [0, curve.data[2 * (A - 1)]] });
  const points = [];
  const sweep = b.sweep;
  for (let i = 0; i < sweep.shape[0]; i++) points.push({ x: sweep.data[3 * i], y: sweep.data[3 * i + 1], color: '#868e96', r: 3 });
  const c = S.config ? S.config.l1 : S.state.c;
  points.push({ x: c, y: b.effective_activation.data[1], color: FIXES[1].color, r: 6, ring: true, label: 'scale', dy: 16 });
  points.push({ x: c, y: b.effective_activation.data[2], color: FIXES[2].color, r: 8, ring: true, label: 'gated' });
  points.push({ x: c, y: b.trained_activation.data[0], color: FIXES[0].color, r: 5, label: 'trained' });
  acPlot.update({ lines: [{ xy: curve.data, color: '#111', width: 1.8 }], points });
}

function drawTransfer(f) {
  const t = f.buffers.transfer_curve;
  const G = t.shape[1];
  const identity = { xy: [0, 0, 1, 1], color: '#adb5bd', width: 1, dash: [4, 4] };
  const c = S.config ? S.config.l1 : S.state.c;
  const n = S.config ? S.config.n_features : S.state.n;
  FIXES.forEach((fx, k) => {
    const lines = [identity];
    if (fx.key === 'none' && !(S.config && S.config.decoder_bias)) {
      const th = (c * n) / 2;  // the optimum max(0, x − c·n/2)
      lines.push({ xy: [0, 0, Math.min(1, th), 0, 1, Math.max(0, 1 - th)], color: '#111', width: 1, dash: [2, 3] });
    }
    lines.push({ xy: pairs(t, k * G, G), color: fx.color, width: 2.2 });
    transferPlots[k].update({ lines });
  });
}

function drawTable(f) {
  const b = f.buffers;
  const fmt = (v) => (Number.isFinite(v) ? v.toFixed(3) : '–');
  FIXES.forEach((fx, k) => {
    const row = $(`row-${fx.key}`);
    const cells = row.querySelectorAll('td');
    cells[0].textContent = fmt(b.trained_activation.data[k]);
    cells[1].textContent = fmt(b.effective_activation.data[k]);
    cells[2].textContent = fmt(b.relative_reconstruction_bias.data[k]);
    cells[3].textContent = fmt(b.loss.data[k]);
    cells[4].textContent = `${b.step.data[k]} / ${b.total_steps.data[k]}`;
  });
  $('scale-value').textContent = b.scale.data.length ? Array.from(b.scale.data, (v) => v.toFixed(3)).join(', ') : '–';
  $('analytic-value').textContent = fmt(b.analytic_activation.data[0]);
}

client.onFrame((f) => {
  $('status').textContent = f.done ? `trained (${f.step} steps)` : `training… step ${f.step}`;
  drawAc(f);
  drawTransfer(f);
  drawTable(f);
});

// ---- controls -------------------------------------------------------------------------------
function syncControls(s) {
  $('c').value = String(s.c);
  $('c-value').textContent = Number(s.c).toFixed(2);
  $('p').value = String(s.p);
  $('p-value').textContent = Number(s.p).toFixed(2);
  $('n').value = String(s.n);
  $('mag').value = s.mag;
  $('bias').checked = s.bias === 1;
  $('seed').value = String(s.seed);
  $('formula-a').textContent = s.bias === 1
    ? 'with a decoder bias b: a = 1 − c·n / (2(1 − p)),  b = p·c·n / (2(1 − p))'
    : 'a = 1 − c·n/2   (0 once c·n ≥ 2; independent of p)';
}

const configure = page.serial(async () => {
  S.done = false;
  const a = await client.configure(sessionConfig(S.state), 'suppression');
  S.config = a.config;
  await client.play();
});
function apply() {
  page.writeHash();
  syncControls(S.state);
  return configure();
}

function bind() {
  syncControls(S.state);
  for (const key of ['c', 'p']) {
    $(key).addEventListener('input', (e) => { S.state[key] = Number(e.target.value); apply(); });
  }
  $('n').addEventListener('change', (e) => { S.state.n = Number(e.target.value); apply(); });
  $('mag').addEventListener('change', (e) => { S.state.mag = e.target.value; apply(); });
  $('bias').addEventListener('change', (e) => { S.state.bias = e.target.checked ? 1 : 0; apply(); });
  $('seed').addEventListener('change', (e) => {
    const v = Number(e.target.value);
    if (Number.isInteger(v) && v >= 0 && v <= SUPPRESSION.byName.get('seed').max) { S.state.seed = v; apply(); } else syncControls(S.state);
  });
  $('retrain').addEventListener('click', async () => {
    try { S.done = false; await client.reset(); await client.play(); } catch (e) { showError(e.message); }
  });
  page.onHashChange(apply);
}

bind();
client.ready.then(apply);
