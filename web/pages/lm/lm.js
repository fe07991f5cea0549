// lm.js: the language-model page (issue 15). The "lm" session trains a small GPT-2-style
// transformer in the worker on the toy world (or a text file the user gives, byte-level); this
// module keeps the controls in the URL hash and draws, from each frame's buffers
// (docs/wasm-api.md, kind lm): the loss, the prompt's tokens, next-token distribution and
// continuations, every head's attention, the residual stream with the logit lens, the direct
// logit attribution, the ablations and the temperature probe (lm-panels.js draws the HTML ones);
// then (issue 16) the SAE trained on the model's residual stream after it, its latents, the chosen
// latent's dashboard and steering along it (lm-sae.js). The seed's example is the default: the
// model, then the SAE, trains; the latent best matching "cold" is shown; the strength slider turns
// "the weather in california is" → hot into cold.
// A change of prompt, target, temperature, sample seed or ablation is a view-only configure: the
// session keeps the trained model, so a new prompt is read at once, without retraining.
// What it is not: no model (the C++ session), no framework; every token and message reaches the
// DOM as textContent or canvas text, never as HTML.
// For tests it exposes `window.superpose` (state, config, lastFrame, done, errors, frameCount,
// reached: the page-clock milliseconds at which the default prompt's greedy answer first was
// "hot" and the temperature probe first passed 34/36).
import { startPage, showNotes } from '../../lib/page-boot.js';
import { LM, LM_PROMPTS, saeArchLabel } from '../../lib/page-states.js';
import { parseValue } from '../../lib/hash-state.js';
import { groupThousands } from '../../lib/run-time.js';
import { XYPlotView } from '../../views/xyplot.js';
import { AttentionView } from '../../views/attention.js';
import { addModelButtons } from '../../export/model-io.js';
import { addSaeLensButtons } from '../../export/saelens-io.js';
import { SaePanels } from './lm-sae.js';
import {
  updateBars, updateChips, updateStream, updateLensTable, updateProbe, tokenText,
} from './lm-panels.js';

const $ = (id) => document.getElementById(id);
const TRAIN = '#1971c2';
const HELDOUT = '#d9480f';
const FLOOR = '#555';
// The toy world's entropy rate (src/lm/toy_world.hpp toy_entropy: 9.244 nats per sentence over
// 8.621 tokens): no model can predict the next token of the toy world better, on average.
const TOY_ENTROPY = 1.072;
const SAMPLE_TOKENS = 12;
const TOP_K = 5;
const PROBE_PASS = 34;
// The held-out windows the session measures ablations on (src/session/lm_session.hpp kAblationWindows).
const ABLATION_WINDOWS = 8;
// The keys that define the model and its training (a change retrains); the rest only view it.
const MODEL_KEYS = ['layers', 'd', 'heads', 'ctx', 'batch', 'steps', 'lr', 'seed'];
// The keys that define the SAE (a change retrains the SAE only), and the SAE's view keys.
const SAE_KEYS = ['sae', 'hook', 'arch', 'latents', 'l1', 'k'];
const FEATURE_KEYS = ['latent', 'label', 'order', 'strength', 'from', 'dir', 'pa', 'pb', 'unit', 'lablat'];

// The SAE's architecture menu: the schema's choices of sae_arch (every architecture of the sae page).
for (const arch of LM.byName.get('arch').values) {
  const o = document.createElement('option');
  o.value = arch;
  o.textContent = saeArchLabel(arch);
  $('arch').append(o);
}

// The toolbar's status says which stage trains: the model's steps, then the SAE's after them.
const page = startPage(LM, { extra: { text: null, wantRun: true, reached: { hot: null, probe: null } }, toolbar: { chunk: 10, status: stageStatus } });
const { S, client, showError } = page;

function stageStatus(f, word) {
  const modelSteps = S.config ? S.config.steps : 0;
  if (!modelSteps || f.totalSteps <= modelSteps) return word;
  return f.step > modelSteps ? `${word} · SAE step ${f.step - modelSteps} of ${f.totalSteps - modelSteps}` : `${word} · model, then the SAE`;
}

/** The session config (kind lm) of a page state; data 'text' reads the file given before. A loaded
 * model's own config (S.loaded) is sent back as it is while the page's model keys are its own,
 * so a view change keeps the loaded weights. */
