// views/grid.js: small multiples, one tile per instance (as in the paper's figures, which lay
// models side by side from dense to sparse). A tile shows the arrows for m ≤ 2, else WᵀW.
// Clicking a tile selects that instance for the detail views.
// Dumb view: constructor(parent, {onSelect}), update({K, n, m, W, WtW, p, dpf, sel}, {until}),
// reset(); several canvases in HTML tiles, so no single draw(ctx): export saves its PNG and its data.
// With a deadline (`until`, performance.now() ms), update draws tiles in turn until it passes
// (one at least) and returns false while some tile still shows older data; the next update goes
// on from the next tile. A page that draws in animation frames splits a grid of many tiles over
// several: the sticky preset's twelve, made and first drawn in one frame beside the other panels,
// took ~50 ms of CPU in one task, most of it making the twelve canvases (issue 18). Without a
// deadline every tile is made and drawn at once.
import { makeCanvas, clear, blitHeatmap, fmt } from './canvas.js';
import { ArrowsView } from './arrows.js';

export class SmallMultiplesView {
  constructor(parent, { tile = 92, onSelect = null } = {}) {
    this.tile = tile;
    this.onSelect = onSelect;
    this.root = document.createElement('div');
    this.root.className = 'tiles';
    parent.appendChild(this.root);
    this.key = '';
    this.tiles = [];
    this.next = 0;   // the tile the next update draws first
    this.left = 0;   // tiles still to draw with this.data
  }

  reset() {
    this.data = undefined;
    this.root.replaceChildren();
    this.key = '';
    this.tiles = [];
    this.next = 0;
    this.left = 0;
  }

  /** Start a grid of K tiles; each tile's button and canvas are made when it is first drawn
   * (drawTile, in order: the first pass goes 0..K−1), so a deadline splits making them too. */
  build(K, mode) {
    this.reset();
    this.key = `${K}:${mode}`;
    this.mode = mode;
  }

  makeTile(k) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'tile';
    b.dataset.instance = String(k);
    b.addEventListener('click', () => this.onSelect && this.onSelect(k));
    const box = document.createElement('div');
    b.appendChild(box);
    const cap = document.createElement('span');
    cap.className = 'tile-caption';
    cap.style.maxWidth = `${this.tile + 4}px`;
    // The caption's one text node, rewritten in place (textContent would make a new node each time).
    const capText = document.createTextNode('');
    cap.appendChild(capText);
    b.appendChild(cap);
    const view = this.mode === 'arrows'
      ? new ArrowsView(box, { size: this.tile, small: true })
      : { c: makeCanvas(box, this.tile, this.tile, 'W transpose W') };
    this.root.appendChild(b);
    this.tiles[k] = { b, cap, capText, view, text: '' };
    return this.tiles[k];
  }

  update(data, { until = Infinity } = {}) {
    const { K, sel } = data;
    const mode = data.m <= 2 ? 'arrows' : 'heatmap';
    if (this.key !== `${K}:${mode}`) this.build(K, mode);
    if (this.data !== data) { this.data = data; this.left = K; }
    for (let drawn = 0; this.left > 0; drawn++) {
      if (drawn > 0 && until !== Infinity && performance.now() >= until) break;
      const k = this.next % K;
      this.next = (k + 1) % K;
      this.left--;
      this.drawTile(k, mode, data);
    }
    for (let k = 0; k < K; k++) {
      const t = this.tiles[k];
      if (!t) continue;  // not made yet
      const on = k === sel;
      if (t.b.classList.contains('selected') !== on) {
        t.b.classList.toggle('selected', on);
        t.b.setAttribute('aria-pressed', on ? 'true' : 'false');
      }
    }
    return this.left === 0;
  }

  drawTile(k, mode, { n, m, W, WtW, p, dpf }) {
    const t = this.tiles[k] || this.makeTile(k);
    if (mode === 'arrows') t.view.update({ W: W.subarray(k * m * n, (k + 1) * m * n), n, m });
    else {
      clear(t.view.c);
      let max = 1;
      for (let i = k * n * n; i < (k + 1) * n * n; i++) { const a = Math.abs(WtW[i]); if (a > max && a < Infinity) max = a; }
      blitHeatmap(t.view.c.ctx, WtW, k * n * n, n, n, 0, 0, this.tile, this.tile, max <= 1.5 ? 1 : max);
    }
    const s = `p = ${fmt(p[k], 2)} · ${fmt(dpf[k], 2)} dims/feature`;
    if (s !== t.text) { t.capText.data = s; t.text = s; }
  }
}
