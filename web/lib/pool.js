// pool.js: the worker pool (issue 18): one experiment's independent runs spread over several
// training workers, each its own wasm module, behind the interface of one LabClient.
//
// What it is: a LabPool splits a configure into shards with a shard plan (shards.js: which runs
// of the experiment are independent and how their buffers join), configures one worker
// (client.js) per shard, sends play, pause, step and reset to all of them at once, and merges
// their frames into one frame of the whole experiment, as one worker would have sent it: the
// per-run buffers' rows put back in run order, the shared buffers taken from the first shard, the
// loss trace joined at the steps every shard traced (play's grid, protocol.js, makes those the
// same steps); or, for a plan whose shards send whole-shape buffers (rowRun, shards.js), each
// row taken from the shard that trains its run and the trace from the lead run's shard. Each run
// keeps its own seeded stream, so the merged buffers of a finished run are bit-identical to one
// worker's (tests/web/browser/pool.test.mjs).
// A worker that crashes is replaced by its client (client.js restart, configured as before, at
// step 0); the pool then resets the other shards, so the whole experiment stands at step 0 and
// the page says what happened. A worker whose run stops with an error (diverged) stops the
// others, as one session would have stopped all its runs.
// What it is not: no shared memory (SharedArrayBuffer needs cross-origin isolation, which static
// hosts and sandboxed iframes do not give), no training logic, no drawing.
import './protocol.js';
import { LabClient } from './client.js';
import { MAX_WORKERS } from './workers.js';
/** Loss points a pooled run traces over its length at most (play's grid: steps / TRACE_POINTS). */
export const TRACE_POINTS = 600;
// Merged frames of a training run at most 20 a second, as one worker sends them (10 with a worker
// on every core, BUSY_FRAME_MS; a paused or finished run's at once): fewer redraws are the page's
// business (toy.js draws only what changed).
const FRAME_MS = globalThis.SuperposeProtocol.FRAME_MS;
/** With a worker training on every core, merged frames at most 10 a second: the page's drawing
 * (its main thread, and the browser's compositing and raster threads behind it) then takes its
 * time from training. MEASURED on W1 with 2 workers on a 2-core VM (per-thread CPU from /proc
 * over 10 s, three rounds alternating, 2026-11-30): at 20 frames a second the workers used
 * 1.69–1.70 cores and the page's threads 0.27–0.28; at 10, 1.79–1.80 and 0.17–0.18 (the page
 * hidden: 1.83–1.87 and 0.10–0.13). With a core to spare the page draws on it: 20 a second. */
export const BUSY_FRAME_MS = 2 * FRAME_MS;

/** The merged frames' least interval for `training` workers on `cores` cores. */
export const frameInterval = (training, cores) => (training >= cores ? BUSY_FRAME_MS : FRAME_MS);

/** The machine's cores as the browser reports them (1 where it does not: node). */
const machineCores = () => (globalThis.navigator ? globalThis.navigator.hardwareConcurrency : 1);

/** The pool size for the hash key `workers` (0: one per core, at most MAX_WORKERS). */
export function poolSize(asked, cores = machineCores()) {
  if (Number.isSafeInteger(asked) && asked > 0) return Math.min(asked, MAX_WORKERS);
  return Math.max(1, Math.min(Number.isSafeInteger(cores) ? cores : 1, MAX_WORKERS));
}