function sessionConfig(s, data) {
  const view = { prompt: s.prompt, target: s.target, temperature: s.temp, sample_seed: s.sseed, ablation: s.abl,
    sample_tokens: SAMPLE_TOKENS, top_k: TOP_K, ...saeConfig(s) };
  if (S.loaded && S.loaded.key === modelKey(s, data)) return { ...S.loaded.config, ...view };
  return {
    n_layers: s.layers, d_model: s.d, n_heads: s.heads, context: s.ctx, batch_size: s.batch, steps: s.steps,
    lr: s.lr, seed: s.seed, warmup_steps: Math.min(100, Math.floor(s.steps / 10)), data, ...view,
  };
}
/** The SAE's keys and its view (docs/wasm-api.md, kind lm: sae_*, latent, steer_*). */
function saeConfig(s) {
  return {
    sae_steps: s.sae, sae_hook: s.hook, sae_arch: s.arch, sae_latents: s.latents, sae_l1: s.l1, sae_k: Math.min(s.k, s.latents),
    latent: s.latent < s.latents ? s.latent : -1, latent_label: s.label, latent_order: s.order, steer_strength: s.strength,
    steer_from: s.from, steer_direction: s.dir, steer_prompts_a: s.pa, steer_prompts_b: s.pb, steer_unit: s.unit,
    latent_ablation: s.lablat,
  };
}
// The session's text keys a link may carry that only the session can check, by page key.
const TEXT_KEYS = { prompt: 'prompt', target: 'target', latent_label: 'label', steer_prompts_a: 'pa', steer_prompts_b: 'pb' };
const saeKey = (s) => JSON.stringify(SAE_KEYS.map((k) => s[k]));
const dataOf = () => (S.text ? 'text' : 'toy');
const modelKey = (s, data) => JSON.stringify([data, ...MODEL_KEYS.map((k) => s[k])]);

// ---- views ----------------------------------------------------------------------------------
const lossPlot = new XYPlotView($('loss-plot'), { width: 420, height: 250, x: [0, 2000], y: [0, 5],
  xLabel: 'training step', yLabel: 'loss (nats/token)', label: 'training and held-out loss against the step' });
const bigAttention = new AttentionView($('attention-big'), { size: 240, labels: true, label: 'the chosen head’s attention pattern, enlarged' });
let tiles = [];          // [{view, box, l, h}]
let tileShape = '';
S.attentionHead = [0, 0];

function buildTiles(L, H) {
  const grid = $('attention-grid');
  grid.replaceChildren();
  tiles = [];
  for (let l = 0; l < L; l++) {
    const row = document.createElement('div');
    row.className = 'attention-row';
    const name = document.createElement('span');
    name.className = 'attention-layer';
    name.textContent = `layer ${l}`;
    row.appendChild(name);
    for (let h = 0; h < H; h++) {
      const box = document.createElement('button');
      box.type = 'button';
      box.className = 'tile';
      box.title = `layer ${l}, head ${h}: click to enlarge`;
      const view = new AttentionView(box, { size: 64, label: `attention of layer ${l} head ${h}` });
      const cap = document.createElement('span');
      cap.className = 'tile-caption';
      cap.textContent = `L${l}H${h}`;
      box.appendChild(cap);
      box.addEventListener('click', () => { S.attentionHead = [l, h]; S.headChosen = true; if (S.lastFrame) drawAttention(S.lastFrame.buffers); });
      row.appendChild(box);
      tiles.push({ view, box, l, h });
    }
    grid.appendChild(row);
  }
}

/**
 * Each head's induction score on the prompt: the mean weight a query puts on the key right after
 * an earlier copy of its own token (the induction pattern: "A B … A" attends to B; Olsson et al.
 * 2022), over the queries that have such an earlier copy; NaN for a head without any.
 */
function inductionScores(pattern, ids, L, H, T) {
  const scores = new Float64Array(L * H).fill(NaN);
  for (let lh = 0; lh < L * H; lh++) {
    let sum = 0, n = 0;
    for (let t = 1; t < T; t++) {
      let w = 0, found = false;
      for (let j = 1; j < t; j++) if (ids[j - 1] === ids[t]) { w += pattern[(lh * T + t) * T + j]; found = true; }
      if (found) { sum += w; n++; }
    }
    if (n) scores[lh] = sum / n;
  }
  return scores;
}

