// Shared by the TensorFlow.js peers (bench/peers/tfjs_w*.mjs): load @tensorflow/tfjs with its
// wasm backend on ONE thread in node, a tiny argument parser, and the timing loop.
// What it is not: a port of Superpose; each peer writes its model the way a TF.js user would.
import * as tf from '@tensorflow/tfjs';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';

export { tf };

export async function init() {
  // One thread: the threaded build needs workers + SharedArrayBuffer; pin the count anyway.
  wasm.setThreadsCount(1);
  const require = createRequire(import.meta.url);
  const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist/';
  wasm.setWasmPaths(dist);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend failed to initialise');
  await tf.ready();
  return {
    backend: tf.getBackend(),
    simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
    threads: 1,
    version: tf.version.tfjs,
  };
}

export function args(defaults) {
  const out = { ...defaults, json: false };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; ++i) {
    const k = argv[i].replace(/^--/, '');
    if (k === 'json') out.json = true;
    else if (k in defaults && i + 1 < argv.length) out[k] = Number(argv[++i]);
    else {
      console.error(`usage: ${path.basename(process.argv[1])} ${Object.keys(defaults).map((d) => `[--${d} N]`).join(' ')} [--json]`);
      process.exit(2);
    }
  }
  return out;
}

// Warm-up, then `runs` timed runs of `steps` steps; each run ends by reading a value back so
// that queued work is finished. Returns the sorted rates (steps/s).
export async function timeRuns(train, { warmup, steps, runs }, sync) {
  train(warmup);
  await sync();
  const rates = [];
  for (let r = 0; r < runs; ++r) {
    const t0 = performance.now();
    train(steps);
    await sync();
    rates.push(steps / ((performance.now() - t0) / 1000));
  }
  return rates.sort((a, b) => a - b);
}

export const median = (v) => v[Math.floor(v.length / 2)];
