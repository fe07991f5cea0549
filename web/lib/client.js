// client.js: the page's side of the worker protocol (protocol.js): promises over request ids.
//
// What it is: starts worker.js, sends requests and resolves each with the worker's reply
// (rejects with an Error carrying the worker's message), and hands frames and errors to
// listeners. What it is not: it keeps no training state and draws nothing.
import './protocol.js';

const P = globalThis.SuperposeProtocol;
const MAX_RESTARTS = 5;   // per page: a module that crashes on every start is not retried forever

/**
 * Start the worker. A page in an opaque origin (an iframe with sandbox="allow-scripts" and no
 * allow-same-origin) may not start a worker from the site's URL (SecurityError); a blob: worker
 * inherits the page's origin and may, and importScripts is not bound by it. The blob only sets
 * the site's base URL (worker.js loads protocol.js and lab.js from it) and imports worker.js.
 */
export function startWorker(workerUrl, WorkerImpl = globalThis.Worker) {
  try {
    return new WorkerImpl(workerUrl);
  } catch (e) {
    if (!globalThis.location || typeof Blob === 'undefined' || !URL.createObjectURL) throw e;
    const abs = new URL(String(workerUrl), globalThis.location.href).href;
    const base = new URL('.', abs).href;
    const module = new URL(abs).searchParams.get('module') || 'lab';  // worker.js checks the name
    const src = `self.SUPERPOSE_BASE = ${JSON.stringify(base)}; self.SUPERPOSE_MODULE = ${JSON.stringify(module)}; ` +
      `importScripts(${JSON.stringify(abs)});`;
    return new WorkerImpl(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
  }
}

export class LabClient {
  /** @param {string|URL} workerUrl  @param {typeof Worker} [WorkerImpl] (tests pass a fake) */
  constructor(workerUrl = 'worker.js', WorkerImpl = globalThis.Worker) {
    this.workerUrl = workerUrl;
    this.WorkerImpl = WorkerImpl;
    this.nextId = 1;
    this.pending = new Map();
    this.frameListeners = [];
    this.errorListeners = [];
    this.restartListeners = [];
    this.restarts = 0;
    this.attach(startWorker(workerUrl, WorkerImpl));
  }

  attach(worker) {
    this.worker = worker;
    this.started = false;  // true once the module has loaded (READY)
    this.ready = new Promise((resolve) => { this.resolveReady = resolve; });
    worker.onmessage = (e) => { if (this.worker === worker) this.receive(e.data); };
    worker.onerror = (e) => {
      if (this.worker !== worker) return;
      if (e && e.preventDefault) e.preventDefault();
      const what = e && e.message ? e.message : 'unknown error';
      // A worker that crashed after loading (a wasm trap, out of memory) holds a broken module:
      // replace it, so the next configure or reset works without reloading the page. A worker
      // that never loaded is not restarted (it would fail the same way).
      if (this.started && this.restarts < MAX_RESTARTS) {
        this.failAll(`the training worker crashed (${what}); a fresh one was started with the same settings: press play to continue`);
        this.restart();
      } else {
        this.failAll(`the training worker failed: ${what}`);
      }
    };
  }

  /** Replace the worker with a fresh one (a new wasm module), configured as the last one was. */
  restart() {
    const old = this.worker;
    this.restarts++;
    this.attach(startWorker(this.workerUrl, this.WorkerImpl));
    try { old.terminate(); } catch { /* already gone */ }
    const configured = this.lastConfigure ? this.request(P.REQUEST.CONFIGURE, this.lastConfigure) : Promise.resolve(null);
    configured.catch(() => {});
    for (const f of this.restartListeners) f(configured);
  }

  receive(msg) {
    if (!msg || typeof msg !== 'object') return;
    switch (msg.type) {
      case P.EVENT.READY:
        this.started = true;
        this.resolveReady();
        break;
      case P.EVENT.REPLY: {
        const p = this.pending.get(msg.id);
        if (!p) break;
        this.pending.delete(msg.id);
        if (msg.ok) p.resolve(msg);
        else p.reject(new Error(msg.error || 'request failed'));
        break;
      }
      case P.EVENT.FRAME:
        for (const f of this.frameListeners) f(msg);
        break;
      case P.EVENT.ERROR:
        for (const f of this.errorListeners) f(msg.error);
        break;
      default:
        break;
    }
  }

  failAll(message) {
    for (const p of this.pending.values()) p.reject(new Error(message));
    this.pending.clear();
    for (const f of this.errorListeners) f(message);
  }

  /** Send one request; resolves with the reply ({ok: true, ...}), rejects on {ok: false}. */
  request(type, payload) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(P.request(id, type, payload));
    });
  }

  /** kind: the experiment kind (docs/wasm-api.md); omitted means 'toy'. bytes: the data file the
   * config names (kind sae, data npy: the .npy), a Uint8Array passed as it is. */
  configure(config, kind, bytes) {
    this.lastConfigure = { config, ...(kind ? { kind } : {}), ...(bytes ? { bytes } : {}) };
    return this.request(P.REQUEST.CONFIGURE, this.lastConfigure);
  }
  /** grid, share, frameMs: see protocol.js (the worker pool's common trace steps, its worker
   * count, and the merged frames' least interval). */
  play(grid, share, frameMs) {
    const o = {};
    if (grid) o.grid = grid;
    if (share > 1) o.share = share;
    if (frameMs > P.FRAME_MS) o.frame_ms = frameMs;
    return this.request(P.REQUEST.PLAY, o);
  }
  pause() { return this.request(P.REQUEST.PAUSE); }
  step(k = 1) { return this.request(P.REQUEST.STEP, { k }); }
  reset() { return this.request(P.REQUEST.RESET); }
  /** The model as safetensors bytes (issue 7); resolves {ok, bytes: Uint8Array}. */
  exportModel() { return this.request(P.REQUEST.EXPORT); }
  /** Replace the experiment with a model file's; resolves {ok, config}. */
  importModel(bytes, kind) { return this.request(P.REQUEST.IMPORT, kind ? { bytes, kind } : { bytes }); }

  /** Run `run`'s SAE as SAELens files (issue 7); resolves {ok, cfg: string, bytes: Uint8Array}. */
  exportSaeLens(run = 0) { return this.request(P.REQUEST.EXPORT_SAELENS, { run }); }
  /** A SAELens SAE (cfg.json text, weights bytes) into the experiment; resolves {ok, config}. */
  importSaeLens(cfg, bytes) { return this.request(P.REQUEST.IMPORT_SAELENS, { cfg, bytes }); }

  onFrame(f) { this.frameListeners.push(f); }
  onError(f) { this.errorListeners.push(f); }
  /** f(configured): the worker crashed and was replaced; configured settles with the fresh
   * worker's configure (null when it had none). */
  onRestart(f) { this.restartListeners.push(f); }

  terminate() {
    this.worker.terminate();
    this.failAll('the worker was stopped');
  }
}
