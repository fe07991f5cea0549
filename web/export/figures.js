// figures.js: the toy lab's "save" menus (issue 7): which array each panel exports as .npy and
// the file names, built from the running experiment (`toy_n5_m2_p0.05_seed0_WtW.png`; "save all",
// lib/toolbar.js, zips every shown panel's files as `toy_..._figures.zip`).
// What it is not: the export machinery (export.js) or any drawing (views/).
import { addExportMenu, fileStem } from './export.js';

// Panels that show one instance (the selected one) vs all instances.
const SUFFIX = { grid: 'grid', arrows: 'W', neurons: 'neurons', loss: 'loss', heatmap: 'WtW', norms: 'norms', dims: 'D', scatter: 'dims_per_feature' };
const PER_INSTANCE = new Set(['arrows', 'neurons', 'heatmap', 'norms', 'dims']);

const round = (p) => Number(p.toPrecision(3));

/** The file stem of a toy panel's figure: prefix, model, sizes, p, seed, panel. */
export function toyStem(config, sel, panelId) {
  if (!config) return fileStem('toy', {}, SUFFIX[panelId] || panelId);
  const ps = config.feature_probability || [];
  const K = config.n_instances || 1;
  const perInstance = PER_INSTANCE.has(panelId);
  const k = Math.min(sel || 0, K - 1);
  const p = ps.length === 0 ? '' : ps.length === 1 ? round(ps[0]) : perInstance ? round(ps[k]) : `${round(ps[0])}-${round(ps[ps.length - 1])}`;
  return fileStem('toy', {
    '': config.model && config.model !== 'relu' ? config.model : undefined,
    n: config.n_features,
    m: config.n_hidden,
    k: K > 1 ? K : undefined,
    inst: K > 1 && perInstance ? k : undefined,
    p,
    seed: config.seed,
  }, SUFFIX[panelId] || panelId);
}

/** The main array of a toy panel's data as {values, shape}, or null. */
export function toyNpy(panelId, d) {
  switch (panelId) {
    case 'grid': return d.W ? { values: d.W, shape: [d.K, d.m, d.n] } : null;
    case 'arrows': case 'neurons': return d.W ? { values: d.W, shape: [d.m, d.n] } : null;
    case 'heatmap': return d.WtW ? { values: d.WtW, shape: [d.n, d.n] } : null;
    case 'norms': return d.norms ? { values: d.norms, shape: [d.n] } : null;
    case 'dims': return d.D ? { values: d.D, shape: [d.n] } : null;
    case 'scatter': return d.dpf ? { values: d.dpf, shape: [d.K] } : null;
    case 'loss': {
      const T = d.steps ? d.steps.length : 0;
      if (!d.losses || d.losses.length === 0 || T === 0) return null;
      return { values: d.losses.flat(), shape: [d.losses.length, T] };
    }
    default: return null;
  }
}

/** Adds the save menu to a toy panel's header. S: the page's window.superpose. */
export function addToyExport(head, view, body, panelId, S) {
  return addExportMenu(head, {
    view, body,
    stem: () => toyStem(S.config, S.state ? S.state.sel : 0, panelId),
    npy: (d) => toyNpy(panelId, d),
  });
}

