// worker.js: the training loop, in a classic Web Worker that owns the wasm module.
//
// What it is: loads lab.js or lab-toy.js (Emscripten MODULARIZE build, docs/wasm-api.md), answers the page's
// requests (protocol.js) in order, and while playing runs `lab.step(k)` in short chunks of
// ~12 ms, adapting k to the measured time, so that pause/reset messages are handled between two
// chunks (at once, from the user's point of view) and V8 optimises the hot wasm functions
// (no on-stack replacement for wasm: many short calls beat one long one, toolchain §11).
// Every ~50 ms it posts a frame (less often when a frame's buffers are costly to compute, so that
// frames take at most a quarter of the run's time: the lm session reads its model off dozens of
// forward passes): step, total_steps, done, loss and a copy of each named buffer with its current shape, taken out of the wasm heap with one `.slice()` and *transferred* (not
// cloned) to the page.
// Kind-agnostic: it runs every experiment kind by the step contract of docs/wasm-api.md alone
// ({step, total_steps, done, loss} in every step answer, and in configure/reset/import answers):
// it never asks for more than total_steps − step (the last chunk is clipped, so a run ends
// exactly at its length whatever the chunk timing), stops on `done`, and sends whatever buffers
// the module lists, with the shapes they have now (grok's history grows).
// What it is not: no drawing and no DOM; no state of its own beyond the run loop.
'use strict';

// SUPERPOSE_BASE: set when the page started this worker from a blob: URL (client.js
// startWorker, for sandboxed iframes), where relative URLs would not resolve. BASE is this
// file's folder (lib/, beside protocol.js); ROOT the site's root, where the build puts the
// modules (lab.js, lab.wasm, lab-toy.*: CMakeLists.txt's `site` target).
const BASE = typeof self.SUPERPOSE_BASE === 'string' ? self.SUPERPOSE_BASE : '';
const ROOT = `${BASE}../`;
// The module: `lab` (every experiment kind) or `lab-toy` (the toy model only: the toy page's
// smaller download), from worker.js?module=… (or SUPERPOSE_MODULE for a blob: worker). Anything
// else loads `lab`: the name becomes a URL, so it is taken from this list only.
const MODULES = ['lab', 'lab-toy'];
const asked = typeof self.SUPERPOSE_MODULE === 'string' ? self.SUPERPOSE_MODULE
  : (/[?&]module=([\w-]+)/.exec(self.location && self.location.search ? self.location.search : '') || [])[1];
const MODULE = MODULES.includes(asked) ? asked : 'lab';
importScripts(`${BASE}protocol.js`);
const P = self.SuperposeProtocol;

const CHUNK_MS = 12;      // target duration of one lab.step(k) call
const FRAME_GAP = 3;      // while running, at least 3× the last frame's cost between frames (≤ 25% of the time)
const MAX_K = 100000;

let lab = null;           // the C++ Lab object
let config = null;        // the lab's filled-in config (from configure's answer)
let step = 0;             // where the run stands (every answer of the module says)
let totalSteps = 0;
let lossTotal = NaN;
let running = false;
let done = false;
let k = 4;                // steps per chunk, adapted
let runToken = 0;         // bumps on every start/stop: a stale scheduled chunk does nothing
let lastFrameAt = -Infinity;
let frameCost = 0;        // ms the last frame took (buffers refreshed and copied)
let stepsPerSec = 0;
let trace = [];           // [step, loss per instance] after each chunk since the last frame
let grid = 0;             // play's grid (protocol.js): chunks end on its multiples; 0: none
let share = 1;            // play's share: one of this many workers whose frames one page merges
let frameMs = P.FRAME_MS; // play's frame_ms: the merged stream's least interval between frames

const now = () => performance.now();

function post(msg, transfer) {
  self.postMessage(msg, transfer || []);
}

function parse(json) {
  try {
    return JSON.parse(json);
  } catch (e) {
    return { ok: false, error: `the module answered malformed JSON: ${String(json).slice(0, 80)}` };
  }
}

// ---- loading the module -----------------------------------------------------------------
const ready = (async () => {
  importScripts(`${ROOT}${MODULE}.js`);
  // The .wasm sits beside the module's .js, not beside this worker (Emscripten's default).
  const Module = await self.createLab({ locateFile: (file) => ROOT + file });
  lab = new Module.Lab();
  post({ type: P.EVENT.READY });
})();
ready.catch((e) => post({ type: P.EVENT.ERROR, error: `could not load the wasm module: ${e && e.message ? e.message : e}` }));

