// protocol.js: the messages between the page (client.js) and the training worker (worker.js).
//
// What it is: the message type names, constructors for requests/replies/frames, a validator for
// requests arriving at the worker, and the transfer list of a frame. One file for both sides.
// What it is not: no transport and no training. It is written as a plain script (no import or
// export) because the worker is a *classic* Web Worker (Emscripten 3.1.6's MODULARIZE output
// needs `importScripts`, see ../shared/notes/toolchain.md §7), which cannot load ES modules.
// The worker loads it with importScripts('protocol.js'); the page with `import './protocol.js'`;
// both then read `globalThis.SuperposeProtocol`.
//
// Page → worker, each with a numeric request id; the worker answers each with exactly one reply:
//   {id, type: 'configure', config, kind?, bytes?} -> reply {ok, config} (the lab's filled-in
//                                        config; kind defaults to 'toy'; bytes: the data file the
//                                        config names, as they are, e.g. kind sae's .npy); one
//                                        frame at the run's start
//   {id, type: 'play', grid?, share?, frame_ms?} -> reply {ok}; then frames stream until
//                                        pause/done/error.
//                                        grid g (the worker pool, pool.js): every chunk ends on
//                                        or before the next multiple of g, and the trace keeps
//                                        the losses at multiples of g (and at the run's end)
//                                        only, so workers running parts of one experiment trace
//                                        the same steps. share n (the pool's worker count): this
//                                        worker is one of n whose frames the page merges, so it
//                                        sends 1/n as many as one worker of the whole
//                                        experiment would (below), and the page receives and
//                                        draws no more frames on n workers than on one.
//                                        frame_ms t (≥ FRAME_MS): the merged stream's frames
//                                        at most one per t ms instead of per FRAME_MS (the pool
//                                        asks for fewer when it trains on every core)
//   {id, type: 'pause'}               -> one final frame (the model as paused, running: false),
//                                        then reply {ok}; no frame of the old run follows the reply
//   {id, type: 'step', k}             -> one frame (the model after the k steps), then reply {ok}
//   {id, type: 'reset'}               -> reply {ok, config}; one frame at step 0
//   {id, type: 'export'}              -> one frame of the model as saved, then reply {ok, bytes:
//                                        Uint8Array, step}: the model as a safetensors file
//                                        (issue 7; kinds that support it)
//   {id, type: 'import', bytes, kind?} -> reply {ok, config}: the file's model replaces the
//                                        experiment (stopped; one frame at its step 0)
//   {id, type: 'export_saelens', run} -> reply {ok, cfg: string, bytes: Uint8Array}: run `run`'s
//                                        SAE as SAELens's cfg.json text + sae_weights.safetensors
//   {id, type: 'import_saelens', cfg, bytes} -> reply {ok, config}: a SAELens SAE into the running
//                                        experiment (kinds sae, steer; stopped; one frame)
// A frame sent before a reply arrives first (one ordered channel), so when a page's pause(),
// step() or exportModel() promise resolves, its frame listeners have already seen that frame.
// Worker → page, unsolicited:
//   {type: 'ready', simd}             the module is loaded
//   {type: 'frame', step, totalSteps, running, done, lossTotal, stepsPerSec,
//    buffers: {name: {shape, data}}, trace: {steps: Float64Array(T), loss: Float32Array(T·K)}}
//     The same for every experiment kind (docs/wasm-api.md, the step contract): step of
//     totalSteps (a run never passes it), done once the run is complete, every buffer the module
//     lists with its shape in this frame (shapes may change between frames), and the loss after
//     every chunk since the previous frame (so the page's loss curve has every point).
//   {type: 'error', error}            training stopped (diverged, ...), or the worker failed
(function (root) {
  'use strict';

  const REQUEST = Object.freeze({
    CONFIGURE: 'configure',
    PLAY: 'play',
    PAUSE: 'pause',
    STEP: 'step',
    RESET: 'reset',
    EXPORT: 'export',
    IMPORT: 'import',
    EXPORT_SAELENS: 'export_saelens',
    IMPORT_SAELENS: 'import_saelens',
  });

  const EVENT = Object.freeze({
    READY: 'ready',
    REPLY: 'reply',
    FRAME: 'frame',
    ERROR: 'error',
  });

  /** Largest model file an `import` request may carry. */
  const MAX_IMPORT_BYTES = 256 * 1024 * 1024;

  /** Largest cfg.json an `import_saelens` request may carry (characters). */
  const MAX_CFG_CHARS = 1024 * 1024;

  /** Largest k a single `step` request may ask for (one call must stay short, toolchain §11). */
  const MAX_STEP_K = 100000;

  /** Largest play grid: a run's length over the pool's trace points (pool.js), for the longest
   * run a config accepts (1e8 steps, src/core/schema.hpp steps_field) and room to spare. */
  const MAX_GRID = 1e9;

  /** While running, at most one frame per FRAME_MS (20 a second), as one worker sends them. */
  const FRAME_MS = 50;

  /** The longest interval between a running experiment's frames a page may ask for (play's frame_ms). */
  const MAX_FRAME_MS = 1000;

  /** The most workers one experiment's frames come from (play's share). */
  const MAX_SHARE = 64;

  function request(id, type, payload) {
    return Object.assign({ id, type }, payload || {});
  }

  function reply(id, ok, payload) {
    return Object.assign({ type: EVENT.REPLY, id, ok }, payload || {});
  }

  /**
   * Check a message arriving at the worker. Returns null if it is a well-formed request, else a
   * short error string (the worker answers with {ok: false, error}).
   */
  function validateRequest(msg) {
    if (msg === null || typeof msg !== 'object') return 'a request must be an object';
    if (!Number.isSafeInteger(msg.id) || msg.id < 0) return 'a request needs a non-negative integer id';
    const types = Object.values(REQUEST);
    if (!types.includes(msg.type)) return `unknown request type ${JSON.stringify(String(msg.type)).slice(0, 40)}`;
    if (msg.type === REQUEST.CONFIGURE) {
      if (msg.config === null || typeof msg.config !== 'object' || Array.isArray(msg.config)) {
        return 'configure needs a config object';
      }
      if (msg.kind !== undefined && (typeof msg.kind !== 'string' || !/^[a-z_-]{1,32}$/.test(msg.kind))) {
        return 'configure: kind must be an experiment name';
      }
      const b = msg.bytes;
      if (b !== undefined && !(b instanceof ArrayBuffer || b instanceof Uint8Array)) return 'configure: bytes must be a Uint8Array or ArrayBuffer';
      if (b !== undefined && b.byteLength > MAX_IMPORT_BYTES) return `configure: the file is larger than ${MAX_IMPORT_BYTES} bytes`;
    }
    if (msg.type === REQUEST.IMPORT) {
      const b = msg.bytes;
      if (!(b instanceof ArrayBuffer || b instanceof Uint8Array)) return 'import needs bytes (a Uint8Array or ArrayBuffer)';
      if (b.byteLength > MAX_IMPORT_BYTES) return `import: the file is larger than ${MAX_IMPORT_BYTES} bytes`;
      if (msg.kind !== undefined && (typeof msg.kind !== 'string' || !/^[a-z_-]{1,32}$/.test(msg.kind))) {
        return 'import: kind must be an experiment name';
      }
    }
    if (msg.type === REQUEST.EXPORT_SAELENS) {
      if (!Number.isSafeInteger(msg.run) || msg.run < 0 || msg.run > 1000) return 'export_saelens needs a run index';
    }
    if (msg.type === REQUEST.IMPORT_SAELENS) {
      const b = msg.bytes;
      if (typeof msg.cfg !== 'string') return 'import_saelens needs cfg (the text of cfg.json)';
      if (msg.cfg.length > MAX_CFG_CHARS) return `import_saelens: cfg.json is longer than ${MAX_CFG_CHARS} characters`;
      if (!(b instanceof ArrayBuffer || b instanceof Uint8Array)) return 'import_saelens needs bytes (a Uint8Array or ArrayBuffer)';
      if (b.byteLength > MAX_IMPORT_BYTES) return `import_saelens: the weights file is larger than ${MAX_IMPORT_BYTES} bytes`;
    }
    if (msg.type === REQUEST.PLAY && msg.grid !== undefined) {
      if (!Number.isSafeInteger(msg.grid) || msg.grid < 1 || msg.grid > MAX_GRID) return `play: grid must be an integer in [1, ${MAX_GRID}]`;
    }
    if (msg.type === REQUEST.PLAY && msg.frame_ms !== undefined) {
      if (!Number.isSafeInteger(msg.frame_ms) || msg.frame_ms < FRAME_MS || msg.frame_ms > MAX_FRAME_MS) {
        return `play: frame_ms must be an integer in [${FRAME_MS}, ${MAX_FRAME_MS}]`;
      }
    }
    if (msg.type === REQUEST.PLAY && msg.share !== undefined) {
      if (!Number.isSafeInteger(msg.share) || msg.share < 1 || msg.share > MAX_SHARE) return `play: share must be an integer in [1, ${MAX_SHARE}]`;
    }
    if (msg.type === REQUEST.STEP) {
      if (!Number.isSafeInteger(msg.k) || msg.k < 1 || msg.k > MAX_STEP_K) {
        return `step needs an integer k in [1, ${MAX_STEP_K}]`;
      }
    }
    return null;
  }

  /**
   * Build a frame. `buffers` maps a name to {shape, data: Float32Array}; each data must be a copy
   * owning its ArrayBuffer (it is transferred, so the sender loses it).
   */
  function frame(fields, buffers, trace) {
    return {
      type: EVENT.FRAME,
      step: fields.step,
      totalSteps: fields.totalSteps,
      running: !!fields.running,
      done: !!fields.done,
      lossTotal: fields.lossTotal,
      stepsPerSec: fields.stepsPerSec || 0,
      buffers,
      trace: trace || { steps: new Float64Array(0), loss: new Float32Array(0) },
    };
  }

  /** The ArrayBuffers of a frame, for postMessage's transfer list (moved, not cloned). */
  function transferList(fr) {
    const out = [];
    for (const name of Object.keys(fr.buffers || {})) {
      const d = fr.buffers[name].data;
      if (d && d.buffer && !out.includes(d.buffer)) out.push(d.buffer);
    }
    if (fr.trace) for (const a of [fr.trace.steps, fr.trace.loss]) if (a && a.buffer && !out.includes(a.buffer)) out.push(a.buffer);
    return out;
  }

  /** Check a frame's buffers against their shapes (used by tests and by the page, defensively). */
  function checkFrame(fr) {
    if (!fr || fr.type !== EVENT.FRAME) return 'not a frame';
    if (!Number.isSafeInteger(fr.step) || fr.step < 0) return 'frame.step must be a non-negative integer';
    if (!Number.isSafeInteger(fr.totalSteps) || fr.totalSteps < 0) return 'frame.totalSteps must be a non-negative integer';
    if (fr.step > fr.totalSteps) return `frame.step ${fr.step} is past totalSteps ${fr.totalSteps}`;
    for (const [name, b] of Object.entries(fr.buffers || {})) {
      if (!(b.data instanceof Float32Array)) return `buffer ${name} is not a Float32Array`;
      const size = b.shape.reduce((a, x) => a * x, 1);
      if (size !== b.data.length) return `buffer ${name} has ${b.data.length} values for shape [${b.shape}]`;
    }
    if (fr.trace) {
      const T = fr.trace.steps.length;
      if (T > 0 && fr.trace.loss.length % T !== 0) return 'trace.loss must hold T·K values';
    }
    return null;
  }

  root.SuperposeProtocol = Object.freeze({
    REQUEST, EVENT, MAX_STEP_K, MAX_IMPORT_BYTES, FRAME_MS,
    request, reply, validateRequest, frame, transferList, checkFrame,
  });
})(typeof globalThis !== 'undefined' ? globalThis : self);
