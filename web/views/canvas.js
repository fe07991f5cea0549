// views/canvas.js: what every view shares: a crisp (device-pixel) canvas, the CanvasView base
// (update(data) keeps the data and draws it on the view's canvas; draw(ctx, w, h, data) draws
// into any 2-D context: the canvas, export.js's SvgContext, a test's fake), colour scales, and a
// pixel-exact heatmap blit. Axes, ticks and legends are axis.js.
// Colours follow the paper's figures: a diverging blue–white–red scale for WᵀW, and a
// dark-to-yellow scale for "superposition" (interference).
import { label as axisLabel } from './axis.js';

/** A canvas of CSS size w×h drawn at device resolution, appended to parent (if one is given).
 * Returns {canvas, ctx, w, h}. */
export function makeCanvas(parent, w, h, label) {
  const canvas = document.createElement('canvas');
  if (label) {
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', label);
  }
  if (parent) parent.appendChild(canvas);
  const c = { canvas, ctx: canvas.getContext('2d'), w: 0, h: 0 };
  resize(c, w, h);
  return c;
}

/** Resize (clears the canvas). */
export function resize(c, w, h) {
  const dpr = Math.min(2, window.devicePixelRatio || 1);
  c.canvas.width = Math.round(w * dpr);
  c.canvas.height = Math.round(h * dpr);
  c.canvas.style.width = `${w}px`;
  c.canvas.style.height = `${h}px`;
  c.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  c.w = w;
  c.h = h;
}

export function clear(c) {
  c.ctx.clearRect(0, 0, c.w, c.h);
}

/**
 * The base of every single-canvas view. A view keeps its last data (`this.data`, what export.js
 * saves as JSON/CSV/.npy) and draws it with draw(ctx, w, h, data), which touches nothing but ctx
 * (so the same call renders the PNG canvas, the SVG, or a test's fake context) and returns what
 * the view's hover readout needs (`this.hits`). A view whose height follows its data overrides
 * size(data) → {w, h}.
 */
const VIEWS = new WeakMap();  // canvas → the CanvasView that draws on it

/** The view that draws on `canvas`, or undefined (export/page-export.js: a panel's SVG and data
 * from the views it holds, found from the panel's canvases). */
export const viewOf = (canvas) => VIEWS.get(canvas);

export class CanvasView {
  /** A canvas of w×h CSS pixels in parent, showing `empty` (no text if ''). The message is drawn
   * before the canvas joins the document: a canvas in the document resolves a new font against
   * the document's style, which forces a style recalculation whenever the page has just added
   * elements (a page builds its panels in one task: that was one recalculation per panel). */
  constructor(parent, w, h, label, empty = 'waiting for the first frame…') {
    this.c = makeCanvas(null, w, h, label);
    this.empty = empty;
    this.reset();
    VIEWS.set(this.c.canvas, this);
    parent.appendChild(this.c.canvas);
  }

  /** The CSS size the view draws `data` at (its canvas size unless the data sets it). */
  size() { return { w: this.c.w, h: this.c.h }; }

  /** Keep the data and draw it on the view's own canvas. */
  update(data) {
    this.data = data;
    const { w, h } = this.size(data);
    if (w !== this.c.w || h !== this.c.h) resize(this.c, w, h);  // only when the shape changes
    else clear(this.c);
    this.hits = this.draw(this.c.ctx, w, h, data);
  }

  /** Forget the data; show the empty message. */
  reset() {
    this.data = undefined;
    this.hits = null;
    clear(this.c);
    if (this.empty) text(this.c.ctx, this.empty, 4, 14);
  }
}

const clamp = (x, a, b) => (x < a ? a : x > b ? b : x);

/** Diverging scale for v in [−1, 1]: blue (−) · white (0) · red (+). Returns [r, g, b]. */
export function divergingRGB(v) {
  const t = clamp(Number.isFinite(v) ? v : 0, -1, 1);
  const neg = [33, 102, 172];
  const pos = [178, 24, 43];
  const mid = [247, 247, 247];
  const end = t < 0 ? neg : pos;
  const a = Math.abs(t);
  return [0, 1, 2].map((i) => Math.round(mid[i] + (end[i] - mid[i]) * a));
}

export function diverging(v) {
  const [r, g, b] = divergingRGB(v);
  return `rgb(${r},${g},${b})`;
}

