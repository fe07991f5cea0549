// fake-dom.mjs: just enough of a browser for the views (web/views/) to run under node: a
// `document` whose elements take children, styles, attributes and listeners, and canvases whose
// 2-D context records every call. The context checks what a real one would silently swallow:
// each coordinate, size and radius must be a finite number (a NaN or ±Infinity reaching the
// canvas means a view let a bad value through), and it counts the calls, so a test can bound the
// work of one draw.
// What it is not: a renderer (nothing is rasterised) or a DOM (no layout, no events fired).

/** A CanvasRenderingContext2D that records calls and flags non-finite numbers. */
export class FakeContext2D {
  constructor(canvas = null) {
    this.canvas = canvas;
    this.calls = 0;
    this.texts = [];
    this.placed = [];  // each text with its position, alignment, baseline and font
    this.bad = [];
    this.fillStyle = '#000';
    this.strokeStyle = '#000';
    this.lineWidth = 1;
    this.font = '10px sans-serif';
    this.textAlign = 'start';
    this.textBaseline = 'alphabetic';
    this.globalAlpha = 1;
    this.imageSmoothingEnabled = true;
    const numeric = ['moveTo', 'lineTo', 'rect', 'fillRect', 'strokeRect', 'clearRect', 'arc', 'translate', 'rotate',
      'scale', 'setTransform', 'transform', 'quadraticCurveTo', 'bezierCurveTo'];
    for (const name of numeric) {
      this[name] = (...args) => {
        this.calls++;
        args.forEach((a, i) => {
          if (typeof a === 'number' && !Number.isFinite(a) && this.bad.length < 20) this.bad.push(`${name} argument ${i} = ${a}`);
          // arc's last argument is a boolean; radius must also be ≥ 0 (a real canvas throws).
          if (name === 'arc' && i === 2 && a < 0) this.bad.push(`arc radius ${a}`);
        });
      };
    }
  }

  save() { this.calls++; }
  restore() { this.calls++; }
  beginPath() { this.calls++; }
  closePath() { this.calls++; }
  stroke() { this.calls++; }
  fill() { this.calls++; }
  clip() { this.calls++; }
  setLineDash(d) {
    this.calls++;
    if (!Array.isArray(d) || d.some((x) => !Number.isFinite(x))) this.bad.push(`setLineDash ${d}`);
  }
  fillText(s, x, y) {
    this.calls++;
    if (typeof s !== 'string') this.bad.push(`fillText of a ${typeof s}`);
    if (!Number.isFinite(x) || !Number.isFinite(y)) this.bad.push(`fillText "${s}" at ${x}, ${y}`);
    this.texts.push(String(s));
    this.placed.push({ s: String(s), x, y, align: this.textAlign, baseline: this.textBaseline, font: this.font });
  }
  measureText(s) {
    const m = /(\d+(?:\.\d+)?)px/.exec(this.font);
    return { width: String(s).length * (m ? +m[1] : 10) * 0.6 };
  }
  createImageData(w, h) {
    this.calls++;
    if (!(Number.isInteger(w) && w > 0 && Number.isInteger(h) && h > 0)) this.bad.push(`createImageData ${w}×${h}`);
    return { width: w, height: h, data: new Uint8ClampedArray(4 * Math.max(0, w * h) || 0) };
  }
  putImageData() { this.calls++; }
  drawImage(src, ...args) {
    this.calls++;
    args.forEach((a, i) => { if (!Number.isFinite(a)) this.bad.push(`drawImage argument ${i + 1} = ${a}`); });
  }
}

class FakeElement {
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.children = [];
    this.style = {};
    this.dataset = {};
    this.attributes = {};
    this.hidden = false;
    this.textContent = '';
    this.width = 300;
    this.height = 150;
    const classes = new Set();
    this.classList = {
      add: (c) => classes.add(c), remove: (c) => classes.delete(c), contains: (c) => classes.has(c),
      toggle: (c, on = !classes.has(c)) => { if (on) classes.add(c); else classes.delete(c); return on; },
    };
    this.context = null;
  }

  appendChild(c) { this.children.push(c); return c; }
  append(...cs) { this.children.push(...cs); }
  replaceChildren(...cs) { this.children = cs; }
  setAttribute(k, v) { this.attributes[k] = String(v); }
  getAttribute(k) { return this.attributes[k] ?? null; }
  addEventListener() {}
  removeEventListener() {}
  getBoundingClientRect() { return { left: 0, top: 0, width: this.width, height: this.height }; }
  getContext(kind) {
    if (kind !== '2d') return null;
    if (!this.context) this.context = new FakeContext2D(this);
    return this.context;
  }
  toDataURL() { return 'data:image/png;base64,'; }
}

/** Install `document` and `window` on globalThis (once); returns the fake document. */
export function installFakeDom() {
  if (!globalThis.document) {
    globalThis.document = {
      createElement: (tag) => new FakeElement(tag),
      createTextNode: (data) => ({ nodeType: 3, data: String(data) }),
      body: new FakeElement('body'),
    };
  }
  if (!globalThis.window) globalThis.window = { devicePixelRatio: 1 };
  return globalThis.document;
}

/** A fresh parent element for a view. */
export const fakeParent = () => new FakeElement('div');