/** Merge shard frames into one (plan: shards.js; shards: [{runs: global run indices}]). Exported for the unit test. */
export function mergeFrames(frames, shards, plan, rows = []) {
  if (frames.length === 1) {  // one worker: its frame as it is, with the trace rows of the pool's grid
    return { ...frames[0], trace: joinRows(rows, rows.length ? rows[0][1].length : 0) };
  }
  const R = shards.reduce((n, s) => n + s.runs.length, 0);
  // The run stands where its slowest unfinished shard is (the shards' runs may differ in length).
  const open = frames.filter((f) => !f.done);
  const step = open.length ? Math.min(...open.map((f) => f.step)) : Math.max(...frames.map((f) => f.step));
  const totalSteps = Math.max(...frames.map((f) => f.totalSteps));
  const running = frames.some((f) => f.running);
  // The speed that gives the same time left as the slowest shard's.
  let left = 0, slowest = Infinity;
  for (const f of frames) {
    if (f.stepsPerSec > 0) { left = Math.max(left, (f.totalSteps - f.step) / f.stepsPerSec); slowest = Math.min(slowest, f.stepsPerSec); }
  }
  const stepsPerSec = left > 0 ? (totalSteps - step) / left : Number.isFinite(slowest) ? slowest : 0;
  if (plan.rowRun) {
    const lead = shardOf(shards, plan.lead);
    return {
      type: frames[0].type, step, totalSteps, running, done: frames.every((f) => f.done),
      lossTotal: frames[lead].lossTotal, stepsPerSec, buffers: wholeBuffers(frames, shards, plan),
      trace: joinRows(rows, rows.length ? rows[0][1].length : 0),
    };
  }
  const buffers = {};
  const shared = new Set(plan.shared || []);
  for (const name of Object.keys(frames[0].buffers)) {
    const first = frames[0].buffers[name];
    if (shared.has(name) || frames.length === 1) { buffers[name] = first; continue; }
    const rest = first.shape.slice(1);
    const row = rest.reduce((a, x) => a * x, 1);
    const data = new Float32Array(R * row);
    frames.forEach((f, i) => {
      const b = f.buffers[name];
      const runs = shards[i].runs;
      if (!b || b.shape[0] !== runs.length || b.shape.length !== first.shape.length || b.shape.slice(1).some((x, d) => x !== rest[d])) {
        throw new Error(`the pool cannot join buffer ${name}: worker ${i + 1} sent shape [${b ? b.shape : 'none'}] for ${runs.length} runs`);
      }
      runs.forEach((r, j) => data.set(b.data.subarray(j * row, (j + 1) * row), r * row));
    });
    buffers[name] = { shape: [R, ...rest], data };
  }
  return {
    type: frames[0].type, step, totalSteps, running, done: frames.every((f) => f.done),
    lossTotal: frames.reduce((a, f) => a + f.lossTotal, 0), stepsPerSec, buffers, trace: joinRows(rows, R),
  };
}

const shardOf = (shards, run) => {
  const i = shards.findIndex((s) => s.runs.includes(run));
  if (i < 0) throw new Error(`the pool has no worker for run ${run}`);
  return i;
};

/** Shards that send every buffer at the whole shape (plan.rowRun): each row from its run's shard. */
function wholeBuffers(frames, shards, plan) {
  const buffers = {};
  for (const [name, first] of Object.entries(frames[0].buffers)) {
    const rows = first.shape.length ? first.shape[0] : 1;
    const row = rows ? first.data.length / rows : 0;
    const data = first.data.slice();
    for (let r = 0; r < rows; r++) {
      const run = plan.rowRun(name, r);
      if (run === null) continue;
      const i = shardOf(shards, run);
      const b = frames[i].buffers[name];
      if (!b || b.shape.length !== first.shape.length || b.shape.some((x, d) => x !== first.shape[d])) {
        throw new Error(`the pool cannot join buffer ${name}: worker ${i + 1} sent shape [${b ? b.shape : 'none'}], worker 1 [${first.shape}]`);
      }
      data.set(b.data.subarray(r * row, (r + 1) * row), r * row);
    }
    buffers[name] = { shape: first.shape, data };
  }
  return buffers;
}

function joinRows(rows, K) {
  const steps = new Float64Array(rows.length);
  const loss = new Float32Array(rows.length * K);
  rows.forEach(([s, l], t) => { steps[t] = s; loss.set(l, t * K); });
  return { steps, loss };
}

/** The trace rows every shard has traced, taken off the shards' queues ([step, Float32Array(K_i)] each), in run order.
 * With a plan whose shards send whole buffers (rowRun), the trace is the lead run's shard's alone. */
export function commonRows(queues, shards, plan = {}) {
  if (queues.length === 1) return queues[0].splice(0);
  if (plan.rowRun) {
    const lead = shardOf(shards, plan.lead);
    queues.forEach((q, i) => { if (i !== lead) q.length = 0; });
    return queues[lead].splice(0);
  }
  const R = shards.reduce((n, s) => n + s.runs.length, 0);
  const rows = [];
  while (queues.every((q) => q.length > 0)) {
    const s = Math.min(...queues.map((q) => q[0][0]));
    if (queues.some((q) => q[0][0] !== s)) {  // a step one shard has not traced (a pause between grid points): skip it
      for (const q of queues) if (q[0][0] === s) q.shift();
      continue;
    }
    const l = new Float32Array(R);
    queues.forEach((q, i) => { const [, li] = q.shift(); shards[i].runs.forEach((r, j) => { l[r] = li[j]; }); });
    rows.push([s, l]);
  }
  return rows;
}