function drawAttention(b) {
  const a = b.attention;
  if (!a) return;
  const [L, H, T] = a.shape;
  const shape = `${L}x${H}`;
  if (shape !== tileShape) { buildTiles(L, H); tileShape = shape; }
  const tokens = Array.from(b.prompt_tokens.data, (id) => tokenText(S.config, id));
  // Until a head is clicked, the enlarged one is the strongest induction head when the prompt
  // repeats a token and one scores over 0.3 (the induction preset), else layer 0 head 0.
  const scores = inductionScores(a.data, b.prompt_tokens.data, L, H, T);
  let best = -1;
  for (let i = 0; i < L * H; i++) if (scores[i] > 0.3 && (best < 0 || scores[i] > scores[best])) best = i;
  if (!S.headChosen) S.attentionHead = best >= 0 ? [Math.floor(best / H), best % H] : [0, 0];
  let [sl, sh] = S.attentionHead;
  if (sl >= L || sh >= H) { sl = 0; sh = 0; S.attentionHead = [0, 0]; }
  for (const t of tiles) {
    t.view.update({ pattern: a.data, offset: (t.l * H + t.h) * T * T, T });
    t.box.classList.toggle('selected', t.l === sl && t.h === sh);
  }
  const score = scores[sl * H + sh];
  $('attention-title').textContent = `layer ${sl}, head ${sh}${Number.isFinite(score) ? ` (induction score ${score.toFixed(2)})` : ''}`;
  bigAttention.update({ pattern: a.data, offset: (sl * H + sh) * T * T, T, tokens });
}

function drawLoss(f, b) {
  const steps = b.history_step.data, train = b.history_train_loss.data, held = b.history_eval_loss.data;
  const tl = [], hl = [];
  let top = 0;
  for (let i = 0; i < steps.length; i++) {
    if (Number.isFinite(train[i])) { tl.push(steps[i], train[i]); top = Math.max(top, train[i]); }
    if (Number.isFinite(held[i])) { hl.push(steps[i], held[i]); top = Math.max(top, held[i]); }
  }
  const total = Math.max(1, S.config.steps);
  lossPlot.setRange({ x: [0, total], y: [0, Math.max(1.5, Math.ceil(top * 1.05 * 2) / 2)] });
  const lines = [{ xy: tl, color: TRAIN, width: 2 }, { xy: hl, color: HELDOUT, width: 2 }];
  const legend = [{ label: 'train', color: TRAIN }, { label: 'held-out', color: HELDOUT }];
  if (S.config && S.config.data === 'toy') {
    lines.unshift({ xy: [0, TOY_ENTROPY, total, TOY_ENTROPY], color: FLOOR, width: 1.2, dash: [5, 4] });
    legend.push({ label: 'entropy of the toy world (no model can go lower)', color: FLOOR, dash: [5, 4] });
  }
  lossPlot.update({ lines, legend });
}

function drawPrompt(b) {
  const c = S.config;
  updateChips($('chips'), Array.from(b.prompt_tokens.data, (id) => tokenText(c, id)));
  const probs = b.next_token_probs.data;
  updateBars($('next-bars'), Array.from(b.next_token_top.data, (id) => ({ label: tokenText(c, id), value: probs[id], text: probs[id].toFixed(3) })),
    { max: 1 });
  const words = (ids) => Array.from(ids, (id) => tokenText(c, id)).join(c && c.tokenizer === 'word' ? ' ' : '');
  $('greedy').textContent = words(b.greedy_tokens.data);
  $('sampled').textContent = words(b.sample_tokens.data);
}

function targetName(b) {
  return b && b.target ? tokenText(S.config, b.target.data[0]) : '–';
}

function drawDla(b) {
  const names = S.config.dla_components;
  const v = b.dla.data;
  updateBars($('dla-bars'), names.map((n, i) => ({ label: n, value: v[i], text: v[i].toFixed(2) })), { signed: true });
  const [bias, logit] = b.dla_bias_logit.data;
  $('dla-sum').textContent = `Each bar: what that component writes to the residual stream at the last position, read through the final LayerNorm's scale and the unembedding of “${targetName(b)}”. With the LayerNorm's bias term (${bias.toFixed(2)}) they sum to the logit of “${targetName(b)}”: ${logit.toFixed(2)}.`;
  syncTargetOptions(b);
}

