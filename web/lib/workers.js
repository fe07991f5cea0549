// workers.js: the hash key `workers`, the size of a page's worker pool (pool.js), in the state
// tables of the pages whose runs the pool spreads (state.js: toy; page-states.js: sae,
// suppression). One field, one place.
//
// What it is: the field (an int in [0, MAX_WORKERS]; 0, the default and never written to a link,
// means one worker per core: navigator.hardwareConcurrency, at most MAX_WORKERS). Results are
// bit-identical for every count, so the key changes speed, not the experiment; lessons and tests
// set it. What it is not: no workers (pool.js starts them) and no DOM (node imports it).

/** Most workers a page starts, whatever the machine has (each holds a wasm module's heap). */
export const MAX_WORKERS = 16;

export const WORKERS = Object.freeze({
  name: 'workers', key: 'workers', type: 'int', def: 0, min: 0, max: MAX_WORKERS, group: null,
  label: 'training workers (0: one per core)',
  accepts: `a whole number of workers in [1, ${MAX_WORKERS}], or 0 for one per core`,
});
