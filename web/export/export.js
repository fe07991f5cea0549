// export.js: figures and data out of the page (issue 7): every panel's picture as PNG (its
// canvases composed at device resolution), as SVG where the view draws vector shapes (the view's
// draw(ctx, w, h, data) renders its last data into a recording 2-D context that writes SVG), and
// the data it drew (the view's `data`) as JSON, CSV and .npy; file names carry the experiment's
// parameters (`toy_n5_m2_p0.05_seed0_heatmap.png`); every panel at once as one .zip (zip.js). Saves are
// built synchronously inside the click, and the page keeps to Chromium's burst limit on
// downloads (10 per second per frame: see download()), so several saves in a row all arrive.
// What it is not: no view code (views/ stay dumb renderers; export only calls their draw) and no
// training. The .npy layout follows numpy's lib/format.py (version 1.0, '<f4', C order), the
// same as the C++ writer in src/io/npy.hpp; the page cannot call that one (the wasm module lives
// in the worker), so this is its small JS twin, tested by tests/web/unit/export.test.mjs.

// ---- file names --------------------------------------------------------------------------

/** `toy_n5_m2_p0.05_seed0` + `_WtW`: parts joined with '_', unsafe characters dropped. */
export function fileStem(prefix, params, suffix) {
  const parts = [prefix];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    const v = Array.isArray(value) ? value.join('-') : String(value);
    parts.push(`${key}${v}`);
  }
  if (suffix) parts.push(suffix);
  return parts.join('_').replace(/[^A-Za-z0-9._-]+/g, '').slice(0, 180);
}

// ---- data: JSON, CSV, .npy ---------------------------------------------------------------

const isArrayLike = (v) => ArrayBuffer.isView(v) || Array.isArray(v);

/** A view's data as plain JSON (typed arrays become arrays; functions and DOM nodes dropped). */
export function toJSON(data) {
  const plain = (v) => {
    if (ArrayBuffer.isView(v)) return Array.from(v);
    if (Array.isArray(v)) return v.map(plain);
    if (v && typeof v === 'object') {
      const o = {};
      for (const [k, x] of Object.entries(v)) if (typeof x !== 'function' && !(x instanceof Object && x.nodeType)) o[k] = plain(x);
      return o;
    }
    return typeof v === 'number' && !Number.isFinite(v) ? null : v;
  };
  return JSON.stringify(plain(data), null, 1);
}

/**
 * CSV in long form, one row per value: `name,index,value` (index is the flat index; a matrix
 * (rows, cols) has index = row·cols + col). Numbers and arrays only; nested arrays flattened.
 */
export function toCSV(data) {
  const rows = ['name,index,value'];
  const put = (name, v) => {
    if (typeof v === 'number') rows.push(`${name},0,${v}`);
    else if (ArrayBuffer.isView(v)) v.forEach((x, i) => rows.push(`${name},${i},${x}`));
    else if (Array.isArray(v)) v.flat(Infinity).forEach((x, i) => { if (typeof x === 'number') rows.push(`${name},${i},${x}`); });
  };
  for (const [k, v] of Object.entries(data || {})) if (/^[A-Za-z0-9_]+$/.test(k)) put(k, v);
  return rows.join('\n') + '\n';
}

