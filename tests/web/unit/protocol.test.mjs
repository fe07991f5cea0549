// Unit tests for the worker protocol: web/lib/protocol.js on its own, then web/lib/worker.js run in a
// node `vm` context (standing in for a classic Web Worker) over a fake `lab.js` that follows
// docs/wasm-api.md, and web/lib/client.js talking to that worker. No wasm and no browser needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const WEB = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../web/lib');
await import('../../../web/lib/protocol.js');
const P = globalThis.SuperposeProtocol;
const { LabClient } = await import('../../../web/lib/client.js');

// A fake lab.js: the module API of docs/wasm-api.md, with a loss that decays with the step, and
// the step contract's {step, total_steps, done} in every answer. Kind 'toy' has the toy buffers;
// kind 'grow' one buffer whose shape grows with the step (like grok's history). Unlike a real
// session, the fake's step(k) does not clip k at the run's end: it trains past it and records
// every k it was asked (lab.asked), so the tests see what the worker asks for.
const FAKE_LAB = `
var createLab = function () {
  function Lab() { this.cfg = null; this.t = 0; this.heap = new Float32Array(1 << 16); this.failAt = -1;
    this.asked = []; globalThis.fakeLab = this; }
  Lab.prototype.progress = function (body) {
    body.step = this.t; body.total_steps = this.cfg.steps; body.done = this.t >= this.cfg.steps;
    return JSON.stringify(body);
  };
  Lab.prototype.configure = function (kind, json) {
    if (kind === 'grow') {
      this.kind = kind; this.cfg = { steps: JSON.parse(json).steps || 100, n_instances: 1 }; this.t = 0;
      return this.progress({ ok: true, config: this.cfg });
    }
    if (kind !== 'toy') return JSON.stringify({ ok: false, error: 'unknown kind ' + kind });
    this.kind = kind;
    var c = JSON.parse(json);
    var d = { n_features: 5, n_hidden: 2, n_instances: 1, feature_probability: 0.05, importance_decay: 1,
      model: 'relu', correlation: 'none', batch_size: 1024, lr: 1e-3, steps: 10000, seed: 0 };
    for (var k in c) { if (!(k in d) && k !== 'schedule' && k !== 'warmup_steps' && k !== 'fail_at' && k !== 'spin_ms')
      return JSON.stringify({ ok: false, error: 'unknown key ' + k }); d[k] = c[k]; }
    if (d.n_hidden > d.n_features) return JSON.stringify({ ok: false, error: 'n_hidden must be in [1, n_features]' });
    this.failAt = d.fail_at || -1; delete d.fail_at;
    this.spinMs = d.spin_ms || 0.2; delete d.spin_ms;
    this.cfg = d; this.t = 0;
    return this.progress({ ok: true, config: d });
  };
  Lab.prototype.reset = function () { this.t = 0; return this.progress({ ok: true, config: this.cfg }); };
  Lab.prototype.step = function (k) {
    if (!this.cfg) return JSON.stringify({ ok: false, error: 'not configured' });
    this.asked.push(k);
    this.t += k;
    if (this.failAt >= 0 && this.t >= this.failAt) return JSON.stringify({ ok: false, error: 'diverged (NaN)' });
    var K = this.cfg.n_instances, loss = [];
    for (var i = 0; i < K; i++) loss.push(1 / (1 + this.t));
    var spin = Date.now() + this.spinMs; while (Date.now() < spin) {}
    return this.progress({ ok: true, loss: loss, loss_total: K / (1 + this.t) });
  };
  Lab.prototype.shapes = function () {
    if (this.kind === 'grow') return { history_step: [this.t + 1] };
    var K = this.cfg.n_instances, n = this.cfg.n_features, m = this.cfg.n_hidden;
    return { W: [K, m, n], b: [K, n], WtW: [K, n, n], feature_norms: [K, n], interference: [K, n],
      dimensionality: [K, n], dims_per_feature: [K], loss: [K], feature_probability: [K], importance: [n] };
  };
  Lab.prototype.buffers = function () {
    var s = this.shapes(), out = [];
    for (var k in s) out.push({ name: k, shape: s[k] });
    return JSON.stringify(out);
  };
  Lab.prototype.buffer = function (name) {
    var s = this.shapes()[name];
    if (!s) return new Float32Array(0);
    var size = s.reduce(function (a, x) { return a * x; }, 1);
    for (var i = 0; i < size; i++) this.heap[i] = name === 'loss' ? 1 / (1 + this.t) : name === 'history_step' ? i : this.t + i;
    return this.heap.subarray(0, size); // a view into the "heap", like embind's typed_memory_view
  };
  Lab.prototype.delete = function () {};
  return Promise.resolve({ Lab: Lab });
};`;

