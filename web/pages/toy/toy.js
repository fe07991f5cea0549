// app.js: the page controller shared by index.html (the lab) and embed.html (the iframe).
//
// What it is: reads the URL hash into the state (state.js), builds the controls from the state
// table and the panels from panels.js, talks to the training workers (a pool, lib/pool.js: the
// instances are shared out by cost, lib/shards.js TOY_SHARDS, one worker per core), keeps the loss
// history, and redraws the views with the latest frame, a few milliseconds per animation frame.
// What it is not: no training (worker.js) and no drawing (views/). Nothing from the URL or the
// worker is ever inserted as HTML: every string goes through textContent.
// The bootstrap every page shares (hash → state, notes, errors, worker, window.superpose, the
// toolbar: play, step, reset, status, copy link, save all; a hash the user edits) is page-boot.js.
// For tests it exposes `window.superpose` (state, config, lastFrame, firstFrameMs, ...).
import {
  TABLE, FIELDS, FIELD_BY_NAME, defaults, parseValue, formatValue, describe, applyPreset,
  featureProbabilities, toLabConfig, needsReconfigure,
} from '../../lib/state.js';
import { TOY_SHARDS } from '../../lib/shards.js';
import { startPage, showNotes } from '../../lib/page-boot.js';
import { PRESETS } from '../../lib/presets.js';
import { PANELS, defaultEmbedPanels, modelFormula, panelFormula } from './panels.js';
import { fmt } from '../../views/canvas.js';
import { addToyExport, toyStem } from '../../export/figures.js';
import { addModelButtons, stateFromLabConfig } from '../../export/model-io.js';

const embed = document.body.dataset.mode === 'embed';
const $ = (id) => document.getElementById(id);

function el(tag, props = {}, children = []) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'text') e.textContent = v;
    else if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.appendChild(c);
  return e;
}

// ---- state --------------------------------------------------------------------------------
// The toy page needs only the toy kind: lab-toy.wasm is half the download of lab.wasm.
// Its panels are views with their own save menus (figures.js); save all zips them under the
// experiment's name.
const page = startPage(TABLE, { extra: { firstFrameMs: null, ready: false }, module: 'lab-toy', pool: TOY_SHARDS, panelMenus: false,
  toolbar: { chunk: 1, stem: () => toyStem(window.superpose.config, window.superpose.state.sel, 'figures') } });