/** A float32 C-order .npy file (format 1.0) of `shape`; values: product(shape) numbers. */
export function toNpy(values, shape) {
  const count = shape.reduce((a, b) => a * b, 1);
  if (values.length !== count) throw new Error(`npy: shape [${shape}] needs ${count} values, got ${values.length}`);
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims}), }`;
  // magic (6) + version (2) + length (2) + header + '\n' is a multiple of 64
  const pad = (64 - ((10 + header.length + 1) % 64)) % 64;
  header += ' '.repeat(pad) + '\n';
  const out = new Uint8Array(10 + header.length + 4 * count);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);  // \x93NUMPY 1.0
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const dv = new DataView(out.buffer, 10 + header.length);
  for (let i = 0; i < count; i++) dv.setFloat32(4 * i, values[i], true);
  return out;
}

// ---- SVG: a recording CanvasRenderingContext2D -------------------------------------------

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (x) => (Number.isFinite(x) ? +x.toFixed(2) : 0);

/**
 * The subset of the 2-D canvas API the views use, recorded as SVG elements in CSS pixels.
 * Paths are transformed as they are built (arcs become 32-segment polylines), so any
 * translate/rotate/scale is exact; images (heatmap blits) are embedded as PNG data URLs.
 */
export class SvgContext {
  constructor(width, height, canvas = null) {
    this.width = width;
    this.height = height;
    this.canvas = canvas;
    this.items = [];
    this.stack = [];
    this.st = { fillStyle: '#000', strokeStyle: '#000', lineWidth: 1, font: '10px sans-serif', textAlign: 'start',
      textBaseline: 'alphabetic', globalAlpha: 1, dash: [], m: [1, 0, 0, 1, 0, 0] };
    this.d = [];
    this.imageSmoothingEnabled = true;
    this.lineCap = 'butt';
    this.lineJoin = 'miter';
  }

  // state
  save() { this.stack.push({ ...this.st, dash: [...this.st.dash], m: [...this.st.m] }); }
  restore() { if (this.stack.length) this.st = this.stack.pop(); }
  setTransform(a, b, c, d, e, f) { this.st.m = [a, b, c, d, e, f]; }
  resetTransform() { this.st.m = [1, 0, 0, 1, 0, 0]; }
  transform(a, b, c, d, e, f) {
    const [A, B, C, D, E, F] = this.st.m;
    this.st.m = [A * a + C * b, B * a + D * b, A * c + C * d, B * c + D * d, A * e + C * f + E, B * e + D * f + F];
  }
  translate(x, y) { this.transform(1, 0, 0, 1, x, y); }
  scale(x, y) { this.transform(x, 0, 0, y, 0, 0); }
  rotate(t) { this.transform(Math.cos(t), Math.sin(t), -Math.sin(t), Math.cos(t), 0, 0); }
  setLineDash(d) { this.st.dash = [...d]; }
  getLineDash() { return [...this.st.dash]; }
  measureText(s) { return { width: String(s).length * this.fontSize() * 0.55 }; }
  fontSize() { const m = /(\d+(?:\.\d+)?)px/.exec(this.st.font); return m ? +m[1] : 10; }
  createImageData(w, h) { return { width: w, height: h, data: new Uint8ClampedArray(4 * w * h) }; }
  putImageData() {}
  clip() {}
  clearRect() {}

  // style properties
  get fillStyle() { return this.st.fillStyle; } set fillStyle(v) { this.st.fillStyle = v; }
  get strokeStyle() { return this.st.strokeStyle; } set strokeStyle(v) { this.st.strokeStyle = v; }
  get lineWidth() { return this.st.lineWidth; } set lineWidth(v) { this.st.lineWidth = v; }
  get font() { return this.st.font; } set font(v) { this.st.font = v; }
  get textAlign() { return this.st.textAlign; } set textAlign(v) { this.st.textAlign = v; }
  get textBaseline() { return this.st.textBaseline; } set textBaseline(v) { this.st.textBaseline = v; }
  get globalAlpha() { return this.st.globalAlpha; } set globalAlpha(v) { this.st.globalAlpha = v; }

  // paths
  pt(x, y) { const [a, b, c, d, e, f] = this.st.m; return [a * x + c * y + e, b * x + d * y + f]; }
  beginPath() { this.d = []; }
  moveTo(x, y) { const [X, Y] = this.pt(x, y); this.d.push(`M${num(X)} ${num(Y)}`); }
  lineTo(x, y) {
    const [X, Y] = this.pt(x, y);
    this.d.push(`${this.d.length ? 'L' : 'M'}${num(X)} ${num(Y)}`);
  }
  closePath() { if (this.d.length) this.d.push('Z'); }
  rect(x, y, w, h) { this.moveTo(x, y); this.lineTo(x + w, y); this.lineTo(x + w, y + h); this.lineTo(x, y + h); this.closePath(); }
  arc(x, y, r, a0, a1, ccw = false) {
    let sweep = a1 - a0;
    if (!ccw && sweep < 0) sweep = sweep % (2 * Math.PI) + 2 * Math.PI;
    if (ccw && sweep > 0) sweep = sweep % (2 * Math.PI) - 2 * Math.PI;
    if (Math.abs(a1 - a0) >= 2 * Math.PI) sweep = ccw ? -2 * Math.PI : 2 * Math.PI;
    const n = 32;
    for (let i = 0; i <= n; i++) {
      const t = a0 + (sweep * i) / n;
      this.lineTo(x + r * Math.cos(t), y + r * Math.sin(t));
    }
  }
  paint(extra) {
    const alpha = this.st.globalAlpha < 1 ? ` opacity="${num(this.st.globalAlpha)}"` : '';
    return `${extra}${alpha}`;
  }
  strokeAttrs() {
    const [a, b] = this.st.m;
    const w = this.st.lineWidth * Math.hypot(a, b);
    const dash = this.st.dash.length ? ` stroke-dasharray="${this.st.dash.map((x) => num(x * Math.hypot(a, b))).join(' ')}"` : '';
    return `fill="none" stroke="${esc(this.st.strokeStyle)}" stroke-width="${num(w)}"${dash}`;
  }
  fill() { if (this.d.length) this.items.push(`<path d="${this.d.join('')}"${this.paint(` fill="${esc(this.st.fillStyle)}"`)}/>`); }
  stroke() { if (this.d.length) this.items.push(`<path d="${this.d.join('')}"${this.paint(` ${this.strokeAttrs()}`)}/>`); }
  fillRect(x, y, w, h) { const keep = this.d; this.d = []; this.rect(x, y, w, h); this.fill(); this.d = keep; }
  strokeRect(x, y, w, h) { const keep = this.d; this.d = []; this.rect(x, y, w, h); this.stroke(); this.d = keep; }

  // text and images
  fillText(s, x, y) {
    const anchor = { center: 'middle', right: 'end', end: 'end' }[this.st.textAlign] || 'start';
    const base = { middle: 'central', top: 'hanging', hanging: 'hanging', bottom: 'text-after-edge' }[this.st.textBaseline] || 'alphabetic';
    const [a, b, c, d, e, f] = this.st.m;
    this.items.push(`<text transform="matrix(${[a, b, c, d, e, f].map(num).join(' ')})" x="${num(x)}" y="${num(y)}" ` +
      `text-anchor="${anchor}" dominant-baseline="${base}" style="font: ${esc(this.st.font)}"${this.paint(` fill="${esc(this.st.fillStyle)}"`)}>${esc(s)}</text>`);
  }
  drawImage(src, x, y, w, h) {
    if (!src || typeof src.toDataURL !== 'function') return;
    w = w ?? src.width;
    h = h ?? src.height;
    const [a, b, c, d, e, f] = this.st.m;
    this.items.push(`<image transform="matrix(${[a, b, c, d, e, f].map(num).join(' ')})" x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" ` +
      `preserveAspectRatio="none" style="image-rendering: pixelated" href="${src.toDataURL('image/png')}"/>`);
  }

  toString() {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${this.width}" height="${this.height}" ` +
      `viewBox="0 0 ${this.width} ${this.height}">\n<rect width="100%" height="100%" fill="#fff"/>\n${this.items.join('\n')}\n</svg>\n`;
  }
}