// ---- frames -----------------------------------------------------------------------------
function sendFrame() {
  const t0 = now();
  const buffers = {};
  const listed = config ? parse(lab.buffers()) : [];
  for (const { name, shape } of Array.isArray(listed) ? listed : []) {
    // A view into the wasm heap, valid until the next call into the module: copy at once.
    buffers[name] = { shape, data: lab.buffer(name).slice() };
  }
  const K = trace.length > 0 ? trace[0][1].length : 0;
  const steps = new Float64Array(trace.length);
  const loss = new Float32Array(trace.length * K);
  trace.forEach(([s, l], t) => { steps[t] = s; loss.set(l, t * K); });
  trace = [];
  const fr = P.frame({ step, totalSteps, running, done, lossTotal, stepsPerSec }, buffers, { steps, loss });
  post(fr, P.transferList(fr));
  lastFrameAt = now();
  frameCost = lastFrameAt - t0;
}

// ---- the run loop -----------------------------------------------------------------------
// A MessageChannel schedules the next chunk as a fresh task with no timer clamping; the page's
// messages are tasks too, so they are handled between chunks.
const channel = typeof MessageChannel === 'function' ? new MessageChannel() : null;
let scheduled = null;
if (channel) channel.port1.onmessage = () => { const f = scheduled; scheduled = null; if (f) f(); };
function later(f) {
  if (channel) { scheduled = f; channel.port2.postMessage(0); } else setTimeout(f, 0);
}

function stop() {
  running = false;
  runToken++;
}

// The steps a request for k may take: never past the run's end (0 once there; a step(0) lets a
// kind finish its end-of-run work, e.g. steer's SAE after a change of SAE).
const clip = (kk) => Math.max(0, Math.min(kk, totalSteps - step));

// Where the run stands, from any answer of the module (the step contract).
function adoptProgress(r) {
  step = r.step;
  totalSteps = r.total_steps;
  done = r.done;
}

// traced: whether this answer's losses join the trace (while playing on a grid, only on its
// multiples and at the run's end).
function record(r, traced = true) {
  adoptProgress(r);
  lossTotal = r.loss_total;
  if (traced && Array.isArray(r.loss) && r.loss.length > 0) trace.push([step, r.loss]);
}

function chunk(token) {
  if (!running || token !== runToken) return;
  const kk = grid ? Math.min(clip(k), grid - (step % grid)) : clip(k);
  const t0 = now();
  const r = parse(lab.step(kk));
  const dt = now() - t0;
  if (!r.ok) {
    stop();
    post({ type: P.EVENT.ERROR, error: r.error || 'training failed' });
    sendFrame();
    return;
  }
  adoptProgress(r);  // (where it stands now: the grid test reads it)
  record(r, !grid || step % grid === 0 || step >= totalSteps || done);
  if (kk > 0) {
    // Adapt k towards CHUNK_MS per call; at most double per chunk so a slow outlier cannot explode it.
    if (dt < 0.5) k = Math.min(MAX_K, k * 2);
    else k = Math.max(1, Math.min(MAX_K, k * 2, Math.round((kk * CHUNK_MS) / dt)));
    const sps = (kk * 1000) / Math.max(dt, 0.01);
    stepsPerSec = stepsPerSec ? 0.8 * stepsPerSec + 0.2 * sps : sps;
  }
  // A call that could train nothing ends the run too (done or not: another would do the same).
  if (done || kk === 0) {
    stop();
    sendFrame();
    return;
  }
  // One worker of the whole experiment: a frame per frame_ms (FRAME_MS unless play asked for
  // fewer), or 3× its cost. One of n, whose frame costs about 1/n of the whole's: 1/n as many
  // frames as that one would send.
  if (now() - lastFrameAt >= share * Math.max(frameMs, FRAME_GAP * share * frameCost)) sendFrame();
  later(() => chunk(token));
}

// ---- requests ---------------------------------------------------------------------------
function adopt(answer) {
  config = answer.config;
  adoptProgress(answer);
  lossTotal = NaN;
  trace = [];
}