function drawAblation(b) {
  const names = S.config.ablation_components;
  const [cleanLoss, cleanP] = b.ablation_clean.data;
  const L = b.ablation_loss.data, P = b.ablation_target_prob.data;
  updateBars($('abl-loss'), names.map((n, i) => ({ label: n, value: L[i] - cleanLoss, text: (L[i] - cleanLoss >= 0 ? '+' : '') + (L[i] - cleanLoss).toFixed(3) })), { signed: true });
  updateBars($('abl-prob'), names.map((n, i) => ({ label: n, value: P[i] - cleanP, text: (P[i] - cleanP >= 0 ? '+' : '') + (P[i] - cleanP).toFixed(3) })), { signed: true, max: 1 });
  $('abl-p-title').textContent = `Δ P(“${targetName(b)}” | prompt)`;
  $('abl-clean').textContent = `Clean: held-out loss ${cleanLoss.toFixed(3)} nats/token (on ${ABLATION_WINDOWS} held-out windows), P(“${targetName(b)}”) = ${cleanP.toFixed(3)}. ` +
    `Each component's output is replaced by ${S.state.abl === 'zero' ? 'zero' : 'its mean over the held-out windows'}, one at a time.`;
}

function drawProbe(b) {
  const panel = $('probe-panel');
  panel.hidden = !b.probe_score;
  if (!b.probe_score) return;
  const [right, total] = b.probe_score.data;
  $('probe-score').textContent = `${right} / ${total} right${right >= PROBE_PASS ? ' (passes: ≥ 34)' : ''}`;
  updateProbe($('probe-grid'), S.config.probe_prompts, S.config.probe_expected, b.probe_correct.data, b.probe_p_expected.data);
}

// The held-out loss readout (the toolbar, page-boot.js, shows the step, speed and status).
function drawLossReadout(b) {
  const held = b.history_eval_loss ? b.history_eval_loss.data : [];
  $('loss').textContent = held.length ? `${held[held.length - 1].toFixed(3)} nats/token` : '–';
}

// A frame is drawn over a few animation frames, a group of panels in each, so that no task of the
// main thread lays out and paints the whole page at once (the first frame builds every panel).
const STAGES = [
  (f, b) => { drawLossReadout(b); if (b.prompt_tokens) { drawLoss(f, b); drawPrompt(b); } },
  (f, b) => drawAttention(b),
  (f, b) => { updateStream($('stream'), S.config, b, targetName(b)); updateLensTable($('lens-table'), S.config, b); },
  (f, b) => { drawDla(b); drawAblation(b); drawProbe(b); },
  (f, b) => { syncHooks(); saePanels.draw(f, b, S.config, S.state); },
];
let pendingFrame = null;
let drawing = null;      // the frame being drawn, stage by stage
let stage = 0;
let ticking = false;
function tick() {
  if (stage === 0) { drawing = pendingFrame; pendingFrame = null; }
  if (drawing && S.config && drawing.buffers) {
    const b = drawing.buffers;
    if (stage === 0 || b.prompt_tokens) STAGES[stage](drawing, b);
    stage = (stage + 1) % STAGES.length;
  } else stage = 0;
  ticking = stage !== 0 || pendingFrame !== null;
  if (ticking) requestAnimationFrame(tick);
}

// The moments the done criterion of issue 15 names, on the page's clock (ms since navigation).
function recordMilestones(b) {
  if (!b || !b.next_token_top || !S.config || S.config.data !== 'toy') return;
  const r = S.reached;
  if (r.hot === null && S.state.prompt === LM_PROMPTS.toy && tokenText(S.config, b.next_token_top.data[0]) === 'hot') r.hot = performance.now();
  if (r.probe === null && b.probe_score && b.probe_score.data[0] >= PROBE_PASS) r.probe = performance.now();
}

client.onFrame((f) => {
  if (f.done) S.wantRun = false;
  recordMilestones(f.buffers);
  pendingFrame = f;
  if (!ticking) { ticking = true; requestAnimationFrame(tick); }
});

