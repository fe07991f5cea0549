// steer.js: the steer & ablate page (issue 6). Trains the "steer" session's toy model in the
// worker, then shows the outputs before/after steering and the ablation effects heatmap.
// State (direction, strength, input, target, mode, toy seed/n/m/p) lives in the URL hash, like
// the toy page. What it is not: no training logic (the C++ session does it) and no framework.
// For tests it exposes `window.superpose` (state, config, lastFrame, ready, errors).
import { startPage } from './page-boot.js';
import { STEER, steerLatents } from './page-states.js';

const $ = (id) => document.getElementById(id);

// The state table (keys direction, strength, input, target, mode, n, m, p, seed) is
// page-states.js STEER.
const page = startPage(STEER, { extra: { ready: false } });
const { S, client } = page;

function sessionConfig(s) {
  return { toy: { n_features: s.n, n_hidden: s.m, feature_probability: s.p, seed: s.seed },
    direction: s.direction, strength: s.strength, input: s.input, target: s.target, mode: s.mode };
}

function fillDirections(s) {
  const sel = $('direction');
  sel.textContent = '';
  const add = (value, text) => { const o = document.createElement('option'); o.value = value; o.textContent = text; sel.append(o); };
  // the default SAE (TopK, trained on h = W x) has 2n latents (docs/wasm-api.md, kind steer)
  for (let i = 0; i < steerLatents(s.n); i++) add(`latent:${i}`, `SAE latent ${i}`);
  for (let i = 0; i < s.n; i++) add(`feature:${i}`, `feature column W_${i}`);
  for (let j = 0; j < s.m; j++) add(`unit:${j}`, `hidden unit ${j}`);
  sel.value = s.direction;
}

function syncControls(s) {
  $('strength').value = String(s.strength);
  $('strength-value').textContent = Number(s.strength).toFixed(2);
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
    row.querySelector('output').textContent = after[i].toFixed(2);
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
  let max = 0;
  for (const v of E.data) max = Math.max(max, Math.abs(v));
  const table = $('effects');
  table.textContent = '';
  const head = table.insertRow();
  head.append(Object.assign(document.createElement('th'), { textContent: S.state.target }));
  for (let j = 0; j < n; j++) head.append(Object.assign(document.createElement('th'), { textContent: `f${j}` }));
  for (let r = 0; r < rows; r++) {
    const tr = table.insertRow();
    tr.append(Object.assign(document.createElement('th'), { textContent: String(idx[r]) }));
    for (let j = 0; j < n; j++) {
      const v = E.data[r * n + j];
      const t = max > 0 ? Math.abs(v) / max : 0;
      const td = tr.insertCell();
      td.style.background = v >= 0 ? `rgba(217,72,15,${t.toFixed(3)})` : `rgba(25,113,194,${t.toFixed(3)})`;
      td.title = `${S.state.target} ${idx[r]}, feature ${j}: loss change ${v.toExponential(2)}`;
    }
  }
  $('diagonality').textContent = f.buffers.diagonality.data[0].toFixed(3);
}

client.onFrame((f) => {
  S.ready = f.buffers.ready && f.buffers.ready.data[0] === 1;
  $('status').textContent = S.ready ? 'trained' : `training… step ${f.step}`;
  if (!S.ready) return;
  drawOutputs(f);
  drawEffects(f);
});

function bind() {
  fillDirections(S.state);
  syncControls(S.state);
  $('direction').addEventListener('change', (e) => { S.state.direction = e.target.value; apply(); });
  $('strength').addEventListener('input', (e) => {
    S.state.strength = Number(e.target.value);
    $('strength-value').textContent = S.state.strength.toFixed(2);
    apply();
  });
  for (const key of ['input', 'target', 'mode']) {
    $(key).addEventListener('change', (e) => { S.state[key] = e.target.value; apply(); });
  }
  page.onHashChange((s) => { fillDirections(s); syncControls(s); apply(); });
}

bind();
client.ready.then(apply);