/** Start web/lib/worker.js in a fresh vm context. Returns {send, messages, transfers, close}.
 * timers: no MessageChannel, so the worker schedules its chunks with timers (node drains up to a
 * thousand of one port's messages before it runs anything else, so several busy workers in one
 * node process would otherwise starve each other and the test's own timers). */
function startWorker({ timers = false } = {}) {
  const messages = [];
  const listeners = [];
  const channels = [];
  const ctx = vm.createContext({
    performance, setTimeout, clearTimeout, console,
    ...(timers ? {} : { MessageChannel: class extends MessageChannel { constructor() { super(); channels.push(this); } } }),
    importScripts(name) {
      const src = path.basename(name) === 'lab.js' ? FAKE_LAB : fs.readFileSync(path.join(WEB, name), 'utf8');
      vm.runInContext(src, ctx, { filename: name });
    },
    postMessage(msg, transfer) {
      // What a real postMessage does: a structured clone that moves the transferred buffers.
      const copy = structuredClone(msg, { transfer });
      messages.push({ msg: copy, original: msg, transfer });
      for (const f of listeners) f(copy);
    },
  });
  ctx.self = vm.runInContext('globalThis', ctx);
  vm.runInContext(fs.readFileSync(path.join(WEB, 'worker.js'), 'utf8'), ctx, { filename: 'worker.js' });
  return {
    ctx,
    messages,
    send(msg) { ctx.self.onmessage({ data: structuredClone(msg) }); },
    listen(f) { listeners.push(f); },
    close() { for (const c of channels) { c.port1.close(); c.port2.close(); } },
  };
}

const waitFor = async (cond, ms = 5000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
};
const replyTo = (w, id) => w.messages.map((m) => m.msg).find((m) => m.type === 'reply' && m.id === id);
const frames = (w) => w.messages.map((m) => m.msg).filter((m) => m.type === 'frame');

test('validateRequest accepts the five requests and rejects malformed ones', () => {
  assert.equal(P.validateRequest(P.request(1, 'configure', { config: {} })), null);
  assert.equal(P.validateRequest(P.request(2, 'play')), null);
  assert.equal(P.validateRequest(P.request(2, 'play', { grid: 5, share: 2 })), null);
  assert.equal(P.validateRequest(P.request(2, 'play', { share: 2, frame_ms: 100 })), null);
  // The pool's grid for the longest run a config accepts (1e8 steps over 600 trace points).
  assert.equal(P.validateRequest(P.request(2, 'play', { grid: Math.ceil(1e8 / 600) })), null);
  assert.equal(P.validateRequest(P.request(3, 'pause')), null);
  assert.equal(P.validateRequest(P.request(4, 'step', { k: 10 })), null);
  assert.equal(P.validateRequest(P.request(5, 'reset')), null);
  assert.equal(P.validateRequest(P.request(6, 'configure', { config: {}, kind: 'sae', bytes: new Uint8Array(8) })), null);
  for (const bad of [null, 3, 'play', {}, { id: 1 }, { id: -1, type: 'play' }, { id: 1.5, type: 'play' },
    { id: 1, type: 'explode' }, { id: 1, type: 'configure' }, { id: 1, type: 'configure', config: [1] },
    { id: 1, type: 'configure', config: {}, bytes: 'QUJD' }, { id: 1, type: 'configure', config: {}, bytes: [1, 2] },
    { id: 1, type: 'step' }, { id: 1, type: 'step', k: 0 }, { id: 1, type: 'step', k: 1e9 }, { id: 1, type: 'step', k: 2.5 },
    { id: 1, type: 'play', share: 0 }, { id: 1, type: 'play', share: 1.5 }, { id: 1, type: 'play', share: 65 }, { id: 1, type: 'play', share: '2' },
    { id: 1, type: 'play', frame_ms: 49 }, { id: 1, type: 'play', frame_ms: 1001 }, { id: 1, type: 'play', frame_ms: 75.5 }, { id: 1, type: 'play', frame_ms: '100' }]) {
    assert.equal(typeof P.validateRequest(bad), 'string', JSON.stringify(bad));
  }
});