export class LabPool {
  /**
   * @param {string|URL} workerUrl  as LabClient's
   * @param {{plan: object, size: () => number, WorkerImpl?: typeof Worker, cores?: number}} options
   *   plan: the kind's shard plan (shards.js); size: the pool size, read at every configure;
   *   cores: the machine's (navigator.hardwareConcurrency), for the frame rate (frameInterval).
   */
  constructor(workerUrl, { plan, size, WorkerImpl = globalThis.Worker, cores = machineCores() }) {
    this.cores = Number.isSafeInteger(cores) && cores > 0 ? cores : 1;
    this.workerUrl = workerUrl;
    this.WorkerImpl = WorkerImpl;
    this.plan = plan;
    this.size = size;
    this.clients = [];
    this.shards = [{ runs: null }];  // what each active client runs (global run indices; null: all, one worker)
    this.frameListeners = [];
    this.errorListeners = [];
    this.latest = [];
    this.queues = [];
    this.holding = 0;   // > 0 while a request reshapes the shards: no merged frame until it is done
    this.playing = null;  // {grid, share, frameMs} of the last play, until a request stops it
    this.lastEmit = -Infinity;
    this.timer = null;
    this.client(0);
    this.ready = this.clients[0].ready;
  }

  /** The i-th worker's client, started on first use. */
  client(i) {
    while (this.clients.length <= i) {
      const j = this.clients.length;
      const c = new LabClient(this.workerUrl, this.WorkerImpl);
      c.onFrame((f) => this.receive(j, f));
      c.onError((e) => this.failed(j, e));
      c.onRestart((configured) => this.restarted(j, configured));
      this.clients.push(c);
    }
    return this.clients[i];
  }

  get active() { return this.clients.slice(0, this.shards.length); }
  /** How many workers the current experiment runs on. */
  get workers() { return this.shards.length; }

  receive(i, f) {
    if (i >= this.shards.length) return;
    this.latest[i] = f;
    if (!this.holding) {
      const T = f.trace.steps.length;
      const K = T ? f.trace.loss.length / T : 0;
      for (let t = 0; t < f.trace.steps.length; t++) this.queues[i].push([f.trace.steps[t], f.trace.loss.subarray(t * K, (t + 1) * K)]);
    }
    if (this.holding) return;
    if (f.done && this.playing) this.reshare();
    if (!this.latest.some((g) => g && g.running)) { this.emit(); return; }
    const wait = (this.playing ? this.playing.frameMs : FRAME_MS) - (performance.now() - this.lastEmit);
    if (wait <= 0) this.emit();
    else if (!this.timer) this.timer = setTimeout(() => { this.timer = null; this.emit(); }, wait);
  }

  emit() {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    this.emitFrames(this.latest.slice(0, this.shards.length));
  }

  /** Send the merge of one frame per shard. */
  emitFrames(frames) {
    const n = this.shards.length;
    if (frames.length < n || frames.some((f) => !f)) return;
    let merged;
    try {
      merged = mergeFrames(frames, this.shards, this.plan, commonRows(this.queues, this.shards, this.plan));
    } catch (e) {
      for (const g of this.errorListeners) g(e.message);
      return;
    }
    this.lastEmit = performance.now();
    for (const g of this.frameListeners) g(merged);
  }

  failed(i, message) {
    if (i >= this.shards.length) return;
    this.playing = null;
    for (const g of this.errorListeners) g(message);
    // A run that stopped with an error stops the experiment (one session would have stopped all
    // its runs); a crash is handled by restarted().
    this.active.forEach((c, j) => { if (j !== i) c.pause().catch(() => {}); });
  }

  /** Shard i's worker was replaced (at step 0): the others go back to step 0 too. */
  restarted(i, configured) {
    if (i >= this.shards.length) return;
    this.playing = null;
    this.reshape(async () => {
      await Promise.all(this.active.map((c, j) => (j === i ? configured : c.reset())));
    }).catch(() => {});
  }

  /** Run `f` with merged frames held back and the trace queues emptied, then send one frame. */
  async reshape(f) {
    this.holding++;
    try {
      return await f();
    } finally {
      this.holding--;
      if (!this.holding) {
        this.queues = this.shards.map(() => []);
        this.emit();
      }
    }
  }

  /** Every active worker does `f(client, i)`; then one merged frame (their last ones) is sent. */
  async all(f) {
    const out = await Promise.all(this.active.map(f));
    if (!this.holding) this.emit();
    return out;
  }

  configure(config, kind, bytes) {
    this.playing = null;
    return this.reshape(async () => {
      const n = Math.max(1, Math.min(MAX_WORKERS, this.size()));
      const shards = this.plan.split(config, n);
      const old = this.active;
      this.shards = shards.map((s) => ({ runs: s.runs }));
      this.latest = [];
      // Workers left out of this experiment stop (a smaller one may need fewer).
      old.slice(shards.length).forEach((c) => c.pause().catch(() => {}));
      const answers = await Promise.all(shards.map((s, i) => this.client(i).configure(s.config, kind, bytes)));
      answers.forEach((a, i) => {
        const runs = a.config && a.config.runs;
        if (shards[i].runs && Array.isArray(runs) && runs.length !== shards[i].runs.length) {
          throw new Error(`the worker pool split this experiment wrongly (worker ${i + 1} trains ${runs.length} runs, not ${shards[i].runs.length}): open the link with workers=1`);
        }
      });
      const cfg = this.plan.mergeConfig(answers.map((a) => a.config), this.shards);
      this.config = cfg;
      return { ok: true, config: cfg };
    });
  }

