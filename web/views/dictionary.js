// views/dictionary.js: the SAE page's dictionary check: for each true feature a row of two
// heat strips, its direction u_i and the decoder column that matches it best, with the cosine.
// Dumb view: constructor(parent, {width}), update({truth, matched, cosine, rows, d}), reset().
//   truth: (rows, d) row-major; matched: (rows, d) row-major; cosine: (rows)
import { makeCanvas, clear, blitHeatmap, text, fmt, resize } from './canvas.js';

export class DictionaryView {
  constructor(parent, { width = 420 } = {}) {
    this.width = width;
    this.c = makeCanvas(parent, width, 60, 'true feature directions and their best decoder columns');
    this.reset();
  }

  reset() {
    clear(this.c);
    text(this.c, 'the dictionary appears once the data has known features', 4, 14);
  }

  update({ truth, matched, cosine, rows, d }) {
    const rowH = rows > 32 ? 6 : 10;
    const h = 18 + rows * rowH;
    if (this.c.h !== h) resize(this.c, this.width, h);
    clear(this.c);
    const stripW = Math.floor((this.width - 70) / 2);
    text(this.c, 'true u_i', 2, 11);
    text(this.c, 'best W_dec column', stripW + 8, 11);
    text(this.c, 'cos', this.width - 4, 11, { align: 'right' });
    let scale = 0;
    for (let i = 0; i < rows * d; i++) scale = Math.max(scale, Math.abs(truth[i]), Math.abs(matched[i]));
    scale = scale || 1;
    for (let r = 0; r < rows; r++) {
      const y = 16 + r * rowH;
      blitHeatmap(this.c, truth, r * d, 1, d, 2, y, stripW, rowH - 1, scale);
      blitHeatmap(this.c, matched, r * d, 1, d, stripW + 8, y, stripW, rowH - 1, scale);
      const cv = cosine[r];
      text(this.c, fmt(cv, 2), this.width - 4, y + rowH - 1, { align: 'right', size: rowH > 8 ? 10 : 7,
        color: cv > 0.9 ? '#2b8a3e' : '#c92a2a' });
    }
  }
}