test('frames list every buffer for transfer and check shapes', () => {
  const a = new Float32Array(6);
  const b = new Float32Array(2);
  const fr = P.frame({ step: 3, totalSteps: 10, running: true, lossTotal: 0.5 }, { W: { shape: [1, 2, 3], data: a }, b: { shape: [2], data: b } });
  const list = P.transferList(fr);
  assert.deepEqual(list.slice(0, 2), [a.buffer, b.buffer]);
  assert.deepEqual(list.slice(2), [fr.trace.steps.buffer, fr.trace.loss.buffer]);
  assert.equal(P.checkFrame(fr), null);
  fr.buffers.b.shape = [3];
  assert.match(P.checkFrame(fr), /buffer b/);
  fr.buffers.b.shape = [2];
  fr.step = 11;
  assert.match(P.checkFrame(fr), /past totalSteps/);
});

test('worker: configure answers the filled-in config and sends a step-0 frame of transferred copies', async () => {
  const w = startWorker();
  try {
    w.send(P.request(1, 'configure', { config: { n_features: 5, n_hidden: 2, n_instances: 3 } }));
    await waitFor(() => replyTo(w, 1));
    const r = replyTo(w, 1);
    assert.equal(r.ok, true);
    assert.equal(r.config.n_instances, 3);
    const [fr] = frames(w);
    assert.equal(P.checkFrame(fr), null);
    assert.equal(fr.step, 0);
    assert.deepEqual(fr.buffers.W.shape, [3, 2, 5]);
    assert.equal(fr.buffers.W.data.length, 30);
    // Transferred, not cloned: the worker's copies were detached by postMessage...
    const sent = w.messages.find((m) => m.msg.type === 'frame');
    assert.equal(sent.transfer.length, Object.keys(fr.buffers).length + 2); // + the trace's two arrays
    for (const b of Object.values(sent.original.buffers)) assert.equal(b.data.byteLength, 0);
    // ...and each was a copy out of the heap (an exact-size buffer), not the heap itself.
    assert.equal(fr.buffers.W.data.buffer.byteLength, 30 * 4);
  } finally { w.close(); }
});

test('worker: errors come back as {ok:false, error}, never as exceptions', async () => {
  const w = startWorker();
  try {
    w.send(P.request(1, 'play'));
    w.send({ id: 2, type: 'explode' });
    w.send(P.request(3, 'configure', { config: { n_features: 2, n_hidden: 7 } }));
    w.send(P.request(4, 'configure', { config: { bogus: 1 } }));
    await waitFor(() => replyTo(w, 4));
    assert.match(replyTo(w, 1).error, /not configured/);
    assert.match(replyTo(w, 2).error, /unknown request type/);
    assert.match(replyTo(w, 3).error, /n_hidden/);
    assert.match(replyTo(w, 4).error, /bogus/);
  } finally { w.close(); }
});

