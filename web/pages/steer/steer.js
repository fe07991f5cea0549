// steer.js: the steer & ablate page (issue 6). Trains the "steer" session's toy model in the
// worker, then shows the outputs before/after steering and the ablation effects heatmap.
// State (direction, strength, input, target, mode, toy seed/n/m/p) lives in the URL hash, like
// the toy page, and each has a control. What it is not: no training logic (the C++ session does
// it) and no framework.
// For tests it exposes `window.superpose` (state, config, lastFrame, ready, errors).
import { startPage, showNotes } from '../../lib/page-boot.js';
import { STEER, STEER_SAES, saeArchLabel, steerLatents, steerDirectionLimit } from '../../lib/page-states.js';
import { formatNumber } from '../../lib/hash-state.js';
import { addSaeLensButtons } from '../../export/saelens-io.js';

const $ = (id) => document.getElementById(id);

// The SAE menu: the schema's kinds (every architecture of the sae page, trained, and perfect),
// before the SAELens entry the html holds.
for (const kind of STEER_SAES) {
  const o = document.createElement('option');
  o.value = kind;
  o.textContent = kind === 'perfect' ? 'perfect (hand-built)' : `${saeArchLabel(kind)} (trained)`;
  $('sae').insertBefore(o, $('sae').querySelector('option[value="saelens"]'));
}

// The state table (keys direction, strength, input, target, mode, n, m, p, seed) is
// page-states.js STEER.
// The page may hold sae = 'saelens' (a file the user loaded), which the hash leaves out.
// The toolbar (page-boot.js) trains the toy model (its steps); the SAE and the interventions are
// computed once, at its last step.
const page = startPage({ ...STEER, serialise: (s) => STEER.serialise(s.sae === 'saelens' ? { ...s, sae: STEER.byName.get('sae').def } : s) },
  { extra: { ready: false }, toolbar: { chunk: 100, status: (f, word) => (f.buffers.ready && f.buffers.ready.data[0] === 1 ? `${word}: the SAE is ready, steer away` : word) } });
