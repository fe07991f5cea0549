// saelens-io.js: a sparse autoencoder out of and into the page in SAELens's folder layout (issue 7):
// cfg.json + sae_weights.safetensors (W_enc (d_in, d_sae), W_dec (d_sae, d_in), b_enc, b_dec, and
// threshold for JumpReLU), the folder SAELens's `SAE.load_from_pretrained(path)` reads and
// `superpose sae --load DIR` measures. One "save SAELens" button downloads both files as one .zip
// (zip.js); one "load SAELens" picker takes that .zip (or any zip holding such a folder) or the
// two files picked together.
// Downloads are started inside the click handler when the files were fetched ahead (prefetch(),
// which the page calls once training has stopped): Chromium drops downloads that a page starts
// long after the click. What it is not: no parsing of the files (the C++ reader in the worker,
// src/io/saelens.cpp, checks them and names what is wrong) and no training.
import { download, toolButton, loadButton } from './export.js';
import { zipStore, unzip } from './zip.js';

const enc = new TextEncoder();
const base = (name) => name.slice(name.lastIndexOf('/') + 1);
const MAX_BYTES = 256 * 1024 * 1024;

/** The .zip of a SAELens folder: cfg.json and sae_weights.safetensors at its top level. */
export function saeLensZip(cfg, weights) {
  return zipStore([{ name: 'cfg.json', bytes: enc.encode(cfg) }, { name: 'sae_weights.safetensors', bytes: weights }]);
}

/**
 * The two parts of a SAELens folder from what the user picked: [{name, bytes: Uint8Array}] of
 * either one .zip or cfg.json + a .safetensors file. Returns {cfg: string, weights: Uint8Array,
 * name}; throws an Error saying what is missing.
 */
export async function saeLensFromFiles(files) {
  const what = 'pick the two files of a SAELens folder together (cfg.json and sae_weights.safetensors), or one .zip holding them';
  if (!files.length) throw new Error(what);
  let entries = files;
  let from = files.map((f) => f.name).join(' + ');
  if (files.length === 1 && /\.zip$/i.test(files[0].name)) {
    entries = await unzip(files[0].bytes);
    from = files[0].name;
  } else if (files.some((f) => /\.zip$/i.test(f.name))) {
    throw new Error(`a .zip is opened on its own: ${what}`);
  }
  const cfgs = entries.filter((e) => base(e.name) === 'cfg.json');
  const jsons = cfgs.length ? cfgs : entries.filter((e) => /\.json$/i.test(e.name));
  const named = entries.filter((e) => base(e.name) === 'sae_weights.safetensors');
  const weights = named.length ? named : entries.filter((e) => /\.safetensors$/i.test(e.name));
  if (jsons.length !== 1) throw new Error(`${from}: ${jsons.length ? 'more than one cfg.json' : 'no cfg.json'}: ${what}`);
  if (weights.length !== 1) throw new Error(`${from}: ${weights.length ? 'more than one .safetensors file' : 'no sae_weights.safetensors'}: ${what}`);
  let cfg;
  try {
    cfg = new TextDecoder('utf-8', { fatal: true }).decode(jsons[0].bytes);
  } catch {
    throw new Error(`${from}: ${jsons[0].name} is not UTF-8 text`);
  }
  return { cfg, weights: weights[0].bytes, name: from };
}

/**
 * Adds "save SAELens", "load SAELens" and a hidden file input before `anchor`.
 * opts: {client, run() → the run index to save (null: this page saves nothing), stem() → file
 * stem, key() → a string that changes whenever the SAE may have changed, onLoading() (optional:
 * the import is about to be sent), onLoaded(config, name), onError(message)}. Returns {prefetch()}: fetch the current SAE's files ahead of a click.
 */
export function addSaeLensButtons(anchor, { client, run, stem, key, onLoading = () => {}, onLoaded, onError }) {
  let cache = null;     // {key, zip} or {key, error}
  let inFlight = null;  // the key being fetched
  async function fetchZip(k, r) {
    try {
      const a = await client.exportSaeLens(r);
      return { key: k, zip: saeLensZip(a.cfg, a.bytes) };
    } catch (e) {
      return { key: k, error: e.message };
    }
  }
  const nodes = [];
  if (run() !== null) {
    nodes.push(toolButton('save-saelens', 'save SAELens',
      'download the SAE shown in the dictionary as a .zip of a SAELens folder (cfg.json + sae_weights.safetensors)', async () => {
        const k = key();
        const name = `${stem()}.zip`;
        // fetched ahead: the download starts inside the click (Chromium's user activation)
        let got = cache && cache.key === k ? cache : null;
        if (!got) got = await fetchZip(k, run());
        if (got.error) onError(`Could not save the SAE: ${got.error}`);
        else download(new Blob([got.zip], { type: 'application/zip' }), name);
      }));
  }
  nodes.push(...loadButton('load-saelens', 'load SAELens',
    'open a SAELens SAE: its folder as a .zip, or cfg.json and sae_weights.safetensors picked together', {
      accept: '.zip,.json,.safetensors',
      multiple: true,
      onFiles: async (picked) => {
        const label = picked.map((f) => f.name).join(' + ');
        try {
          const big = picked.find((f) => f.size > MAX_BYTES);
          if (big) throw new Error(`${big.name} is larger than ${MAX_BYTES >> 20} MB`);
          const files = await Promise.all(picked.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
          const sae = await saeLensFromFiles(files);
          onLoading();
          const r = await client.importSaeLens(sae.cfg, sae.weights);
          cache = null;
          onLoaded(r.config, sae.name);
        } catch (e) {
          onError(`Could not load ${label}: ${e.message}`);
        }
      },
    }));
  anchor.before(...nodes);
  return {
    async prefetch() {
      if (run() === null) return;
      const k = key();
      if ((cache && cache.key === k) || inFlight === k) return;
      inFlight = k;
      const got = await fetchZip(k, run());
      if (inFlight === k) inFlight = null;
      if (got.key === key()) cache = got;
    },
  };
}