function handle(msg) {
  const bad = P.validateRequest(msg);
  if (bad) return P.reply(msg && Number.isSafeInteger(msg.id) ? msg.id : -1, false, { error: bad });
  const R = P.REQUEST;
  switch (msg.type) {
    case R.CONFIGURE: {
      stop();
      const kind = msg.kind || 'toy';
      const json = JSON.stringify(msg.config);
      const a = parse(msg.bytes ? lab.configureWithFile(kind, json, msg.bytes) : lab.configure(kind, json));
      if (!a.ok) { config = null; return P.reply(msg.id, false, { error: a.error }); }
      adopt(a);
      sendFrame();
      return P.reply(msg.id, true, { config });
    }
    case R.RESET: {
      stop();
      if (!config) return P.reply(msg.id, false, { error: 'not configured' });
      const a = parse(lab.reset());
      if (!a.ok) return P.reply(msg.id, false, { error: a.error });
      adopt(a);
      sendFrame();
      return P.reply(msg.id, true, { config });
    }
    case R.PLAY: {
      if (!config) return P.reply(msg.id, false, { error: 'not configured' });
      if (done) return P.reply(msg.id, false, { error: `already trained ${totalSteps} steps: reset first` });
      grid = msg.grid || 0;
      share = msg.share || 1;
      frameMs = msg.frame_ms || P.FRAME_MS;
      if (!running) {
        running = true;
        runToken++;
        const token = runToken;
        later(() => chunk(token));
      }
      return P.reply(msg.id, true);
    }
    case R.PAUSE: {
      // The final frame: the model as paused, always sent before the reply (even when nothing was
      // running), so a page that awaited pause() shows exactly the model a save would write.
      stop();
      if (config) sendFrame();
      return P.reply(msg.id, true);
    }
    case R.STEP: {
      if (!config) return P.reply(msg.id, false, { error: 'not configured' });
      stop();
      const r = parse(lab.step(clip(msg.k)));
      if (!r.ok) return P.reply(msg.id, false, { error: r.error });
      record(r);
      sendFrame();
      return P.reply(msg.id, true);
    }
    case R.EXPORT: {  // issue 7: the model as a safetensors file
      if (!config) return P.reply(msg.id, false, { error: 'not configured' });
      const a = parse(lab.exportSafetensors());
      if (!a.ok) return P.reply(msg.id, false, { error: a.error });
      // A frame of the model as saved, before the reply: what the page shows is what was saved.
      sendFrame();
      return P.reply(msg.id, true, { bytes: lab.exportedBytes().slice(), step });
    }
    case R.IMPORT: {  // issue 7: a model file replaces the experiment (a bad file changes nothing)
      const a = parse(lab.importSafetensors(msg.kind || 'toy', msg.bytes));
      if (!a.ok) return P.reply(msg.id, false, { error: a.error });
      stop();
      adopt(a);
      sendFrame();
      return P.reply(msg.id, true, { config });
    }
    case R.EXPORT_SAELENS: {  // issue 7: one SAE as SAELens's two files
      if (!config) return P.reply(msg.id, false, { error: 'not configured' });
      const a = parse(lab.exportSaeLens(msg.run));
      if (!a.ok) return P.reply(msg.id, false, { error: a.error });
      return P.reply(msg.id, true, { cfg: a.cfg_json, bytes: lab.exportedBytes().slice() });
    }
    case R.IMPORT_SAELENS: {  // issue 7: a SAELens SAE into the experiment (a bad file changes nothing)
      if (!config) return P.reply(msg.id, false, { error: 'not configured' });
      const a = parse(lab.importSaeLens(msg.cfg, msg.bytes));
      if (!a.ok) return P.reply(msg.id, false, { error: a.error });
      stop();
      adopt(a);
      sendFrame();
      return P.reply(msg.id, true, { config });
    }
    default:
      return P.reply(msg.id, false, { error: 'unhandled request' });
  }
}

// Requests are handled strictly in order, after the module has loaded.
let queue = ready;
self.onmessage = (e) => {
  const msg = e.data;
  queue = queue.then(() => {
    let answer;
    try {
      answer = handle(msg);
    } catch (err) {
      answer = P.reply(msg && Number.isSafeInteger(msg.id) ? msg.id : -1, false,
        { error: `worker error: ${err && err.message ? err.message : err}` });
    }
    post(answer);
  }, (err) => {
    post(P.reply(msg && Number.isSafeInteger(msg.id) ? msg.id : -1, false,
      { error: `the wasm module did not load: ${err && err.message ? err.message : err}` }));
  });
};
