// model-io.js: the toy lab's "save model" / "load model" buttons (issue 7): the trained model as
// a safetensors file (W, b, and W1/W2 for abs, config in __metadata__; docs/wasm-api.md) out of
// the worker and back in. A loaded file sets the page's state from its config (so the controls
// and the URL say what is running) without re-initialising the loaded weights.
// What it is not: no file parsing here (the C++ reader, src/io/safetensors.hpp, does it in the
// worker and refuses bad files with a message); no training.
import { FIELDS } from '../lib/state.js';
import { download, toolButton, loadButton } from './export.js';

/** The page state for a lab config (the inverse of state.js toLabConfig). */
export function stateFromLabConfig(config, state) {
  const next = { ...state, preset: '' };
  for (const f of FIELDS) if (f.lab && config[f.lab] !== undefined) next[f.name] = config[f.lab];
  const ps = Array.isArray(config.feature_probability) ? config.feature_probability : [config.feature_probability];
  next.k = config.n_instances;
  next.pList = ps.length === config.n_instances ? ps.slice() : Array.from({ length: config.n_instances }, () => ps[0]);
  if (next.sel >= next.k) next.sel = 0;
  return next;
}

/**
 * Adds the two buttons before `anchor` (the toolbar's copy-link button).
 * opts: {client, stem() → file stem, adopt(config) → the page takes the loaded config, onError,
 * kind: the experiment kind a loaded file is (default 'toy'), load: false for "save model" only}.
 */
export function addModelButtons(anchor, { client, stem, adopt, onError, kind = 'toy', load: withLoad = true }) {
  const save = toolButton('save-model', 'save model', 'download the trained model as a safetensors file', async () => {
    try {
      const r = await client.exportModel();
      download(new Blob([r.bytes], { type: 'application/octet-stream' }), `${stem()}.safetensors`);
    } catch (e) {
      onError(`Could not save the model: ${e.message}`);
    }
  });
  const [load, input] = loadButton('load-model', 'load model', 'open a model saved by Superpose (save model, or superpose toy --save)', {
    accept: '.safetensors',
    onFiles: async ([file]) => {
      try {
        const r = await client.importModel(new Uint8Array(await file.arrayBuffer()), kind);
        adopt(r.config);
      } catch (e) {
        onError(`Could not load ${file.name}: ${e.message}`);
      }
    },
  });
  if (withLoad) anchor.before(save, load, input);
  else anchor.before(save);
}
