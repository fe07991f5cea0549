// suppression.js: the feature-suppression page (issue 4). The "suppression" session trains the
// plain L1 encoder and its two fixes (scale vector, gated encoder) side by side, plus a sweep of
// plain L1 runs over c, in a worker pool (lib/pool.js; the runs shared out by lib/shards.js
// SUPPRESSION_SHARDS, one worker per core); this module draws a(c) with the trained points and the
// three transfer curves, and keeps the controls in the URL hash (every experiment is a link).
// What it is not: no training logic (the C++ session does it), no framework; every number
// reaches the DOM as textContent or canvas text, never as HTML.
// With several features it draws one latent per feature (1 − c·n/2, dashed) beside the trained
// points, which is not their optimum (src/suppression/analytic.hpp), and says which loss is lower.
// For tests it exposes `window.superpose` (state, config, lastFrame, done, errors, frameCount,
// acLabels: the labels of a(c) as drawn).
import { startPage } from '../../lib/page-boot.js';
import { SUPPRESSION } from '../../lib/page-states.js';
import { SUPPRESSION_SHARDS } from '../../lib/shards.js';
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

// The state table (keys c, p, n, mag, bias, seed, workers) is page-states.js SUPPRESSION.
const page = startPage(SUPPRESSION, { toolbar: { chunk: 10 }, pool: SUPPRESSION_SHARDS });
const { S, client } = page;

function sessionConfig(s) {
  return {
    l1: s.c, feature_probability: s.p, magnitude: s.mag, n_features: s.n, decoder_bias: s.bias === 1,
    seed: s.seed, ...RUN, sweep: SWEEP.map((c) => Number((c / s.n).toFixed(4))),
  };
}

// ---- views ----------------------------------------------------------------------------------
const acPlot = new XYPlotView($('ac-plot'), { width: 380, height: 260, x: [0, 2.5], y: [0, 1.25],
  xLabel: 'L1 coefficient c', yLabel: 'activation for x = 1', label: 'activation against c: the optimum and trained points' });
const transferPlots = FIXES.map((fx) => new XYPlotView($(`transfer-${fx.key}`), { width: 250, height: 220,
  x: [0, 1], y: [0, 1.25], xLabel: 'feature value x', yLabel: 'decoded f(x)', label: `transfer curve, ${fx.name}` }));

function pairs(buf, offset, count) { return buf.data.subarray(offset * 2, (offset + count) * 2); }

// The labelled points of a(c) all sit at the configured c: labels closer than MIN_GAP (in units of
// a; the plot is 1.25 units over ~216 px, so ~17 px) are joined into one ("scale, gated") at the
// highest of them, so they never pile up. Exposed as S.acLabels for the tests.
const MIN_GAP = 0.1;
function joinLabels(points) {
  const labelled = points.filter((p) => p.label && Number.isFinite(p.y)).sort((a, b) => b.y - a.y);
  const groups = [];
  for (const p of labelled) {
    const g = groups[groups.length - 1];
    if (g && g.top - p.y < MIN_GAP) { g.names.push(p.label); p.label = ''; } else groups.push({ top: p.y, names: [p.label], head: p });
  }
  for (const g of groups) g.head.label = g.names.join(', ');
  return groups.map((g) => ({ label: g.head.label, x: g.head.x, y: g.top }));
}

function drawAc(f) {
  const b = f.buffers;
  const curve = b.analytic_curve;
  const mono = b.monosemantic_curve;
  const A = curve.shape[0];
  acPlot.setRange({ x: [0, curve.data[2 * (A - 1)]] });
  const points = [];
  const sweep = b.sweep;
  for (let i = 0; i < sweep.shape[0]; i++) points.push({ x: sweep.data[3 * i], y: sweep.data[3 * i + 1], color: '#868e96', r: 3 });
  const c = S.config ? S.config.l1 : S.state.c;
  const labelled = [
    { x: c, y: b.effective_activation.data[1], color: FIXES[1].color, r: 6, ring: true, label: 'scale' },
    { x: c, y: b.effective_activation.data[2], color: FIXES[2].color, r: 8, ring: true, label: 'gated' },
    { x: c, y: b.trained_activation.data[0], color: FIXES[0].color, r: 5, label: 'trained' },
  ];
  S.acLabels = joinLabels(labelled);
  points.push(...labelled);
  const lines = [];
  // One latent per feature (dashed) where it differs from the optimum, i.e. n ≥ 2.
  if (!Number.isFinite(b.analytic_activation.data[0])) lines.push({ xy: mono.data, color: '#868e96', width: 1.5, dash: [6, 4] });
  lines.push({ xy: curve.data, color: '#111', width: 1.8 });
  acPlot.update({ lines, points });
}

