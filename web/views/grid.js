// views/grid.js: small multiples, one tile per instance (as in the paper's figures, which lay
// models side by side from dense to sparse). A tile shows the arrows for m ≤ 2, else WᵀW.
// Clicking a tile selects that instance for the detail views.
// Dumb view: constructor(parent, {onSelect}), update({K, n, m, W, WtW, p, dpf, sel}), reset();
// several canvases in HTML tiles, so no single draw(ctx): export saves its PNG and its data.
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
  }

  reset() {
    this.data = undefined;
    this.root.replaceChildren();
    this.key = '';
    this.tiles = [];
  }

  build(K, mode) {
    this.reset();
    this.key = `${K}:${mode}`;
    for (let k = 0; k < K; k++) {
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
      b.appendChild(cap);
      const view = mode === 'arrows'
        ? new ArrowsView(box, { size: this.tile, small: true })
        : { c: makeCanvas(box, this.tile, this.tile, 'W transpose W') };
      this.root.appendChild(b);
      this.tiles.push({ b, cap, view, text: '' });
    }
  }

  update(data) {
    const { K, n, m, W, WtW, p, dpf, sel } = data;
    const mode = m <= 2 ? 'arrows' : 'heatmap';
    if (this.key !== `${K}:${mode}`) this.build(K, mode);
    this.data = data;
    for (let k = 0; k < K; k++) {
      const t = this.tiles[k];
      if (mode === 'arrows') t.view.update({ W: W.subarray(k * m * n, (k + 1) * m * n), n, m });
      else {
        clear(t.view.c);
        let max = 1;
        for (let i = k * n * n; i < (k + 1) * n * n; i++) { const a = Math.abs(WtW[i]); if (a > max && a < Infinity) max = a; }
        blitHeatmap(t.view.c.ctx, WtW, k * n * n, n, n, 0, 0, this.tile, this.tile, max <= 1.5 ? 1 : max);
      }
      const s = `p = ${fmt(p[k], 2)} · ${fmt(dpf[k], 2)} dims/feature`;
      if (s !== t.text) { t.cap.textContent = s; t.text = s; }
      const on = k === sel;
      if (t.b.classList.contains('selected') !== on) {
        t.b.classList.toggle('selected', on);
        t.b.setAttribute('aria-pressed', on ? 'true' : 'false');
      }
    }
  }
}