/** Whether a view draws vector shapes through draw(ctx, w, h, data) (views/canvas.js CanvasView). */
export const canSvg = (view) => !!(view && typeof view.draw === 'function' && typeof view.size === 'function');

/** The view's data (its last, unless given) drawn as SVG text: the view's own draw() into a
 * recording context. null if the view cannot draw vectors or has no data. */
export function svgOfView(view, data = view ? view.data : undefined) {
  if (!canSvg(view) || data === undefined) return null;
  const { w, h } = view.size(data);
  const rec = new SvgContext(w, h);
  view.draw(rec, w, h, data);
  return rec.toString();
}

// ---- PNG: the panel's canvases composed at device resolution ----------------------------

/** One canvas of every canvas under `root`, placed as on screen, on white (null if none). */
export function composeCanvas(root) {
  const canvases = [...root.querySelectorAll('canvas')].filter((c) => c.width > 0 && c.height > 0);
  if (canvases.length === 0) return null;
  const box = root.getBoundingClientRect();
  const dpr = canvases[0].width / Math.max(1, canvases[0].getBoundingClientRect().width || canvases[0].width);
  let w = 0;
  let h = 0;
  const placed = canvases.map((c) => {
    const r = c.getBoundingClientRect();
    const x = (r.left - box.left) * dpr;
    const y = (r.top - box.top) * dpr;
    w = Math.max(w, x + c.width);
    h = Math.max(h, y + c.height);
    return { c, x, y };
  });
  const out = document.createElement('canvas');
  out.width = Math.max(1, Math.ceil(w));
  out.height = Math.max(1, Math.ceil(h));
  const ctx = out.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  for (const { c, x, y } of placed) ctx.drawImage(c, Math.round(x), Math.round(y));
  return out;
}