// The transfer plot of the plain L1 encoder draws max(0, x − c·n/2) dotted without a decoder
// bias: the optimum for n = 1, one latent per feature for n ≥ 2.
function dottedTransfer(cfg) { return !cfg.decoder_bias; }

function drawTransfer(f) {
  const t = f.buffers.transfer_curve;
  const G = t.shape[1];
  const identity = { xy: [0, 0, 1, 1], color: '#adb5bd', width: 1, dash: [4, 4] };
  const cfg = S.config || { l1: S.state.c, n_features: S.state.n, decoder_bias: S.state.bias === 1 };
  FIXES.forEach((fx, k) => {
    const lines = [identity];
    if (fx.key === 'none' && dottedTransfer(cfg)) {
      const th = (cfg.l1 * cfg.n_features) / 2;
      lines.push({ xy: [0, 0, Math.min(1, th), 0, 1, Math.max(0, 1 - th)], color: '#111', width: 1, dash: [2, 3] });
    }
    lines.push({ xy: pairs(t, k * G, G), color: fx.color, width: 2.2 });
    transferPlots[k].update({ lines });
  });
}

const fmt = (v) => (Number.isFinite(v) ? v.toFixed(3) : '–');

// The texts that name curves: they follow what is drawn (n, decoder bias, magnitudes).
function describe(cfg, b) {
  const n = cfg.n_features;
  const bias = cfg.decoder_bias;
  const uniform = cfg.magnitude === 'uniform';
  const several = n > 1;
  $('formula-loss').textContent = several
    ? `minimise  E[‖y − x‖²/${n} + c·Σ f]  over the encoder and a unit-norm decoder${bias ? ' with its bias' : ''}, ${n} co-active features`
    : bias ? 'minimise  p·(1 − a − b)² + (1 − p)·b² + c·p·a  over a ≥ 0 and the bias b' : 'minimise  p·[(1 − a)² + c·a]  over a ≥ 0';
  let formula;
  if (several) formula = `one latent per feature: a = 1 − c·n${bias ? ' / (2(1 − p))' : '/2'} (dashed) — not the optimum with co-active features`;
  else if (bias && uniform) formula = 'with a decoder bias and uniform magnitudes: no closed form derived (no curve)';
  else if (bias) formula = 'with a decoder bias b: a = 1 − c / (2(1 − p)),  b = p·c / (2(1 − p))';
  else formula = 'a = 1 − c/2   (0 once c ≥ 2; independent of p)';
  $('formula-a').textContent = formula;
  $('formula-transfer-none').textContent = bias
    ? 'f(x) = ReLU(w_e·x + b_e);  with a decoder bias no closed form here'
    : several ? `f(x) = ReLU(w_e·x + b_e);  one latent per feature: max(0, x − c·${n}/2)` : 'f(x) = ReLU(w_e·x + b_e);  optimum max(0, x − c/2)';
  $('formula-transfer-scale').textContent = several || bias
    ? 'f_s = s ⊙ f,  s fitted on ‖y − x‖² alone'
    : 'f_s = s ⊙ f,  s fitted on ‖y − x‖² alone;  s* = 1/(1 − c/2)';
  $('transfer-explain').textContent = [
    'Grey dashes: the identity (no suppression).',
    bias ? 'No black dots: with a decoder bias the bias carries part of each feature, and no closed form of the transfer curve is derived here.'
      : several ? `Black dots: one latent per feature, max(0, x − c·${n}/2); not the optimum with co-active features (see a(c)).`
        : 'Black dots: the L1 optimum, a soft threshold: values below c/2 vanish, larger ones come back c/2 too small.',
  ].join(' ');
  if (!b) return;
  const a = b.analytic_activation.data[0];
  const dots = 'Orange dot: the L1 encoder trained at this c; grey dots: L1 encoders trained over c. Rings: what the two fixes decode for a feature alone at x = 1.';
  let explain;
  if (Number.isFinite(a)) explain = `Black: the optimum; at this c a = ${fmt(a)}. ${dots}`;
  else if (several) {
    explain = `Grey dashes: one latent per feature, a = ${fmt(b.monosemantic_activation.data[0])} at this c. It is not the optimum here: `
      + 'two features are active together with probability p², and a latent that also writes a little of its co-active neighbour '
      + 'pays less L1 for the same reconstruction, so training leaves it. No closed form of the optimum is derived: the trained '
      + `points are measured (they match a brute-force minimisation of the exact loss). ${dots}`;
  } else explain = `No closed form with a decoder bias and uniform magnitudes, so no curve. ${dots}`;
  $('ac-explain').textContent = explain;
  const [trained, monoLoss, bound] = b.expected_loss.data;
  const verdict = $('loss-verdict');
  verdict.hidden = !several;
  if (several) {
    if (!Number.isFinite(trained)) verdict.textContent = 'Exact expected losses are computed for binary magnitudes only.';
    else {
      const which = trained < monoLoss - 1e-4
        ? `the trained encoder is the better optimum; its latents mix features (decoder mixing ${fmt(b.decoder_mixing.data[0])}), and a feature alone comes back as ${fmt(b.trained_activation.data[0])}.`
        : trained > monoLoss + 1e-4 ? 'training stopped above one latent per feature (a local optimum, or too few steps).'
          : 'the trained encoder is at one latent per feature.';
      verdict.textContent = `Exact expected loss at this c: trained ${fmt(trained)}, one latent per feature ${fmt(monoLoss)}`
        + `${Number.isFinite(bound) ? `, no dictionary below ${fmt(bound)}` : ''}: ${which}`;
    }
  }
}

