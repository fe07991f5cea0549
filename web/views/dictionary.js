// views/dictionary.js: the SAE page's dictionary check: for each true feature a row of two
// heat strips, its direction u_i and the decoder column that matches it best, with the cosine.
// Dumb view: constructor(parent, {width}), update({truth, matched, cosine, rows, d}),
// draw(ctx, w, h, data), reset(). Its height follows rows (size(data)).
//   truth: (rows, d) row-major; matched: (rows, d) row-major; cosine: (rows)
import { CanvasView, blitHeatmap, text, fmt } from './canvas.js';

const rowHeight = (rows) => (rows > 32 ? 6 : 10);

export class DictionaryView extends CanvasView {
  constructor(parent, { width = 420 } = {}) {
    super(parent, width, 60, 'true feature directions and their best decoder columns',
      'the dictionary appears once the data has known features');
    this.width = width;
  }

  size(data) {
    return data ? { w: this.width, h: 18 + data.rows * rowHeight(data.rows) } : { w: this.c.w, h: this.c.h };
  }

  draw(ctx, w, h, { truth, matched, cosine, rows, d }) {
    const rowH = rowHeight(rows);
    const stripW = Math.floor((w - 70) / 2);
    text(ctx, 'true u_i', 2, 11);
    text(ctx, 'best W_dec column', stripW + 8, 11);
    text(ctx, 'cos', w - 4, 11, { align: 'right' });
    let scale = 0;
    for (let i = 0; i < rows * d; i++) {
      const a = Math.max(Math.abs(truth[i]), Math.abs(matched[i]));
      if (a > scale && a < Infinity) scale = a;
    }
    scale = scale || 1;
    for (let r = 0; r < rows; r++) {
      const y = 16 + r * rowH;
      blitHeatmap(ctx, truth, r * d, 1, d, 2, y, stripW, rowH - 1, scale);
      blitHeatmap(ctx, matched, r * d, 1, d, stripW + 8, y, stripW, rowH - 1, scale);
      const cv = cosine[r];
      text(ctx, fmt(cv, 2), w - 4, y + rowH - 1, { align: 'right', size: rowH > 8 ? 10 : 7,
        color: cv > 0.9 ? '#2b8a3e' : '#c92a2a' });
    }
    return null;
  }
}