// ---- controls -------------------------------------------------------------------------------
function presetOf(s) {
  if (S.text) return 'text';
  return s.prompt === LM_PROMPTS.induction ? 'induction' : 'toy';
}

function syncControls(s) {
  for (const k of ['layers', 'd', 'heads', 'ctx', 'batch', 'steps', 'lr', 'seed', 'sseed', 'abl']) {
    const el = $(k);
    if (document.activeElement !== el) el.value = String(s[k]);
  }
  if (document.activeElement !== $('prompt')) $('prompt').value = s.prompt;
  $('temp').value = String(Math.min(2, s.temp));
  $('temp-value').textContent = Number(s.temp).toFixed(2);
  $('preset').value = presetOf(s);
  $('target').value = s.target;
  for (const k of ['arch', 'latents', 'l1', 'k', 'sae', 'order', 'dir', 'from', 'unit', 'lablat', 'pa', 'pb']) {
    const el = $(k);
    if (document.activeElement !== el) el.value = String(s[k]);
  }
  if (s.from > 0 && !Array.from($('from').options).some((o) => o.value === String(s.from))) {
    const o = document.createElement('option');
    o.value = String(s.from);
    o.textContent = `every position from ${s.from}`;
    $('from').appendChild(o);
    $('from').value = String(s.from);
  }
  syncHooks();
  $('strength').value = String(s.strength);
  $('strength-value').textContent = Number(s.strength).toFixed(1);
  $('unit-label').hidden = s.dir !== 'unit';
  $('means-prompts').hidden = s.dir !== 'means';
}

// The hook menu: every hook an SAE can read for this many layers.
let hookLayers = 0;
function syncHooks() {
  const sel = $('hook');
  const L = S.config ? S.config.n_layers : S.state.layers;
  if (L !== hookLayers) {
    hookLayers = L;
    sel.replaceChildren();
    for (let l = 0; l < L; l++)
      for (const h of ['hook_resid_pre', 'hook_attn_out', 'hook_resid_mid', 'mlp.hook_post', 'hook_mlp_out', 'hook_resid_post']) {
        const o = document.createElement('option');
        o.value = o.textContent = `blocks.${l}.${h}`;
        sel.appendChild(o);
      }
  }
  if (document.activeElement !== sel) sel.value = S.state.hook;
}

// The target menu: the top prediction (default) or any token of the vocabulary (a byte model:
// its printable ASCII bytes, the ones a JSON string carries as one byte).
let targetVocab = null;
function syncTargetOptions(b) {
  const sel = $('target');
  const c = S.config;
  if (targetVocab !== c.vocab) {
    targetVocab = c.vocab;
    sel.replaceChildren();
    const top = document.createElement('option');
    top.value = '';
    sel.appendChild(top);
    c.vocab.forEach((v, id) => {
      const piece = c.tokenizer === 'word' ? v : id >= 32 && id < 127 ? String.fromCharCode(id) : null;
      if (piece === null) return;
      const o = document.createElement('option');
      o.value = piece;
      o.textContent = v;
      sel.appendChild(o);
    });
    sel.value = S.state.target;
  }
  const label = `top prediction (${b.next_token_top ? tokenText(c, b.next_token_top.data[0]) : '–'})`;
  if (sel.options[0].textContent !== label) sel.options[0].textContent = label;
}