const { S, client } = page;
// A direction the link or the user chose is kept; otherwise a dead latent is not the default.
S.directionChosen = /(^|[#&])direction=/.test(location.hash);

function sessionConfig(s) {
  return { toy: { n_features: s.n, n_hidden: s.m, feature_probability: s.p, seed: s.seed },
    sae: { kind: s.sae },
    direction: s.direction, strength: s.strength, input: s.input, target: s.target, mode: s.mode };
}

// The SAE's latents: the session's answer once configured (a loaded file has its own d_sae).
function latentCount(s) {
  const sae = S.config && S.config.sae;
  if (sae && sae.kind === s.sae && Number.isInteger(sae.n_latents)) return sae.n_latents;
  return steerLatents(s.n, s.sae);
}

// Latents whose largest activation on the reference data is 0 (they never fire), once ready.
function deadLatents() {
  const f = S.lastFrame;
  if (!S.ready || !f || !f.buffers.max_activation) return new Set();
  const dead = new Set();
  f.buffers.max_activation.data.forEach((v, i) => { if (!(v > 0)) dead.add(i); });
  return dead;
}

let filled = '';
function fillDirections(s) {
  const L = latentCount(s);
  const dead = deadLatents();
  const signature = JSON.stringify([L, s.n, s.m, [...dead], s.direction]);
  if (signature === filled) return;
  filled = signature;
  const sel = $('direction');
  sel.textContent = '';
  const add = (value, text, cls) => { const o = document.createElement('option'); o.value = value; o.textContent = text; if (cls) o.className = cls; sel.append(o); };
  for (let i = 0; i < L; i++) add(`latent:${i}`, dead.has(i) ? `SAE latent ${i} (dead: never fires)` : `SAE latent ${i}`, dead.has(i) ? 'dead' : '');
  for (let i = 0; i < s.n; i++) add(`feature:${i}`, `feature column W_${i}`);
  for (let j = 0; j < s.m; j++) add(`unit:${j}`, `hidden unit ${j}`);
  sel.value = s.direction;
}

// Once the SAE is ready: a default direction along a dead latent moves to the most active one.
function avoidDeadDefault() {
  const f = S.lastFrame;
  if (S.directionChosen || S.importing || !S.ready || !S.state.direction.startsWith('latent:')) return false;
  const act = f.buffers.max_activation.data;
  const i = Number(S.state.direction.slice(7));
  if (act[i] > 0) return false;
  let best = -1;
  act.forEach((v, j) => { if (v > 0 && (best < 0 || v > act[best])) best = j; });
  if (best < 0) return false;
  S.state.direction = `latent:${best}`;
  return true;
}

// The strength slider spans the table's whole range, [-100, 100] (issue 14.6: it stopped at ±3, so
// #strength=50 showed the thumb at 3 beside the label 50.00). Its position t in [-1, 1] is
// symmetric-log, strength = sign(t)·(e^{|t|·ln(1+max)} − 1), so [-3, 3] keeps 30% of the track.
const STRENGTH = STEER.byName.get('strength');
const STRENGTH_SPAN = Math.log1p(Math.max(-STRENGTH.min, STRENGTH.max));
const strengthPosition = (x) => Math.sign(x) * Math.log1p(Math.abs(x)) / STRENGTH_SPAN;
const strengthAt = (t) => Math.min(STRENGTH.max, Math.max(STRENGTH.min, Math.sign(t) * Math.expm1(Math.abs(t) * STRENGTH_SPAN)));
// The label: two decimals, or every digit a link carries (1.234 is not shown as 1.23).
const strengthText = (x) => (Number(x.toFixed(2)) === x ? x.toFixed(2) : formatNumber(x));

function showStrength(x) {
  $('strength').value = String(strengthPosition(x));
  $('strength').setAttribute('aria-valuetext', strengthText(x));
  $('strength-value').textContent = strengthText(x);
}

// The toy model's controls (n, m, p, seed): their ranges come from the state table, and a typed
// value goes through the table's own parser and cross-field rules (m ≤ n, the direction exists),
// exactly as the same value in the link would.
const MODEL_KEYS = ['n', 'm', 'p', 'seed'];
for (const key of MODEL_KEYS) {
  const f = STEER.byName.get(key);
  $(key).min = String(f.min);
  $(key).max = String(f.max);
}

function setModel(key, raw) {
  // A loaded SAELens file fits one model only: a new model trains the default SAE again.
  const base = S.state.sae === 'saelens' ? { ...S.state, sae: STEER.byName.get('sae').def } : S.state;
  const next = STEER.parse(`${STEER.serialise(base)}&${encodeURIComponent(key)}=${encodeURIComponent(raw)}`);
  showNotes(next);
  S.state = next.state;
  S.ready = false;
  fillDirections(S.state);
  syncControls(S.state);
  apply();
}

function syncControls(s) {
  for (const key of MODEL_KEYS) $(key).value = String(s[key]);
  $('sae').value = s.sae;
  showStrength(s.strength);
  $('input').value = s.input;
  $('target').value = s.target;
  $('mode').value = s.mode;
}

const configure = page.serial(async () => {
  const a = await client.configure(sessionConfig(S.state), 'steer');
  S.config = a.config;
  if (!S.ready) await client.play();
});
function apply() {
  page.writeHash();
  return configure();
}

const OFF = 0.1;  // an output counts as "on" above this
function drawOutputs(f) {
  const before = f.buffers.before.data, after = f.buffers.after.data;
  const n = before.length;
  const top = Math.max(1, ...before, ...after);
  const bars = $('bars');
  if (bars.children.length !== n) {
    bars.textContent = '';
    for (let i = 0; i < n; i++) {
      const row = document.createElement('div');
      row.className = 'row';
      row.innerHTML = `<span class="label">feature ${i}</span><span class="track"><span class="before"></span><span class="after"></span></span><output></output>`;
      bars.append(row);
    }
  }
  const on = [];
  for (let i = 0; i < n; i++) {
    const row = bars.children[i];
    row.querySelector('.before').style.width = `${(100 * Math.max(0, before[i])) / top}%`;
    row.querySelector('.after').style.width = `${(100 * Math.max(0, after[i])) / top}%`;
    row.querySelector('output').textContent = `${before[i].toFixed(2)} → ${after[i].toFixed(2)}`;
    row.title = `feature ${i}: before ${before[i].toFixed(3)}, after ${after[i].toFixed(3)}`;
    const switched = after[i] > OFF && !(before[i] > OFF);
    row.classList.toggle('on', switched);
    if (switched) on.push(i);
  }
  const dir = S.state.direction;
  const matched = dir.startsWith('latent:') ? f.buffers.matched_feature.data[Number(dir.slice(7))] : -1;
  $('switched').textContent = (matched >= 0 ? `latent ${dir.slice(7)} matches feature ${matched}. ` : '') +
    (on.length ? `switched on: feature ${on.join(', ')}` : 'no output switched on');
}

function drawEffects(f) {
  const E = f.buffers.effects, rows = E.shape[0], n = E.shape[1];
  const idx = f.buffers.effects_rows.data;
  const dead = deadLatents();
  let max = 0;
  for (const v of E.data) max = Math.max(max, Math.abs(v));
  const table = $('effects');
  table.textContent = '';
  const head = table.insertRow();
  head.append(Object.assign(document.createElement('th'), { textContent: S.state.target }));
  for (let j = 0; j < n; j++) head.append(Object.assign(document.createElement('th'), { textContent: `f${j}` }));
  for (let r = 0; r < rows; r++) {
    const tr = table.insertRow();
    const th = Object.assign(document.createElement('th'), { textContent: String(idx[r]) });
    if (S.state.target === 'latent' && dead.has(idx[r])) {
      th.className = 'dead';
      th.textContent = `${idx[r]} (dead)`;
      th.title = `latent ${idx[r]} never fires on the reference data`;
    }
    tr.append(th);
    for (let j = 0; j < n; j++) {
      const v = E.data[r * n + j];
      const t = max > 0 ? Math.abs(v) / max : 0;
      const td = tr.insertCell();
      td.style.background = v >= 0 ? `rgba(217,72,15,${t.toFixed(3)})` : `rgba(25,113,194,${t.toFixed(3)})`;
      td.title = `${S.state.target} ${idx[r]}, feature ${j}: loss change ${v.toExponential(2)}`;
    }
  }
  // The colour scale: white at 0, full colour at ±max (the largest |loss change| shown).
  $('scale-min').textContent = max > 0 ? (-max).toExponential(1) : '0';
  $('scale-max').textContent = max > 0 ? `+${max.toExponential(1)}` : '0';
  $('diagonality').textContent = f.buffers.diagonality.data[0].toFixed(3);
}

client.onFrame((f) => {
  S.ready = f.buffers.ready && f.buffers.ready.data[0] === 1;
  if (!S.ready) return;
  if (avoidDeadDefault()) apply();
  fillDirections(S.state);
  drawOutputs(f);
  drawEffects(f);
});

function bind() {
  fillDirections(S.state);
  syncControls(S.state);
  $('direction').addEventListener('change', (e) => { S.state.direction = e.target.value; S.directionChosen = true; apply(); });
  $('sae').addEventListener('change', (e) => {
    S.state.sae = e.target.value;
    if (Number(S.state.direction.split(':')[1]) >= steerDirectionLimit(S.state.direction, S.state.n, S.state.m, S.state.sae)) S.state.direction = 'latent:0';
    S.ready = false;
    fillDirections(S.state);
    apply();
  });
  $('strength').addEventListener('input', (e) => {
    // A drag lands on hundredths (short links); the thumb moves to the value it stands for.
    S.state.strength = Math.round(strengthAt(Number(e.target.value)) * 100) / 100 + 0;
    showStrength(S.state.strength);
    apply();
  });
  for (const key of MODEL_KEYS) $(key).addEventListener('change', (e) => setModel(key, e.target.value));
  for (const key of ['input', 'target', 'mode']) {
    $(key).addEventListener('change', (e) => { S.state[key] = e.target.value; apply(); });
  }
  page.onHashChange((s) => { fillDirections(s); syncControls(s); apply(); });
}

// ---- a SAELens SAE in place of the trained one (issue 7) -------------------------------------
addSaeLensButtons($('copy-link'), {
  client,
  run: () => null,  // this page loads SAEs; the SAE page saves them
  key: () => '',
  stem: () => '',
  onLoading: () => { S.importing = true; },
  onLoaded: (config, name) => {
    S.importing = false;
    S.config = config;
    S.state.sae = 'saelens';
    S.state.direction = config.direction;
    const o = $('sae').querySelector('option[value="saelens"]');
    o.disabled = false;
    o.textContent = `SAELens: ${name} (${config.sae.architecture}, ${config.sae.n_latents} latents)`;
    page.hideError();
    page.writeHash();
    fillDirections(S.state);
    syncControls(S.state);
    if (S.lastFrame && S.ready) { drawOutputs(S.lastFrame); drawEffects(S.lastFrame); }
    if (!S.ready) client.play().catch((e) => page.showError(e.message));
  },
  onError: (message) => { S.importing = false; page.showError(message); },
});

bind();
client.ready.then(apply);