test('worker: play\'s share n sends its running frames at least n × frame_ms apart (the pool\'s n workers; 50 ms unless asked)', async () => {
  for (const [share, frameMs] of [[1, undefined], [3, undefined], [2, 100]]) {
    const w = startWorker();
    try {
      const at = [];
      w.listen((m) => { if (m.type === 'frame' && m.running) at.push(performance.now()); });
      w.send(P.request(1, 'configure', { config: { n_instances: 2, steps: 1e8 } }));
      w.send(P.request(2, 'play', { ...(share > 1 ? { share } : {}), ...(frameMs ? { frame_ms: frameMs } : {}) }));
      await waitFor(() => at.length >= 5);
      w.send(P.request(3, 'pause'));
      await waitFor(() => replyTo(w, 3));
      const gaps = at.slice(1, 5).map((t, i) => t - at[i]);
      assert.ok(Math.min(...gaps) >= share * (frameMs || P.FRAME_MS) - 2, `share ${share}, frame_ms ${frameMs}: gaps ${gaps.map((g) => g.toFixed(1))} ms`);
    } finally { w.close(); }
  }
});

test('pool: when one shard finishes, the shards still training get the smaller share (the frame rate stays one worker\'s); frames 10 a second while every core trains', async () => {
  const { LabPool, BUSY_FRAME_MS } = await import('../../../web/lib/pool.js');
  assert.equal(BUSY_FRAME_MS, 2 * P.FRAME_MS);
  const vms = [];
  const plays = [];  // [worker index, share, frame_ms] of every play request the pool sent
  class FakeWorker {
    constructor() {
      const w = startWorker({ timers: true }); const i = vms.length; vms.push(w);
      w.listen((m) => this.onmessage && this.onmessage({ data: m }));
      this.postMessage = (m) => { if (m.type === 'play') plays.push([i, m.share || 1, m.frame_ms || P.FRAME_MS]); setTimeout(() => w.send(m), 0); };
    }
    terminate() {}
  }
  // Two shards of one instance each; the first is 40 steps long, the second runs on (a step call
  // of the fake lab takes 5 ms there, so it trains on for seconds).
  const plan = {
    split: (c, n) => [{ config: { ...c, steps: 40 }, runs: [0] }, { config: { ...c, spin_ms: 5 }, runs: [1] }].slice(0, n),
    mergeConfig: (configs) => ({ ...configs[1], n_instances: 2 }),
    shared: ['importance'],
  };
  const pool = new LabPool('worker.js', { plan, size: () => 2, WorkerImpl: FakeWorker, cores: 2 });
  try {
    await pool.configure({ n_instances: 1, steps: 1e8 });  // the longest run a config accepts
    await pool.play();
    assert.deepEqual(plays, [[0, 2, BUSY_FRAME_MS], [1, 2, BUSY_FRAME_MS]], 'two workers on two cores: 10 frames a second');
    const share = (i) => vm.runInContext('share', vms[i].ctx);
    await waitFor(() => pool.latest[0] && pool.latest[0].done);
    await waitFor(() => share(1) === 1);
    assert.deepEqual(plays.slice(2), [[1, 1, P.FRAME_MS]], 'one play, to the shard still training, with share 1 and a core to spare');
    assert.equal(vm.runInContext('frameMs', vms[1].ctx), P.FRAME_MS);
    assert.ok(vm.runInContext('running && !done', vms[1].ctx), 'the second shard trains on, not restarted');
    // After a pause nothing re-plays: a shard that finishes while paused sends no play.
    await pool.pause();
    assert.deepEqual(plays.slice(3), []);
  } finally { pool.terminate(); for (const w of vms) w.close(); }
});