// Why a fix does not decode 1 (fix_outcome codes, docs/wasm-api.md), in words.
function fixNote(name, code, b, k) {
  const e = fmt(b.effective_activation.data[k]);
  if (code === 2) return `${name} decodes 0, not 1: no latent fires for a feature alone, so there is nothing to ${k === 1 ? 'rescale' : 'gate'}.`;
  if (code === 3) {
    return `${name} decodes ${e}, not 1: its latents mix features (decoder mixing ${fmt(b.decoder_mixing.data[k])}), and `
      + (k === 1 ? 'one scale per latent cannot return each feature alone to 1 (it makes the data’s reconstruction unbiased: γ).'
        : 'its gates open for co-active groups rather than for a feature alone.');
  }
  if (code === 4) return `${name} decodes ${e}, not 1 (more steps may help).`;
  return '';
}

function drawTable(f) {
  const b = f.buffers;
  FIXES.forEach((fx, k) => {
    const row = $(`row-${fx.key}`);
    const cells = row.querySelectorAll('td');
    cells[0].textContent = fmt(b.trained_activation.data[k]);
    cells[1].textContent = fmt(b.effective_activation.data[k]);
    cells[2].textContent = b.dead.data[k] ? 'dead' : fmt(b.relative_reconstruction_bias.data[k]);
    cells[3].textContent = fmt(b.loss.data[k]);
    cells[4].textContent = `${b.step.data[k]} / ${b.total_steps.data[k]}`;
  });
  $('scale-value').textContent = b.scale.data.length ? Array.from(b.scale.data, (v) => v.toFixed(3)).join(', ') : '–';
  const notes = [];
  if (b.dead.data[0]) notes.push('The L1 encoder is dead: no latent fires on any input, so γ is undefined.');
  if (f.done) notes.push(fixNote('The scale vector', b.fix_outcome.data[1], b, 1), fixNote('The gated encoder', b.fix_outcome.data[2], b, 2));
  const text = notes.filter(Boolean).join(' ');
  $('fix-notes').textContent = text;
  $('fix-notes').hidden = !text;
}

client.onFrame((f) => {
  drawAc(f);
  drawTransfer(f);
  drawTable(f);
  if (S.config) describe(S.config, f.buffers);
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
  describe({ n_features: s.n, decoder_bias: s.bias === 1, magnitude: s.mag }, null);
}

const apply = page.trainOnChange('suppression', sessionConfig, syncControls);

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
  page.onHashChange(apply);
}

bind();
client.ready.then(apply);
