// views/attention.js: one attention head's pattern on a prompt as a T×T heatmap: query positions
// as rows (top to bottom), key positions as columns (left to right), the weight a query puts on a
// key as the cell's colour (white 0 · red 1: each row is a probability distribution, zero above
// the diagonal because attention is causal). With `labels`, each row and column carries its
// token's text (when T is small enough for the text to be read), and a hover reads a cell.
// Dumb view: constructor(parent, {size, labels, label}), update({pattern, offset, T, tokens,
// title}), draw(ctx, w, h, data), reset(). pattern is row-major (…, T, T) read from `offset`.
// Reference: the attention-pattern plots of Elhage et al. 2021, "A Mathematical Framework for
// Transformer Circuits" (queries down, keys across).
import { CanvasView, blitHeatmap, text, hover, fmt } from './canvas.js';

const LABEL_FONT = 10;
/** The most tokens whose text is written beside the rows and columns. */
export const MAX_LABELLED = 32;

export class AttentionView extends CanvasView {
  constructor(parent, { size = 96, labels = false, label = 'attention pattern' } = {}) {
    const m = labels ? AttentionView.margins(size) : { left: 0, top: 0, bottom: 0, right: 0 };
    super(parent, size + m.left + m.right + 2, size + m.top + m.bottom + 2, label, '');
    this.S = size;
    this.labels = labels;
    this.m = m;
    if (labels) {
      hover(this.c, (x, y) => {
        const d = this.data;
        if (!d) return '';
        const i = Math.floor(((y - this.m.top) / this.S) * d.T);
        const j = Math.floor(((x - this.m.left) / this.S) * d.T);
        if (i < 0 || j < 0 || i >= d.T || j >= d.T) return '';
        const tok = (t) => (d.tokens ? `“${d.tokens[t]}”` : '');
        return `query ${i} ${tok(i)} → key ${j} ${tok(j)}: ${fmt(d.pattern[d.offset + i * d.T + j])}`;
      });
    }
  }

  /** Room for the token labels: left of the rows, above the columns (slanted: the last ones reach
   * past the right edge), the axis titles below. */
  static margins(size) {
    const top = Math.min(70, Math.round(size * 0.22));
    return { left: Math.min(90, Math.round(size * 0.3)), top, bottom: 18, right: Math.round(top * 0.55) };
  }

  draw(ctx, w, h, { pattern, offset = 0, T, tokens }) {
    const { left, top } = this.m;
    const S = this.S;
    blitHeatmap(ctx, pattern, offset, T, T, left + 1, top + 1, S, S, 1);
    ctx.strokeStyle = '#bbb';
    ctx.lineWidth = 1;
    ctx.strokeRect(left + 0.5, top + 0.5, S + 1, S + 1);
    if (!this.labels) return null;
    const cell = S / T;
    if (tokens && T <= MAX_LABELLED) {
      const size = Math.max(7, Math.min(LABEL_FONT, cell * 0.9));
      for (let t = 0; t < T; t++) {
        const s = clipText(tokens[t]);
        text(ctx, s, left - 3, top + 1 + (t + 0.5) * cell, { align: 'right', size, baseline: 'middle' });
        ctx.save();
        ctx.translate(left + 1 + (t + 0.5) * cell, top - 3);
        ctx.rotate(-Math.PI / 3);
        text(ctx, s, 0, 0, { size, baseline: 'middle' });
        ctx.restore();
      }
    }
    text(ctx, 'keys (attended to) →', left + S / 2, top + S + 15, { align: 'center', size: 10, color: '#555' });
    ctx.save();
    ctx.translate(9, top + S / 2);
    ctx.rotate(-Math.PI / 2);
    if (!tokens || T > MAX_LABELLED) text(ctx, 'queries ↓', 0, 0, { align: 'center', size: 10, color: '#555' });
    ctx.restore();
    return null;
  }
}

function clipText(s) {
  const t = String(s);
  return t.length > 10 ? `${t.slice(0, 9)}…` : t;
}