test('worker: play streams frames with growing step and falling loss; pause stops at once', async () => {
  const w = startWorker();
  try {
    w.send(P.request(1, 'configure', { config: { n_instances: 2, steps: 1e8 } }));
    w.send(P.request(2, 'play'));
    await waitFor(() => frames(w).length >= 5);
    const fs1 = frames(w);
    for (let i = 1; i < fs1.length; i++) assert.ok(fs1[i].step >= fs1[i - 1].step);
    const last = fs1[fs1.length - 1];
    assert.ok(last.running && last.step > 0);
    assert.ok(last.lossTotal < 2, 'loss went down');
    // The trace carries the loss after every chunk, in step order, K values per point.
    const steps = fs1.flatMap((f) => Array.from(f.trace.steps));
    assert.ok(steps.length >= fs1.length - 1, 'at least one trace point per running frame');
    for (let i = 1; i < steps.length; i++) assert.ok(steps[i] > steps[i - 1], 'trace steps increase');
    for (const f of fs1) assert.equal(f.trace.loss.length, 2 * f.trace.steps.length);
    assert.equal(steps.at(-1), last.step);
    w.send(P.request(3, 'pause'));
    await waitFor(() => replyTo(w, 3));
    const n = w.messages.length;
    const stepAtPause = frames(w).at(-1).step;
    assert.equal(frames(w).at(-1).running, false);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(w.messages.length, n, 'nothing arrives after the pause reply');
    // A single step moves exactly k.
    w.send(P.request(4, 'step', { k: 7 }));
    await waitFor(() => replyTo(w, 4));
    assert.equal(frames(w).at(-1).step, stepAtPause + 7);
    // Reset returns to step 0.
    w.send(P.request(5, 'reset'));
    await waitFor(() => replyTo(w, 5));
    assert.equal(frames(w).at(-1).step, 0);
  } finally { w.close(); }
});

test('worker: training stops at total_steps with done=true; a failure stops it with an error event', async () => {
  const w = startWorker();
  try {
    w.send(P.request(1, 'configure', { config: { steps: 300 } }));
    w.send(P.request(2, 'play'));
    await waitFor(() => frames(w).some((f) => f.done));
    const end = frames(w).find((f) => f.done);
    assert.equal(end.step, 300);
    assert.equal(end.running, false);
    w.send(P.request(3, 'play'));
    await waitFor(() => replyTo(w, 3));
    assert.equal(replyTo(w, 3).ok, false);
    w.send(P.request(4, 'configure', { config: { steps: 1e6, fail_at: 50 } }));
    w.send(P.request(5, 'play'));
    await waitFor(() => w.messages.some((m) => m.msg.type === 'error'));
    assert.match(w.messages.find((m) => m.msg.type === 'error').msg.error, /diverged/);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(frames(w).at(-1).running, false);
  } finally { w.close(); }
});

test('client: promises resolve and reject by request id over the worker', async () => {
  const w = startWorker();
  class FakeWorker {
    constructor() { w.listen((m) => this.onmessage && this.onmessage({ data: m })); }
    postMessage(m) { setTimeout(() => w.send(m), 0); }
    terminate() {}
  }
  const c = new LabClient('worker.js', FakeWorker);
  try {
    const got = [];
    c.onFrame((f) => got.push(f));
    const r = await c.configure({ n_features: 4, n_hidden: 2 });
    assert.equal(r.config.n_features, 4);
    await assert.rejects(c.configure({ n_features: 1, n_hidden: 2 }), /n_hidden/);
    await assert.rejects(c.step(5), /not configured/); // a failed configure leaves no model
    await c.configure({ n_features: 4, n_hidden: 2 });
    await c.step(5);
    assert.equal(got.at(-1).step, 5);
    const [a, b] = await Promise.all([c.step(1), c.reset()]);
    assert.ok(a.ok && b.ok);
    assert.equal(got.at(-1).step, 0);
    assert.equal(c.pending.size, 0);
  } finally { w.close(); }
});