/** The bytes of a data: URL (base64), e.g. canvas.toDataURL()'s PNG. */
export function dataUrlBytes(url) {
  const bin = atob(url.slice(url.indexOf(',') + 1));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The PNG of `root`'s canvases, synchronously (toDataURL, not toBlob: the save stays in the
 * click's task). null if there is no canvas. */
export function composePNGBytes(root) {
  const c = composeCanvas(root);
  return c ? dataUrlBytes(c.toDataURL('image/png')) : null;
}

/** The same as a Blob, for callers that want one (resolves at once). */
export function composePNG(root) {
  const bytes = composePNGBytes(root);
  return Promise.resolve(bytes ? new Blob([bytes], { type: 'image/png' }) : null);
}

// ---- downloads and the save menu ---------------------------------------------------------

// Chromium (Blink's LocalFrame::ShouldThrottleDownload) drops, without any message, a download
// that a frame starts when it has already started 10 (kBurstDownloadLimit) since its window's
// start, unless more than a second has passed since that start; then that download opens a new
// window. Eleven saves in a row lose the eleventh. The page mirrors that rule: its window opens
// *after* the first download's click returns (Blink's opens inside it, so ours never starts
// earlier, however long the click took), and the eleventh waits for WINDOW_MS after it. A
// multi-file save is one .zip (zip.js), one download.
const BURST = 10;
const WINDOW_MS = 1100;  // Blink's 1 s, and a margin for timer slack
const queue = [];
let burst = { start: 0, count: 0 };
let timer = null;

function startDownload({ blob, name }) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

function drain() {
  timer = null;
  while (queue.length) {
    if (burst.count >= BURST) {
      const wait = burst.start + WINDOW_MS - performance.now();
      if (wait > 0) {
        timer = setTimeout(drain, wait);
        return;
      }
      burst = { start: 0, count: 0 };
    }
    startDownload(queue.shift());
    if (burst.count++ === 0) burst.start = performance.now();
  }
}

/** Downloads waiting for the next window (for tests and a page's "saving…" state). */
export const pendingDownloads = () => queue.length;

/**
 * Save a Blob, bytes or a string under a file name through a temporary link. Starts at once
 * (in the caller's task: inside a click) unless this frame already started 10 downloads in the
 * last second; then it waits for the next window.
 */
export function download(content, name, type = 'application/octet-stream') {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  queue.push({ blob, name });
  if (!timer) drain();
}

/** A toolbar button: <button type=button id=… title=…>text</button>, onClick on click. */
export function toolButton(id, text, title, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.id = id;
  b.textContent = text;
  b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

/**
 * A "load" button and its hidden file input (ids `id` and `id-file`): a click opens the picker;
 * onFiles(files) gets the picked Files (at least one; the input is cleared first, so the same
 * file can be picked again). Returns [button, input], for the caller to place.
 */
export function loadButton(id, text, title, { accept, multiple = false, onFiles }) {
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = accept;
  input.multiple = multiple;
  input.id = `${id}-file`;
  input.hidden = true;
  input.addEventListener('change', () => {
    const picked = Array.from(input.files || []);
    input.value = '';
    if (picked.length) onFiles(picked);
  });
  return [toolButton(id, text, title, () => input.click()), input];
}

// Each menu's files (for "save all": one .zip of every panel), found again from its element.
const MENU_FILES = new WeakMap();

/**
 * The files of every save menu under `root` whose panel is shown: [{name, bytes}] (PNG, SVG,
 * JSON, CSV, .npy of each), for one .zip.
 */
export function panelFiles(root = document) {
  const out = [];
  for (const menu of root.querySelectorAll('.export-menu')) {
    const files = MENU_FILES.get(menu);
    if (!files || menu.closest('[hidden]')) continue;
    for (const f of files()) if (f) out.push(f);
  }
  return out;
}

export const utf8 = (text) => new TextEncoder().encode(text);

const LABELS = { png: 'PNG', svg: 'SVG', json: 'JSON', csv: 'CSV', npy: '.npy' };

/**
 * The one "save" menu of every panel (issue 13): a <details> with one button per file kind.
 * files: {kind: () => {name, bytes, type} | null} in the menu's order (a kind left out or null
 * has no button); each file is built synchronously inside its click (no await), and a save with
 * nothing to save says so on its button (never silent). labels: a kind's button text (default
 * PNG, SVG, JSON, CSV, .npy); zip: the kinds "save all" (lib/toolbar.js, panelFiles) puts in its
 * .zip (default every kind). Returns the menu, not yet in the document (the caller places it).
 */
export function saveMenu({ files, labels = {}, zip = null }) {
  const menu = document.createElement('details');
  menu.className = 'export-menu';
  const summary = document.createElement('summary');
  summary.textContent = 'save';
  summary.title = 'save this figure or its data';
  menu.appendChild(summary);
  const list = document.createElement('div');
  list.className = 'export-items';
  menu.appendChild(list);
  const kinds = Object.keys(files).filter((k) => files[k]);
  for (const kind of kinds) {
    const label = labels[kind] || LABELS[kind] || kind;
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.export = kind;
    b.textContent = label;
    b.addEventListener('click', () => {
      try {
        const file = files[kind]();
        if (!file) throw new Error('no data to save yet');
        download(file.bytes, file.name, file.type);
        b.textContent = label;
      } catch (e) {
        b.textContent = `${label}: ${e.message}`;
      }
      menu.open = false;
    });
    list.appendChild(b);
  }
  const zipped = (zip || kinds).filter((k) => files[k]);
  MENU_FILES.set(menu, () => zipped.map((k) => { try { return files[k](); } catch { return null; } }));
  return menu;
}

/**
 * A view's save menu in a panel's header (the toy lab's panels): PNG, SVG (vector views), JSON,
 * CSV, and .npy of the panel's main array. opts: {view, body (the element holding the canvases),
 * stem() → file stem, npy(data) → {values, shape} | null}.
 */
export function addExportMenu(head, { view, body, stem, npy = null }) {
  const menu = saveMenu({ files: {
    png: () => { const b = composePNGBytes(body); return b && { name: `${stem()}.png`, bytes: b, type: 'image/png' }; },
    svg: canSvg(view) ? () => { const t = svgOfView(view, view.data); return t && { name: `${stem()}.svg`, bytes: utf8(t), type: 'image/svg+xml' }; } : null,
    json: () => ({ name: `${stem()}.json`, bytes: utf8(toJSON(view.data ?? {})), type: 'application/json' }),
    csv: () => ({ name: `${stem()}.csv`, bytes: utf8(toCSV(view.data ?? {})), type: 'text/csv' }),
    npy: npy ? () => {
      const a = view.data === undefined ? null : npy(view.data);
      return a && { name: `${stem()}.npy`, bytes: toNpy(a.values, a.shape), type: 'application/octet-stream' };
    } : null,
  } });
  head.appendChild(menu);
  return menu;
}

/** Kept for callers that only need a view's array by name: the first typed array in data. */
export function firstArray(data) {
  for (const v of Object.values(data || {})) if (isArrayLike(v) && v.length > 0) return { values: v, shape: [v.length] };
  return null;
}