let lastModel = null;
let lastSae = null;
const saePanels = new SaePanels({ pick: (latent) => setField('latent', String(latent)) });
const configure = page.serial(async () => {
  const data = dataOf();
  const key = modelKey(S.state, data);
  const fresh = key !== lastModel;
  let sae = saeKey(S.state);
  const freshSae = sae !== lastSae;
  let a = null;
  // A prompt or target the vocabulary does not hold, from a link or an old state, falls back to
  // its default with a note (as a malformed key does); typed by the user, it is an error and the
  // trained model stays.
  for (let tries = 0; !a; tries++) {
    try {
      sae = saeKey(S.state);  // the SAE this configure sends (a control changed meanwhile configures again)
      a = await client.configure(sessionConfig(S.state, data), 'lm');
    } catch (e) {
      const m = /^(prompt|target|latent_label|steer_prompts_a|steer_prompts_b)\b/.exec(e.message);
      const field = m && LM.byName.get(TEXT_KEYS[m[1]]);
      if (!field || lastModel === key || tries >= 5 || S.state[field.name] === field.def) throw e;
      S.notes.push(`${e.message}; using the default ${field.name}${field.def ? ` “${field.def}”` : ' (the top prediction)'}`);
      S.state[field.name] = field.def;
      showNotes({ notes: S.notes, ignored: page.parsed.ignored });
      page.writeHash();
      syncControls(S.state);
    }
  }
  S.config = a.config;
  targetVocab = null;
  if (fresh) { S.wantRun = true; S.reached = { hot: null, probe: null }; lossPlot.reset(); }
  if (fresh || freshSae) { saePanels.reset(); if (S.state.sae > 0) S.wantRun = true; }
  lastModel = key;
  lastSae = sae;
  renderModelInfo();
  if (S.wantRun) await client.play();
});

function renderModelInfo() {
  const c = S.config;
  const data = c.data === 'text' ? `bytes of ${S.text ? S.text.name : 'your text file'}` : 'the toy world';
  $('model-info').textContent = `${groupThousands(c.n_params)} parameters; ${c.vocab_size} tokens (${c.tokenizer} tokenizer) of ${data}; ` +
    `${c.n_layers} layers × ${c.n_heads} heads, d_model ${c.d_model}, context ${c.context}, batch ${c.batch_size} × ${c.context} tokens per step, AdamW with warm-up and cosine decay.`;
}

function apply() {
  page.writeHash();
  syncControls(S.state);
  return configure();
}

function setField(name, raw) {
  const f = LM.byName.get(name);
  const r = f.type === 'text' ? { ok: f.pattern.test(raw) && raw.length <= f.maxLength, value: raw }
    : f.type === 'enum' && typeof f.def === 'number' ? { ok: f.values.includes(Number(raw)), value: Number(raw) }
      : { ok: true, value: raw };
  const parsed = f.type === 'text' || f.type === 'enum' ? r : parseNumber(f, raw);
  if (!parsed.ok) { syncControls(S.state); showError(`${name}: not ${f.accepts || `in [${f.min}, ${f.max}]`}`); return; }
  S.state[name] = parsed.value;
  apply();
}

function parseNumber(f, raw) {
  const x = Number(raw);
  const ok = raw !== '' && Number.isFinite(x) && x >= f.min && x <= f.max && (f.type !== 'int' || Number.isInteger(x));
  return { ok, value: x };
}

async function loadText(file) {
  if (!file) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  const before = dataOf();
  // A prompt the file's bytes can read: its first words.
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 200)).replace(/[\u0000-\u001f\u007f\ufffd]+/g, ' ').trim();
  const prompt = head.slice(0, 40).replace(/\s+\S*$/, '') || head.slice(0, 20) || LM_PROMPTS.toy;
  const state = { ...S.state, prompt, target: '' };
  try {
    const a = await client.configure(sessionConfig(state, 'text'), 'lm', bytes);
    S.text = { name: file.name };
    S.state = state;
    S.config = a.config;
    targetVocab = null;
    lastModel = modelKey(S.state, 'text');
    S.wantRun = true;
    lossPlot.reset();
    page.hideError();
    page.writeHash();
    syncControls(S.state);
    renderModelInfo();
    await client.play();
  } catch (e) {
    // The session refused the file (empty, binary, too big or too short) and kept its model: show
    // why, and carry on with what ran before.
    try {
      await client.configure(sessionConfig(S.state, before), 'lm');
      if (S.wantRun) await client.play();
    } catch { /* the error below says it */ }
    syncControls(S.state);
    showError(`${file.name}: ${e.message}`);
    S.fileError = e.message;
  }
}