test('worker: pause and step send the final frame before their reply, even when nothing was running', async () => {
  const w = startWorker();
  try {
    const before = (id) => {  // the message just before reply `id`
      const all = w.messages.map((m) => m.msg);
      const i = all.findIndex((m) => m.type === 'reply' && m.id === id);
      return i > 0 ? all[i - 1] : null;
    };
    w.send(P.request(1, 'configure', { config: { steps: 1e8 } }));
    w.send(P.request(2, 'play'));
    await waitFor(() => frames(w).some((f) => f.step > 50));
    w.send(P.request(3, 'pause'));
    await waitFor(() => replyTo(w, 3));
    const fin = before(3);
    assert.equal(fin.type, 'frame', 'a frame precedes the pause reply');
    assert.equal(fin.running, false);
    // Its W is the model at that step (the fake's buffers are step + index).
    assert.equal(fin.buffers.W.data[0], Math.fround(fin.step));
    w.send(P.request(4, 'pause'));  // not running: still one frame, of the same model
    await waitFor(() => replyTo(w, 4));
    assert.equal(before(4).type, 'frame');
    assert.equal(before(4).step, fin.step);
    w.send(P.request(5, 'step', { k: 1 }));
    await waitFor(() => replyTo(w, 5));
    assert.equal(before(5).type, 'frame');
    assert.equal(before(5).step, fin.step + 1);
    assert.equal(before(5).buffers.W.data[0], Math.fround(fin.step + 1));
  } finally { w.close(); }
});

// Issue 14 #3: a 6000-step SAE run stopped at 6018, 6036 or 6046 by the timing of its last chunk.
test('worker: the last chunk is clipped: every run ends exactly at total_steps, whatever its length or kind', async () => {
  for (const [kind, total] of [['grow', 1], ['grow', 7], ['grow', 1000], ['grow', 12345], ['toy', 777]]) {
    const w = startWorker();
    try {
      w.send(P.request(1, 'configure', { kind, config: { steps: total } }));
      w.send(P.request(2, 'play'));
      await waitFor(() => frames(w).some((f) => f.done));
      const lab = w.ctx.fakeLab;
      const end = frames(w).find((f) => f.done);
      assert.equal(end.step, total, `${kind} ${total}`);
      assert.equal(end.totalSteps, total);
      assert.equal(lab.t, total, 'the worker never asked past the end');
      assert.ok(lab.asked.every((k) => k >= 1), 'no empty chunk before the end');
      for (const f of frames(w)) assert.equal(P.checkFrame(f), null);
      // Asking for more once done trains nothing (a step request is clipped too).
      w.send(P.request(3, 'step', { k: 5 }));
      await waitFor(() => replyTo(w, 3));
      assert.equal(lab.t, total);
      assert.equal(frames(w).at(-1).step, total);
      assert.equal(frames(w).at(-1).done, true);
    } finally { w.close(); }
  }
});

test('worker: a step request is clipped at the end of the run; done comes from the answer', async () => {
  const w = startWorker();
  try {
    w.send(P.request(1, 'configure', { kind: 'grow', config: { steps: 10 } }));
    await waitFor(() => replyTo(w, 1));
    assert.equal(frames(w).at(-1).totalSteps, 10);
    w.send(P.request(2, 'step', { k: 7 }));
    w.send(P.request(3, 'step', { k: 7 }));
    await waitFor(() => replyTo(w, 3));
    assert.deepEqual(Array.from(w.ctx.fakeLab.asked), [7, 3]);
    assert.equal(frames(w).at(-1).step, 10);
    assert.equal(frames(w).at(-1).done, true);
    w.send(P.request(4, 'play'));
    await waitFor(() => replyTo(w, 4));
    assert.match(replyTo(w, 4).error, /already trained 10 steps/);
  } finally { w.close(); }
});

test('worker: shapes travel with every frame (a buffer that grows with the run, any kind)', async () => {
  const w = startWorker();
  try {
    w.send(P.request(1, 'configure', { kind: 'grow', config: { steps: 100 } }));
    w.send(P.request(2, 'step', { k: 3 }));
    w.send(P.request(3, 'step', { k: 4 }));
    await waitFor(() => replyTo(w, 3));
    const shapes = frames(w).map((f) => f.buffers.history_step.shape[0]);
    assert.deepEqual(shapes, [1, 4, 8]);
    assert.deepEqual(Array.from(frames(w).at(-1).buffers.history_step.data), [0, 1, 2, 3, 4, 5, 6, 7]);
    for (const f of frames(w)) assert.equal(P.checkFrame(f), null);
  } finally { w.close(); }
});