  /** Which shards train on: a shard whose runs have ended waits (its runs may be shorter than
   * the others'); one worker's run is always sent play (its worker answers if it has ended). */
  training() {
    return this.shards.map((_, i) => this.shards.length === 1 || !(this.latest[i] && this.latest[i].done));
  }

  play() {
    const total = Math.max(0, ...this.latest.slice(0, this.shards.length).map((f) => (f ? f.totalSteps : 0)));
    const grid = Math.max(1, Math.ceil(total / TRACE_POINTS));
    // Each of n workers sends 1/n of the frames one worker would (protocol.js, play's share):
    // sending as many each, two workers doubled the frames' work in the workers and on the main
    // thread, which shares the cores with them. The share counts the shards still training.
    const open = this.training();
    const share = open.filter(Boolean).length;
    const frameMs = frameInterval(share, this.cores);
    this.playing = { grid, share, frameMs };
    return this.all((c, i) => (open[i] ? c.play(grid, share, frameMs) : null)).then(() => ({ ok: true }));
  }
  /** A shard finished while the others train on: they now share the frames among fewer
   * (a worker that is playing takes the new share without restarting, protocol.js), so the page
   * keeps one worker's frame rate to the end instead of falling to 1/n of it (and the full rate
   * once a core is free). */
  reshare() {
    const open = this.training();
    const share = Math.max(1, open.filter(Boolean).length);
    if (share >= this.playing.share) return;
    const frameMs = frameInterval(share, this.cores);
    Object.assign(this.playing, { share, frameMs });
    this.active.forEach((c, i) => { if (open[i]) c.play(this.playing.grid, share, frameMs).catch(() => {}); });
  }
  pause() { this.playing = null; return this.all((c) => c.pause()).then(() => ({ ok: true })); }
  step(k = 1) { this.playing = null; return this.all((c) => c.step(k)).then(() => ({ ok: true })); }
  reset() {
    this.playing = null;
    return this.reshape(() => Promise.all(this.active.map((c) => c.reset()))).then(() => ({ ok: true, config: this.config }));
  }

  /** Run `run`'s SAE as SAELens files, from the worker that trains it. */
  exportSaeLens(run = 0) {
    if (this.shards.length === 1) return this.clients[0].exportSaeLens(run);
    const i = this.shards.findIndex((s) => s.runs.includes(run));
    if (i < 0) return Promise.reject(new Error(`no run ${run} (${this.shards.reduce((n, s) => n + s.runs.length, 0)} runs)`));
    return this.clients[i].exportSaeLens(this.shards[i].runs.indexOf(run));
  }

  /** A file's model replaces the experiment: it is one run, in the first worker; the others stop. */
  importOne(request) {
    this.playing = null;
    return this.reshape(async () => {
      const a = await request(this.clients[0]);
      this.active.slice(1).forEach((c) => c.pause().catch(() => {}));
      this.shards = [{ runs: null }];
      this.latest = this.latest.slice(0, 1);
      this.config = a.config;
      return a;
    });
  }
  importSaeLens(cfg, bytes) { return this.importOne((c) => c.importSaeLens(cfg, bytes)); }
  importModel(bytes, kind) { return this.importOne((c) => c.importModel(bytes, kind)); }
  /** The model as one file: each worker's, joined by the plan (a frame of the model as saved first). */
  async exportModel() {
    if (this.shards.length === 1) return this.clients[0].exportModel();
    if (!this.plan.mergeModel) throw new Error('this experiment cannot be saved when it runs on several workers: open the link with workers=1');
    // Each worker sends the frame of its model as saved just before its reply, so its latest
    // frame when the reply comes is that one: the page is sent their merge (a worker may have
    // sent a newer frame by the time the last reply comes, and the newest frames' merge is sent
    // at most 20 times a second, so the saved model's might never be shown).
    const saved = [];
    const parts = await Promise.all(this.active.map((c, i) => c.exportModel().then((p) => { saved[i] = this.latest[i]; return p; })));
    if (!this.holding) this.emitFrames(saved);
    // The run stands where its slowest shard is (mergeFrames), and so does the file: its header
    // and step are the slowest worker's, each shard's rows its own worker's.
    const slowest = parts.reduce((b, p, i) => (p.step < parts[b].step ? i : b), 0);
    return { ok: true, step: parts[slowest].step, bytes: this.plan.mergeModel(parts.map((p) => p.bytes), this.shards, slowest) };
  }

  onFrame(f) { this.frameListeners.push(f); }
  onError(f) { this.errorListeners.push(f); }

  terminate() {
    for (const c of this.clients) c.terminate();
  }
}