function bind() {
  syncControls(S.state);
  for (const k of MODEL_KEYS) $(k).addEventListener('change', (e) => setField(k, e.target.value));
  $('abl').addEventListener('change', (e) => setField('abl', e.target.value));
  for (const k of ['hook', 'arch', 'latents', 'l1', 'k', 'sae', 'order', 'dir', 'from', 'unit', 'lablat', 'pa', 'pb'])
    $(k).addEventListener('change', (e) => setField(k, e.target.value));
  $('strength').addEventListener('input', (e) => { $('strength-value').textContent = Number(e.target.value).toFixed(1); setField('strength', e.target.value); });
  $('sseed').addEventListener('change', (e) => setField('sseed', e.target.value));
  $('temp').addEventListener('input', (e) => { $('temp-value').textContent = Number(e.target.value).toFixed(2); setField('temp', e.target.value); });
  $('target').addEventListener('change', (e) => setField('target', e.target.value));
  let typing = null;
  $('prompt').addEventListener('input', (e) => {
    clearTimeout(typing);
    typing = setTimeout(() => { if (e.target.value.trim() !== '') setField('prompt', e.target.value.trim()); }, 200);
  });
  $('prompt').addEventListener('change', (e) => { clearTimeout(typing); setField('prompt', e.target.value.trim()); });
  $('preset').addEventListener('change', (e) => {
    const v = e.target.value;
    if (v === 'text') { $('preset').value = presetOf(S.state); $('text-file').click(); return; }
    S.text = null;
    Object.assign(S.state, { prompt: LM_PROMPTS[v], target: '' });
    apply();
  });
  $('text-file').addEventListener('change', (e) => { const file = e.target.files && e.target.files[0]; e.target.value = ''; loadText(file); });
  document.addEventListener('dragover', (e) => { e.preventDefault(); });
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    const file = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
    if (file) loadText(file);
  });
  // The toolbar's play, step and reset: training the page asked for carries on after a change
  // of view only while the user has not paused it.
  page.toolbar.on('play', () => { S.wantRun = true; });
  page.toolbar.on('pause', () => { S.wantRun = false; });
  page.toolbar.on('reset', () => {
    S.wantRun = false;
    S.reached = { hot: null, probe: null };
    lossPlot.reset();
  });
  page.onHashChange(apply);
}

// The page's fields that a model file's config sets (the rest of its config travels in S.loaded).
const FROM_CONFIG = { layers: 'n_layers', d: 'd_model', heads: 'n_heads', ctx: 'context', batch: 'batch_size', steps: 'steps', lr: 'lr', seed: 'seed' };
addModelButtons($('copy-link'), {
  client,
  kind: 'lm',
  stem: () => 'model',  // model.safetensors: GPT-2 tensor names, the config in its metadata
  adopt: (config) => {
    // The loaded model at step 0 of a new run (the worker has stopped): the page's fields from its
    // config where the page's table holds the value, the view from the session's answer.
    S.text = null;
    for (const [k, c] of Object.entries(FROM_CONFIG)) {
      const r = parseValue(LM.byName.get(k), String(config[c]));
      if (r.ok) S.state[k] = r.value;
    }
    S.config = config;
    S.loaded = { config, key: modelKey(S.state, 'toy') };
    lastModel = S.loaded.key;
    targetVocab = null;
    S.wantRun = false;
    S.reached = { hot: null, probe: null };
    lossPlot.reset();
    page.hideError();
    // The page's prompt and view, read by the loaded weights (a view-only configure).
    apply().then(() => {
      $('model-info').textContent = `Loaded: ${$('model-info').textContent} Press play to train it further (a fresh AdamW from these weights).`;
    });
  },
  onError: showError,
});

// The SAE as a SAELens folder (.zip), and one read back onto the trained model in place of the SAE
// stage's training: the page's SAE fields take the file's (hook, architecture, latents, k).
addSaeLensButtons($('copy-link'), {
  client,
  run: () => 0,
  stem: () => `lm_sae_${S.state.hook}`,
  key: () => `${saeKey(S.state)}:${S.lastFrame ? S.lastFrame.step : 0}`,
  onLoaded: (config) => {
    const from = { hook: 'sae_hook', arch: 'sae_arch', latents: 'sae_latents', k: 'sae_k', sae: 'sae_steps' };
    for (const [k, c] of Object.entries(from)) {
      const r = parseValue(LM.byName.get(k), String(config[c]));
      if (r.ok) S.state[k] = r.value;
    }
    S.config = config;
    lastSae = saeKey(S.state);
    S.state.latent = -1;
    page.hideError();
    apply();
  },
  onError: showError,
});

bind();
client.ready.then(apply);