// A compact viridis-like ramp (5 stops), t in [0, 1].
const RAMP = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
function ramp(t) {
  const x = clamp(Number.isFinite(t) ? t : 0, 0, 1) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const c = RAMP[i].map((v, j) => Math.round(v + (RAMP[i + 1][j] - v) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** Colour of feature i of n: the most important (i = 0) is yellow, the least purple (paper). */
export function featureColor(i, n) {
  return ramp(n <= 1 ? 1 : 1 - i / (n - 1));
}

/** "Superposition" colour of a feature: black (0: a dedicated dimension) to yellow (≥ 1). */
export function interferenceColor(x) {
  const t = clamp(Number.isFinite(x) ? x : 0, 0, 1);
  const stops = [[20, 20, 30], [120, 40, 110], [230, 110, 40], [250, 220, 60]];
  const y = t * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(y));
  const f = y - i;
  const c = stops[i].map((v, j) => Math.round(v + (stops[i + 1][j] - v) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

// One scratch canvas for every blit: its pixels are copied into the target at once (drawImage; an
// SvgContext embeds them as a PNG at once), so sharing it is safe.
let scratchCanvas = null;
let scratchImage = null;
function scratch(cols, rows) {
  if (!scratchCanvas) {
    scratchCanvas = typeof document !== 'undefined' ? document.createElement('canvas') : new OffscreenCanvas(1, 1);
  }
  if (scratchCanvas.width !== cols || scratchCanvas.height !== rows) { scratchCanvas.width = cols; scratchCanvas.height = rows; }
  return scratchCanvas;
}

/**
 * Draw a rows×cols grid of values (row-major, from `offset`) as a heatmap into the rectangle
 * (x, y, w, h) of ctx, one image pixel per cell scaled without smoothing (fast for large n).
 */
export function blitHeatmap(ctx, values, offset, rows, cols, x, y, w, h, scale = 1) {
  if (!(rows > 0 && cols > 0)) return;
  const s = scratch(cols, rows);
  const sctx = s.getContext('2d');
  // One ImageData per size, kept: the loop below writes every byte of it (a new one per tile per
  // frame was garbage for the page's heap, issue 18).
  if (!scratchImage || scratchImage.width !== cols || scratchImage.height !== rows) scratchImage = sctx.createImageData(cols, rows);
  const img = scratchImage;
  const px = img.data;
  // divergingRGB inlined: this loop runs for every cell of every tile at every frame.
  for (let i = 0; i < rows * cols; i++) {
    let t = values[offset + i] / scale;
    t = t > 1 ? 1 : t < -1 ? -1 : t === t ? t : 0;
    const a = t < 0 ? -t : t;
    const o = 4 * i;
    if (t < 0) { px[o] = 247 - 214 * a; px[o + 1] = 247 - 145 * a; px[o + 2] = 247 - 75 * a; }
    else { px[o] = 247 - 69 * a; px[o + 1] = 247 - 223 * a; px[o + 2] = 247 - 204 * a; }
    px[o + 3] = 255;
  }
  sctx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(s, x, y, w, h);
}

/** Canvas text into ctx (canvas text is never HTML); size 11 px unless told. */
export function text(ctx, str, x, y, opts = {}) {
  axisLabel(ctx, str, x, y, { size: 11, ...opts });
}

/** The "sticky" fractions of §5 of the paper: dimensionalities features tend to settle on. */
export const STICKY = [
  { v: 1, label: '1' }, { v: 3 / 4, label: '3/4' }, { v: 2 / 3, label: '2/3' },
  { v: 1 / 2, label: '1/2' }, { v: 2 / 5, label: '2/5' },
];

/** The sticky fractions as an axis's ticks (axis.js): 1 solid, the others dashed. */
export const STICKY_TICKS = STICKY.map((s) => ({ v: s.v, label: s.label, color: s.v === 1 ? '#aaa' : '#ddd', dash: s.v === 1 ? [] : [3, 3] }));

export function fmt(x, digits = 3) {
  if (!Number.isFinite(x)) return '–';
  digits = Number.isFinite(digits) ? Math.max(1, Math.min(21, Math.round(digits))) : 3;
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e4 || a < 1e-3) return x.toExponential(2);
  return Number(x.toPrecision(digits)).toString();
}

// ---- hover readouts -------------------------------------------------------------------------
let tip = null;

/**
 * Show a small text tooltip over a canvas: `describe(x, y)` maps CSS pixel coordinates to a
 * string (or '' for nothing). Text only (textContent), one shared tooltip for the page.
 */
export function hover(c, describe) {
  const move = (e) => {
    const r = c.canvas.getBoundingClientRect();
    const s = describe(e.clientX - r.left, e.clientY - r.top);
    if (!tip) {
      tip = document.createElement('div');
      tip.className = 'tooltip';
      document.body.appendChild(tip);
    }
    if (!s) { tip.hidden = true; return; }
    tip.textContent = s;
    tip.hidden = false;
    tip.style.left = `${e.clientX + 12}px`;
    tip.style.top = `${e.clientY + 12}px`;
  };
  c.canvas.addEventListener('mousemove', move);
  c.canvas.addEventListener('mouseleave', () => { if (tip) tip.hidden = true; });
}