const S = page.S;
let state = S.state;
// A first visit (no hash) opens on the paper's first figure rather than on bare defaults.
if (location.hash.replace(/^#/, '') === '') state = applyPreset(state, 'intro');
S.state = state;

function writeHash() {
  S.state = state;
  page.writeHash();
  const open = $('open-lab');
  if (open) open.href = `index.html${location.hash}`;
}

const showError = page.showError;
const clearError = page.hideError;

// ---- controls -----------------------------------------------------------------------------
const GROUPS = [
  { id: 'data', title: 'Data' },
  { id: 'model', title: 'Model' },
  { id: 'train', title: 'Training' },
];
const inputs = new Map();

function buildControls() {
  const root = $('controls');
  if (!root) return;
  root.replaceChildren();
  for (const g of GROUPS) {
    const box = el('fieldset', { class: `group group-${g.id}` }, [el('legend', { text: g.title })]);
    for (const f of FIELDS.filter((x) => x.group === g.id)) {
      const id = `ctl-${f.name}`;
      let input;
      if (f.type === 'enum') {
        input = el('select', { id });
        for (const v of f.values) input.appendChild(el('option', { value: v, text: v }));
      } else if (f.type === 'floats') {
        input = el('input', { id, type: 'text', placeholder: 'e.g. 1, 0.1, 0.01', spellcheck: 'false' });
      } else {
        input = el('input', { id, type: 'number', min: String(f.min), max: String(f.max),
          step: f.type === 'int' ? '1' : 'any' });
      }
      input.dataset.field = f.name;
      input.addEventListener('change', () => onControl(f, input));
      const row = el('div', { class: 'control' }, [el('label', { for: id, text: f.label }), input]);
      if (f.name === 'seed') {
        row.appendChild(el('button', { type: 'button', class: 'icon', title: 'new random seed', 'aria-label': 'new random seed', text: 'new',
          onclick: () => setFields({ seed: Math.floor(Math.random() * 100000) }) }));
      }
      row.appendChild(el('small', { text: f.help || '' }));
      box.appendChild(row);
      inputs.set(f.name, input);
    }
    root.appendChild(box);
  }
  root.appendChild(el('p', { id: 'p-list', class: 'derived' }));
}

function syncControls() {
  for (const [name, input] of inputs) {
    const f = FIELD_BY_NAME.get(name);
    const v = formatValue(f, state[name]);
    if (input.value !== v && document.activeElement !== input) input.value = v;
    input.classList.remove('invalid');
  }
  const pl = $('p-list');
  if (pl) pl.textContent = `Feature probability per instance: ${featureProbabilities(state).map((p) => fmt(p, 2)).join(', ')}`;
  // An explicit p list overrides the range and the instance count.
  for (const name of ['k', 'pMax', 'pMin']) {
    const i = inputs.get(name);
    if (i) i.disabled = state.pList.length > 0;
  }
  for (const b of document.querySelectorAll('[data-preset]')) {
    b.setAttribute('aria-pressed', b.dataset.preset === state.preset ? 'true' : 'false');
  }
  for (const { p, formula } of panels) {
    const t = panelFormula(p, state);
    if (formula.textContent !== t) formula.textContent = t;
  }
  const card = $('model-formula');
  if (card) card.textContent = modelFormula(state.model);
  const info = $('preset-info');
  if (info) {
    const p = PRESETS.find((q) => q.id === state.preset);
    info.replaceChildren();
    if (p) {
      info.appendChild(el('h3', { text: p.title }));
      info.appendChild(el('p', { text: p.blurb }));
      info.appendChild(el('p', { class: 'formula', text: p.formula }));
    }
  }
}

function onControl(f, input) {
  const r = parseValue(f, input.value);
  if (!r.ok) {
    input.classList.add('invalid');
    showNotes({ notes: [`${f.label} must be ${describe(f)}`], title: 'This value was not accepted:' });
    return;
  }
  setFields({ [f.name]: r.value });
}

/** Change some fields; reconfigure the model only if its config changed. */
function setFields(changes) {
  const before = state;
  const next = { ...state, ...changes };
  if (next.m > next.n) next.m = next.n;
  if (next.pList.length > 0) next.k = next.pList.length;
  if (next.sel >= next.k) next.sel = 0;
  state = next;
  S.state = state;
  writeHash();
  syncControls();
  if (needsReconfigure(before, state)) {
    configure(S.running || state.autoplay);
  } else {
    dirty = true;
    askDraw();
  }
}

// ---- presets ------------------------------------------------------------------------------
function buildPresets() {
  const root = $('presets');
  if (!root) return;
  root.replaceChildren();
  for (const p of PRESETS) {
    root.appendChild(el('button', { type: 'button', class: 'preset', 'data-preset': p.id, title: p.blurb, text: p.title,
      onclick: () => choosePreset(p.id) }));
  }
}

function choosePreset(id) {
  const keep = { autoplay: state.autoplay, controls: state.controls, views: state.views };
  const next = applyPreset(defaults(), id);
  Object.assign(next, keep);
  state = next;
  S.state = state;
  writeHash();
  syncControls();
  buildPanels();
  configure(true);
}

// ---- panels -------------------------------------------------------------------------------
let panels = [];

function visiblePanels() {
  if (!embed) return PANELS;
  const names = state.views.length > 0 ? state.views : defaultEmbedPanels(state);
  return PANELS.filter((p) => names.includes(p.id));
}

function buildPanels() {
  const root = $('panels');
  if (!root) return;
  root.replaceChildren();
  if (seen) seen.disconnect();
  panels = [];
  for (const p of visiblePanels()) {
    const body = el('div', { class: 'panel-body' });
    const head = el('header', {}, [el('h2', { text: p.title })]);
    const box = el('section', { class: `panel panel-${p.id}${p.wide ? ' wide' : ''}`, id: `panel-${p.id}` }, [head]);
    // Full explanations on the lab page; the compact embed keeps the title and the formula.
    if (!embed) box.appendChild(el('p', { class: 'explain', text: p.explain }));
    const formula = el('p', { class: 'formula', text: panelFormula(p, state) });
    box.appendChild(formula);
    box.appendChild(body);
    root.appendChild(box);
    // The view (its canvas) is made by the drawing loop, a few per animation frame (makeView).
    const panel = { p, view: null, box, head, body, formula };
    panels.push(panel);
    queue.add(panel);
    if (seen) seen.observe(box);
  }
  holdViews = true;
  dirty = true;
  askDraw();
}

/** A panel's view and its save menu (PNG/SVG/JSON/CSV/.npy, issue 7). */
function makeView(panel) {
  panel.view = panel.p.make(panel.body, { select, embed });
  if (!embed) addToyExport(panel.head, panel.view, panel.body, panel.p.id, S);
}

function select(k) {
  if (k === state.sel) return;
  setFields({ sel: k });
}

// ---- loss history -------------------------------------------------------------------------
const MAX_POINTS = 1200;
let lossHistory = { steps: [], losses: [] };

function recordLoss(frame) {
  const K = frame.buffers.loss ? frame.buffers.loss.data.length : 0;
  const h = lossHistory;
  if (h.losses.length !== K || (h.steps.length > 0 && frame.step < h.steps[h.steps.length - 1])) {
    lossHistory = { steps: [], losses: Array.from({ length: K }, () => []) };
  }
  // Every chunk's loss since the previous frame (protocol.js: frame.trace).
  const { steps, loss } = frame.trace || { steps: [], loss: [] };
  for (let t = 0; t < steps.length; t++) {
    const last = lossHistory.steps.length ? lossHistory.steps[lossHistory.steps.length - 1] : -1;
    if (steps[t] <= last) continue;
    lossHistory.steps.push(steps[t]);
    for (let k = 0; k < K; k++) lossHistory.losses[k].push(loss[t * K + k]);
  }
  if (lossHistory.steps.length > MAX_POINTS) {
    // Keep every other point: the curve stays smooth and the cost bounded.
    const keep = (_, i, a) => i % 2 === 0 || i === a.length - 1;
    lossHistory.steps = lossHistory.steps.filter(keep);
    lossHistory.losses = lossHistory.losses.map((r) => r.filter(keep));
  }
}

// ---- frames and drawing -------------------------------------------------------------------
// An animation frame is asked for only when there is something to draw (a frame arrived, panels
// were built, a panel came into view): a page that asks for every one keeps the browser's whole
// rendering pipeline running 60 times a second for nothing. Each makes the panels' views
// (canvases) still missing and draws the panels whose data changed, in order, until
// FRAME_BUDGET_MS is spent (at least one); the rest follow in the next frames, in turn (a panel
// drawn goes to the back of the queue). A warm panel draws in well under a millisecond, so the
// budget only splits the first frames: making and first drawing every panel (new canvases, the
// page's first canvas font, the first heatmap blit) took 40–60 ms of CPU in one task, and the
// module's first run as much again (issue 14 #9). A view may split its own drawing at the
// budget's end (the grid's tiles, grid.js: update returns false, and the panel stays in the
// queue for the next frame): the sticky preset's grid made and drew its twelve tiles in one
// frame, 35–52 ms of CPU with the commit (issue 18). The budget stays 8 ms: with 4, a redraw of
// every panel took two animation frames, each with its own layout, paint and commit (607 frames
// instead of 341 in the sticky preset on 2 workers, main thread 599 instead of 394 CPU ms per
// 1000 steps, bench/trace.mjs), CPU the training workers share the cores with.
// While the run trains, a panel out of view is drawn at most every OFFSCREEN_MS (at once when it
// comes into view; every panel with each frame of a paused or finished run, so what a save
// writes is the model as it stands). A redraw of the sticky preset's panels cost the main thread
// about 6 ms of CPU (the views' drawing, then the browser's layout, paint and commit of the
// changed canvases) and the compositor and GPU process as much again, CPU the training workers
// share the cores with (issue 18; bench/trace.mjs; the pool sends training frames 10 times a
// second, pool.js).
const FRAME_BUDGET_MS = 8;
const OFFSCREEN_MS = 1000;
let dirty = false;
let drawAsked = false;
// Set when the panels were (re)built: the next animation frame only lays them out (their titles,
// explanations and formulas: 15–24 ms of the browser's layout and style under load), and the
// views are made from the one after, so that layout and the first views' canvases are not one task.
let holdViews = false;
const queue = new Set();  // panels waiting for the latest frame, in drawing order
// Which panels are in view (or near it); without IntersectionObserver every panel is.
const seen = typeof IntersectionObserver === 'function'
  ? new IntersectionObserver((entries) => {
    for (const e of entries) {
      const panel = panels.find((q) => q.box === e.target);
      if (!panel) continue;
      panel.inView = e.isIntersecting;
      if (panel.inView && panel.stale) { panel.stale = false; queue.add(panel); askDraw(); }
    }
  }, { rootMargin: '100px' })
  : null;

function askDraw() {
  if (drawAsked) return;
  drawAsked = true;
  requestAnimationFrame(draw);
}

function onFrame(frame) {
  if (S.firstFrameMs === null && frame.step > 0) S.firstFrameMs = performance.now();
  recordLoss(frame);
  showLoss();
  dirty = true;
  askDraw();
}

// The toolbar (page-boot.js) shows the step, speed and status; the loss readout is this page's.
function showLoss() {
  const f = S.lastFrame;
  const e = $('loss');
  const t = f ? fmt(f.lossTotal, 4) : '–';
  if (e && e.textContent !== t) e.textContent = t;
}

/** Draw one panel with the latest frame (or hide it if it does not apply to this model); false
 * if the view has more to draw (the grid's tiles, split over frames by `until`, grid.js). */
function drawPanel({ p, view, box }, f, until) {
  const [K, m, n] = f.buffers.W.shape;
  const sel = Math.min(state.sel, K - 1);
  const shapeState = { ...state, sel, m, n, k: K, model: S.config ? S.config.model : state.model };
  // A panel that does not apply to this model (arrows for m > 2, neurons without a hidden
  // ReLU) is hidden; the grid's explanation says where to find it.
  const why = p.applies ? p.applies(shapeState) : null;
  if (box.hidden !== !!why) box.hidden = !!why;
  if (why) return true;
  if (p.id === 'loss') view.update({ ...lossHistory, K, sel });
  else return view.update(p.data(f, shapeState), { until }) !== false;
  return true;
}

function draw(now) {
  drawAsked = false;
  if (holdViews) { holdViews = false; askDraw(); return; }
  const f = S.lastFrame && S.lastFrame.buffers.W ? S.lastFrame : null;
  if (dirty && f) {
    dirty = false;
    for (const panel of panels) {
      // (a panel already waiting keeps its place; one out of view waits while the run trains)
      const late = !f.running || panel.inView !== false || !panel.view || now - (panel.drawnAt || 0) >= OFFSCREEN_MS;
      if (late) queue.add(panel);
      else panel.stale = true;
    }
  }
  const t0 = performance.now();
  const until = t0 + FRAME_BUDGET_MS;
  const unfinished = [];
  for (const panel of queue) {
    queue.delete(panel);
    if (!panels.includes(panel)) continue;  // from panels built before
    if (!panel.view) makeView(panel);
    if (f) {
      if (!drawPanel(panel, f, until)) unfinished.push(panel);  // goes on in the next frame
      panel.drawnAt = now;
      panel.stale = false;
    }
    if (performance.now() > until) break;
  }
  for (const panel of unfinished) queue.add(panel);
  if (queue.size) askDraw();
}

// ---- talking to the worker ----------------------------------------------------------------
const client = page.client;
client.onFrame(onFrame);
page.toolbar.on('reset', () => { lossHistory = { steps: [], losses: [] }; });

let configuring = Promise.resolve();

function configure(thenPlay) {
  clearError();
  lossHistory = { steps: [], losses: [] };
  const cfg = toLabConfig(state);
  configuring = configuring.then(async () => {
    try {
      const r = await client.configure(cfg);
      S.config = r.config;
      S.done = false;
      for (const { view } of panels) if (view) view.reset();
      dirty = true;
      askDraw();
      if (thenPlay) await client.play();
    } catch (e) {
      showError(`Could not start this experiment: ${e.message}`);
    }
    page.toolbar.update();
  });
  return configuring;
}

// Issue 7: save/load the trained model. A loaded file's config becomes the state (controls, URL)
// without a reconfigure, which would re-initialise the loaded weights.
function adoptLoaded(config) {
  state = stateFromLabConfig(config, state);
  S.state = state;
  S.config = config;
  S.done = false;
  lossHistory = { steps: [], losses: [] };
  writeHash();
  syncControls();
  buildPanels();
  page.toolbar.update();
  showLoss();
}
if (!embed && $('copy-link')) {
  addModelButtons($('copy-link'), { client, stem: () => toyStem(S.config, 0, 'model'),
    adopt: adoptLoaded, onError: showError });
}

// The user edits the URL (or goes back): apply it as a new experiment (page-boot.js shows its notes).
page.onHashChange((next) => {
  state = next;
  writeHash();
  syncControls();
  buildPanels();
  configure(state.autoplay);
});

// ---- start --------------------------------------------------------------------------------
// In short tasks, so that none blocks the page for long (issue 14 #9: the module's first run built
// everything at once, 60–85 ms of CPU in one task): the worker starts loading the model at once
// (startPage, configure), then the toolbar and controls, then the panels (their views follow in
// the drawing loop), then the hash.
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
async function start() {
  if (embed && !state.controls) document.body.classList.add('no-controls');
  await nextTask();
  buildPresets();
  buildControls();
  syncControls();
  await nextTask();
  buildPanels();  // (asks for the first animation frame)
  await nextTask();
  writeHash();
}
client.ready.then(() => { S.ready = true; });
configure(state.autoplay);
start();
