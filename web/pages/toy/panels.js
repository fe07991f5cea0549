// panels.js: the page's panels as one table: title, one or two sentences for a newcomer, the
// formula (a string, or a function of the page's state), which view draws it, when it applies,
// and which slice of a frame it reads.
// index.html shows them all; embed.html the ones named by `views=` (or a sensible few).
// What it is not: no drawing (views/) and no training (worker.js).
import { SmallMultiplesView } from '../../views/grid.js';
import { ArrowsView } from '../../views/arrows.js';
import { NeuronStackView } from '../../views/neurons.js';
import { HeatmapView } from '../../views/heatmap.js';
import { NormBarsView } from '../../views/normbars.js';
import { DimBarsView } from '../../views/dimbars.js';
import { DimScatterView } from '../../views/scatter.js';
import { LossChartView } from '../../views/linechart.js';

/** Slice instance k out of a frame's buffers (subarrays: no copies). */
export function instance(frame, k) {
  const B = frame.buffers;
  const [K, m, n] = B.W.shape;
  const part = (name, size) => (B[name] ? B[name].data.subarray(k * size, (k + 1) * size) : null);
  return {
    K, m, n, k,
    W: part('W', m * n),
    WtW: part('WtW', n * n),
    b: part('b', n),
    norms: part('feature_norms', n),
    interference: part('interference', n),
    D: part('dimensionality', n),
  };
}

export const PANELS = [
  {
    id: 'grid',
    title: 'Every instance, dense → sparse',
    explain: 'Each tile is an independent model trained with its own feature probability p (its features are rarer to the right). For m ≤ 2 a tile shows the feature arrows, otherwise WᵀW. Click a tile to inspect it below. The arrow view appears for m ≤ 2, the neuron view for the relu-hidden and abs models.',
    // (a link's explicit p list replaces the range: the formula says which one this run uses)
    formula: (s) => (s.pList.length > 0
      ? `p_k as listed: ${s.pList.slice(0, 8).map((p) => +p.toPrecision(3)).join(', ')}${s.pList.length > 8 ? ', …' : ''}`
      : 'p_k log-spaced from p_first to p_last'),
    wide: true,
    make: (el, ctx) => new SmallMultiplesView(el, { onSelect: ctx.select, tile: ctx.embed ? 72 : 92 }),
    data: (f, s) => {
      const [K, m, n] = f.buffers.W.shape;
      return { K, m, n, W: f.buffers.W.data, WtW: f.buffers.WtW.data, p: f.buffers.feature_probability.data,
        dpf: f.buffers.dims_per_feature.data, sel: s.sel };
    },
  },
  {
    id: 'arrows',
    title: 'Feature directions (selected instance)',
    explain: 'The hidden space is 2-D, so each feature’s column W_i can be drawn as an arrow. Features the model ignores shrink to the centre; features in superposition share the plane as antipodal pairs, triangles or a pentagon.',
    formula: 'h = W x = Σ_i x_i W_i',
    applies: (s) => (s.m <= 2 ? null : `Arrows need m ≤ 2 hidden dimensions (now m = ${s.m}): try the “Pentagon” preset.`),
    make: (el) => new ArrowsView(el, { size: 230 }),
    data: (f, s) => instance(f, s.sel),
  },
  {
    id: 'neurons',
    title: 'Neurons (selected instance)',
    explain: 'With a ReLU on the hidden layer, each hidden neuron is a real unit. Each column is one neuron, stacked with the weights of the features it reads (colour = feature, yellow most important). One colour: monosemantic. Several: polysemantic.',
    formula: 'h_j = ReLU(Σ_i W_ji x_i)',
    applies: (s) => (s.model === 'relu-hidden' || s.model === 'abs' ? null : 'The neuron view is for models with a ReLU on the hidden layer (relu-hidden, abs): try the “Neurons” preset.'),
    make: (el) => new NeuronStackView(el, { width: 300, height: 200 }),
    data: (f, s) => instance(f, s.sel),
  },
  {
    id: 'loss',
    title: 'Loss',
    explain: 'Importance-weighted reconstruction error on fresh random batches, one line per instance (the selected one in black). Sparser instances have less to reconstruct, so their loss is lower.',
    formula: 'L = E_x Σ_i I_i (x_i − x′_i)²,  I_i = decay^i',
    make: (el) => new LossChartView(el, { width: 300, height: 170 }),
    data: null, // fed from the page's loss history
  },
  {
    id: 'heatmap',
    title: 'WᵀW and the bias b',
    explain: 'Entry (i, j) says how much feature j leaks into the reconstruction of feature i. A clean diagonal means each feature has its own dimension; off-diagonal colour is interference, which the ReLU and a negative bias filter out.',
    formula: '(WᵀW)_ij = W_i · W_j',
    make: (el) => new HeatmapView(el, { size: 200 }),
    data: (f, s) => instance(f, s.sel),
  },
  {
    id: 'norms',
    title: 'Which features are represented',
    explain: 'Bar length ‖W_i‖: about 1 if feature i is represented, 0 if it is dropped. Colour: how much it shares its direction with others. Black bars own a dimension; yellow bars are in superposition.',
    formula: '‖W_i‖,  colour = Σ_{j≠i} (Ŵ_i · W_j)²',
    make: (el) => new NormBarsView(el, { width: 250 }),
    data: (f, s) => instance(f, s.sel),
  },
  {
    id: 'dims',
    title: 'Dimensionality of each feature',
    explain: 'How much of a dimension feature i gets: 1 if it has one to itself, 1/2 for an antipodal pair, 2/5 in a pentagon, 0 if dropped. The dashed lines are the “sticky” fractions the paper found.',
    formula: 'D_i = ‖W_i‖² / Σ_j (Ŵ_i · W_j)²',
    make: (el) => new DimBarsView(el, { width: 260, height: 190 }),
    data: (f, s) => instance(f, s.sel),
  },
  {
    id: 'scatter',
    title: 'Dimensions per feature vs sparsity',
    explain: 'Black: dimensions used per feature, for each instance. Dots: every feature’s D_i. As features get sparser (right) the model fits more of them per dimension, and D_i sticks to simple fractions. Click near a point to select that instance.',
    formula: 'm / ‖W‖²_F  against  1/p',
    make: (el, ctx) => new DimScatterView(el, { width: 300, height: 210, onSelect: ctx.select }),
    data: (f, s) => {
      const [K, , n] = f.buffers.W.shape;
      return { K, n, p: f.buffers.feature_probability.data, dpf: f.buffers.dims_per_feature.data,
        D: f.buffers.dimensionality.data, sel: s.sel };
    },
  },
];

/** A panel's formula for the page's state. */
export const panelFormula = (p, s) => (typeof p.formula === 'function' ? p.formula(s) : p.formula);

/** The panels embed.html shows when `views=` is empty. */
export function defaultEmbedPanels(s) {
  if (s.model === 'relu-hidden' || s.model === 'abs') return ['grid', 'neurons', 'loss'];
  if (s.m <= 2) return ['grid', 'arrows', 'loss'];
  return ['grid', 'heatmap', 'norms'];
}

/** The model's formula, for the page's model card. */
export function modelFormula(model) {
  switch (model) {
    case 'linear': return 'x′ = WᵀW x + b';
    case 'relu-hidden': return 'h = ReLU(W x),   x′ = ReLU(Wᵀh + b)';
    case 'abs': return 'h = ReLU(W₁ x),   y = ReLU(W₂ h + b),   target |x|';
    default: return 'h = W x,   x′ = ReLU(Wᵀh + b)';
  }
}
