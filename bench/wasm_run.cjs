// Runs an Emscripten-built benchmark program (bench_*.js, non-modularised, -sEXIT_RUNTIME=1)
// under node and, when it exits, reports the size of its wasm heap (linear memory, which only
// grows) on stderr as one JSON line: {"wasm_heap_bytes": N}. scripts/bench uses it for the
// peak memory of the wasm target; the program's own output is untouched.
//   node --no-experimental-fetch bench/wasm_run.cjs build/bench/wasm/bench_toy.js --json
const path = require('node:path');
const file = path.resolve(process.argv[2]);
process.argv = [process.argv[0], file, ...process.argv.slice(3)];  // what the program sees
globalThis.Module = {
  onExit() {
    const heap = globalThis.Module.HEAP8 ? globalThis.Module.HEAP8.length : null;
    process.stderr.write(JSON.stringify({ wasm_heap_bytes: heap }) + '\n');
  },
};
require(file);
