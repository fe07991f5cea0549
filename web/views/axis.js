// views/axis.js: the one scale-and-axis module every chart draws with: linear and log scales,
// "nice" ticks (1, 2, 5 × 10^k; decades on a log axis, with 2 and 5 between them when only a few
// decades show), tick labels in the quantity's own units (a log axis of epochs reads 1, 10, 100,
// 1k, not log10 of them), axis titles, a legend, and a layout that keeps every label inside the
// canvas (so none reaches the panel's title or its save button above it).
// What it is not: no view and no DOM; it draws into whatever 2-D context it is given (a canvas,
// export.js's SvgContext, a test's fake), so a view's draw(ctx, w, h, data) stays context-free.
// Every input is clamped first: any finite or non-finite range (1e-300, 5e-324, ±1e308, −0, NaN,
// ±Infinity, lo > hi, lo = hi) gives a finite scale and at most MAX_TICKS ticks, so no value can
// make a tick loop run away (issue 14 #7: 1/p of a p that underflowed to 0 did exactly that).
// Reference: Heckbert, "Nice numbers for graph labels", Graphics Gems (1990).

export const FONT = 'system-ui, -apple-system, "Segoe UI", sans-serif';
export const MAX_TICKS = 40;        // a hard bound on the ticks of any axis, whatever the range
const BIG = 1e300;                  // |values| are clamped here: hi − lo stays finite
const TINY = 1e-300;                // a log scale's smallest positive value (5e-324 is not)

const finite = (v, fallback) => (Number.isFinite(v) ? v : fallback);
const clampAbs = (v) => (v > BIG ? BIG : v < -BIG ? -BIG : v);

/** 1, 2 or 5 × 10^k nearest above `raw` (> 0, finite): the step between nice ticks. */
export function niceStep(raw) {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const e = Math.floor(Math.log10(raw));
  const base = 10 ** e;
  const f = raw / base;
  const m = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return m * base;
}

/**
 * A linear scale over [lo, hi]: map(v) → fraction of the axis (0 at lo, 1 at hi; outside for
 * values outside), ticks(count) → [{v, label}]. Non-finite ends fall back to [0, 1]; an empty or
 * (relative to the values) vanishing range is widened around its centre.
 */
export function linearScale(lo, hi) {
  let a = clampAbs(finite(lo, 0));
  let b = clampAbs(finite(hi, 1));
  if (a > b) [a, b] = [b, a];
  const mag = Math.max(Math.abs(a), Math.abs(b));
  if (!(b - a > mag * 1e-9) || !(b - a > TINY)) {
    const mid = a / 2 + b / 2;
    const d = Math.abs(mid) > 1e-9 ? Math.abs(mid) * 0.5 : 1;
    a = clampAbs(mid - d);
    b = clampAbs(mid + d);
  }
  const span = b - a;
  return {
    type: 'linear', lo: a, hi: b,
    map: (v) => (v - a) / span,
    ticks: (count = 5) => linearTicks(a, b, count),
  };
}

/** Nice ticks in [a, b] (finite, a < b), about `count` of them, labelled to the step's precision. */
export function linearTicks(a, b, count = 5) {
  const n = Math.max(1, Math.min(MAX_TICKS, Math.floor(finite(count, 5))));
  const step = niceStep((b - a) / n);
  let i0 = Math.ceil(a / step - 1e-9);
  const i1 = Math.floor(b / step + 1e-9);
  if (!Number.isFinite(i0) || !Number.isFinite(i1)) return [];
  if (i1 - i0 > MAX_TICKS) i0 = i1 - MAX_TICKS;
  const out = [];
  for (let i = i0; i <= i1; i++) {
    const v = i * step;
    out.push({ v, label: formatTick(v, step) });
  }
  return out;
}

/**
 * A log10 scale over [lo, hi] (both > 0): values ≤ 0 have no place on it (map → NaN). The ends
 * are clamped to [1e-300, 1e300] (denormals and 0 included), and widened to a decade if equal.
 */
export function logScale(lo, hi) {
  let a = finite(lo, NaN);
  let b = finite(hi, NaN);
  if (!(a > 0) && !(b > 0)) { a = 1; b = 10; }
  if (!(a > 0)) a = b / 10;
  if (!(b > 0)) b = a * 10;
  a = Math.min(BIG, Math.max(TINY, a));
  b = Math.min(BIG, Math.max(TINY, b));
  if (a > b) [a, b] = [b, a];
  let la = Math.log10(a);
  let lb = Math.log10(b);
  if (!(lb - la > 1e-9)) { la -= 0.5; lb += 0.5; }
  const span = lb - la;
  return {
    type: 'log', lo: 10 ** la, hi: 10 ** lb,
    map: (v) => (v > 0 ? (Math.log10(v) - la) / span : NaN),
    ticks: (count = 5) => logTicks(la, lb, count),
  };
}

/** Ticks of a log axis whose ends are 10^la and 10^lb: decades (every k-th one if there are many),
 * with 2× and 5× between them when few decades show, and nice linear ticks inside one decade. */
export function logTicks(la, lb, count = 5) {
  const n = Math.max(1, Math.min(MAX_TICKS, Math.floor(finite(count, 5))));
  const d0 = Math.ceil(la - 1e-9);
  const d1 = Math.floor(lb + 1e-9);
  if (d1 - d0 < 1) {
    // Less than a decade between two powers of ten: plain nice ticks, labelled as numbers.
    return linearTicks(10 ** la, 10 ** lb, Math.min(n, 4)).filter((t) => t.v > 0);
  }
  const stride = Math.max(1, Math.ceil((d1 - d0 + 1) / n));
  const out = [];
  for (let d = d0; d <= d1; d += stride) out.push({ v: 10 ** d, label: formatPower(10 ** d) });
  if (stride === 1 && 3 * (d1 - d0 + 1) <= n) {
    for (let d = Math.floor(la); d <= d1; d++) {
      for (const m of [2, 5]) {
        const v = m * 10 ** d;
        const lv = Math.log10(v);
        if (lv >= la - 1e-9 && lv <= lb + 1e-9) out.push({ v, label: formatPower(v), minor: true });
      }
    }
    out.sort((p, q) => p.v - q.v);
  }
  return out;
}

// ---- labels in the quantity's units -------------------------------------------------------

const stripZeros = (s) => s.replace(/(\.\d*?)0+(e|$)/, '$1$2').replace(/\.(e|$)/, '$1');

/** A tick value v on a linear axis whose ticks are `step` apart: as many decimals as the step
 * needs (0.2, 1.5, 300), thousands as k and millions as M when the step allows (15k, 2M), and
 * exponent notation beyond 1e9 or below 1e-4 (5e-7, 1.5e12). −0 prints 0. */
export function formatTick(v, step) {
  if (!Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  const s = Math.abs(finite(step, a)) || a;
  if (a < s * 1e-6) return '0';
  const decimalsOf = (q) => Math.max(0, Math.min(10, -Math.floor(Math.log10(q) + 1e-9)));
  if (a < 1e4 && s >= 1e-4) return v.toFixed(decimalsOf(s));
  if (a < 1e6 && s >= 100) return `${(v / 1e3).toFixed(decimalsOf(s / 1e3))}k`;
  if (a < 1e9 && s >= 1e5) return `${(v / 1e6).toFixed(decimalsOf(s / 1e6))}M`;
  if (a < 1e9 && s >= 1e-4) return v.toFixed(decimalsOf(s));
  const digits = Math.max(0, Math.min(14, Math.floor(Math.log10(a) + 1e-9) - Math.floor(Math.log10(s) + 1e-9)));
  return stripZeros(v.toExponential(digits)).replace('e+', 'e');
}

/** A tick of a log axis (m × 10^d, m in 1, 2, 5): 0.01, 0.5, 1, 20, 500, 1k, 20k, 1M, 5e7, 1e-5. */
export function formatPower(v) {
  if (!(v > 0) || !Number.isFinite(v)) return '–';
  const d = Math.floor(Math.log10(v) + 1e-9);
  const m = Math.round(v / 10 ** d);
  if (d >= 0 && d < 3) return String(m * 10 ** d);
  if (d >= 3 && d < 6) return `${m * 10 ** (d - 3)}k`;
  if (d >= 6 && d < 9) return `${m * 10 ** (d - 6)}M`;
  if (d < 0 && d >= -3) return (m * 10 ** d).toFixed(-d);
  return `${m}e${d}`;
}

// ---- drawing -----------------------------------------------------------------------------

/** Canvas text in the lab's font (canvas text is never HTML). */
export function label(ctx, str, x, y, { align = 'left', baseline = 'alphabetic', color = '#555', size = 10, bold = false } = {}) {
  ctx.fillStyle = color;
  ctx.font = `${bold ? '600 ' : ''}${size}px ${FONT}`;
  ctx.textAlign = align;
  ctx.textBaseline = baseline;
  ctx.fillText(str, x, y);
}

// A canvas's text widths, by size and string: every frame lays out the same tick labels again,
// and each measureText makes a TextMetrics object on the page's garbage-collected heap (a frame
// of the sticky preset measured a few hundred; sweeping them once the run had ended took tasks of
// 20–27 ms of CPU, issue 18). Only for a real canvas (an SvgContext or a test's fake measures its
// own way); the page's one font, so the width of a string at a size never changes.
const WIDTHS = new Map();
const WIDTHS_MAX = 4096;
const isCanvas = (ctx) => typeof CanvasRenderingContext2D !== 'undefined' && ctx instanceof CanvasRenderingContext2D;

function textWidth(ctx, str, size) {
  const cache = isCanvas(ctx);
  const key = cache ? `${size}|${str}` : '';
  if (cache && WIDTHS.has(key)) return WIDTHS.get(key);
  ctx.font = `${size}px ${FONT}`;
  const m = ctx.measureText ? ctx.measureText(str).width : NaN;
  const w = Number.isFinite(m) ? m : str.length * size * 0.6;
  if (cache) {
    if (WIDTHS.size >= WIDTHS_MAX) WIDTHS.clear();
    WIDTHS.set(key, w);
  }
  return w;
}

/** The ticks whose labels are shown: for nice ticks every k-th one (k = 1, 2, 3, ...), so the
 * labels stay evenly spaced; for explicit ticks (fixed marks such as 1, 3/4, 2/3, 1/2, 2/5) each
 * one that clears the label kept before it. Neighbours' label extents [lo, hi] never overlap,
 * with `gap` pixels between. Only labels are dropped: every tick keeps its grid line. */
function labelled(ticks, extent, gap, explicit) {
  const clear = (a, b) => extent(a)[1] + gap <= extent(b)[0];
  if (explicit) {
    const kept = [];
    for (const t of ticks) if (!kept.length || clear(kept[kept.length - 1], t)) kept.push(t);
    return new Set(kept);
  }
  for (let k = 1; k <= ticks.length; k++) {
    const kept = ticks.filter((_, i) => i % k === 0);
    let ok = true;
    for (let i = 1; i < kept.length && ok; i++) ok = clear(kept[i - 1], kept[i]);
    if (ok) return new Set(kept);
  }
  return new Set(ticks.slice(0, 1));
}

const LEGEND_ROW = 14;
const LEGEND_SIZE = 10;

function legendRows(ctx, items, width) {
  const rows = [];
  let row = [];
  let x = 0;
  for (const it of items) {
    const w = 18 + textWidth(ctx, it.label, LEGEND_SIZE) + 12;
    if (row.length && x + w > width) { rows.push(row); row = []; x = 0; }
    row.push({ ...it, x });
    x += w;
  }
  if (row.length) rows.push(row);
  return rows;
}

/**
 * Lay out a chart in a w×h box and draw its grid, axes, tick labels, titles and legend.
 * spec: {x, y: scales (linearScale / logScale), xTitle, yTitle (with units), legend: [{label,
 *   color, dash, width, dot}], xTicks / yTicks: explicit [{v, label, strong, color, dash}] instead
 *   of nice ones,
 *   grid (default true), size: tick label px (10)}.
 * Returns the plot frame {left, top, width, height, X(v), Y(v), clip()} for the data: X and Y map
 * a value to pixels (NaN if it has no place on the axis: skip it); clip() (inside
 * ctx.save/restore) keeps drawing inside the frame.
 */
export function drawChart(ctx, w, h, spec) {
  const { x, y, xTitle = '', yTitle = '', legend = [], grid = true, size = 10 } = spec;
  const W = Math.max(1, finite(w, 1));
  const H = Math.max(1, finite(h, 1));
  // Legend rows above the frame, wrapped to the width.
  const rows = legend.length ? legendRows(ctx, legend, W - 8) : [];
  // (the top tick label reaches half its height above the frame: it stays below the legend)
  const top = 8 + rows.length * LEGEND_ROW + (rows.length ? size / 2 + 1 : 0);
  const bottom = (xTitle ? 2 * size + 10 : size + 8);
  const frameH = Math.max(10, H - top - bottom);
  const onAxis = (sc) => (t) => { const f = sc.map(t.v); return f >= -1e-6 && f <= 1 + 1e-6; };
  const byValue = (p, q) => p.v - q.v;
  const yTicks = (spec.yTicks || y.ticks(Math.max(2, Math.floor(frameH / 28)))).filter(onAxis(y)).sort(byValue);
  const yLabelW = yTicks.reduce((m, t) => Math.max(m, textWidth(ctx, t.label, size)), 0);
  const left = Math.min(W / 2, 4 + (yTitle ? size + 8 : 0) + yLabelW + 5);
  const frameW = Math.max(10, W - left - 10);
  // Pixels of a value: NaN for a value with no place (NaN, ±∞, ≤ 0 on a log axis), so callers
  // skip it; far outside the frame, clamped (a canvas given 1e300 draws nothing, or worse).
  const pixel = (v, p) => (Number.isFinite(v) ? Math.max(-1e5, Math.min(1e5, p)) : NaN);
  const X = (v) => pixel(v, left + frameW * x.map(v));
  const Y = (v) => pixel(v, top + frameH * (1 - y.map(v)));
  const yShown = labelled(yTicks, (t) => { const p = Y(t.v); return [-p - size / 2, -p + size / 2]; }, 1, !!spec.yTicks);
  const xTicks = (spec.xTicks || x.ticks(Math.max(2, Math.floor(frameW / 56)))).filter(onAxis(x)).sort(byValue);
  // A label centred under its tick, shifted inward at the ends so it stays inside the canvas.
  const xPlace = (t) => {
    const tw = textWidth(ctx, t.label, size);
    const cx = Math.max(tw / 2 + 1, Math.min(W - tw / 2 - 1, X(t.v)));
    return [cx - tw / 2, cx + tw / 2];
  };
  const xShown = labelled(xTicks, xPlace, 6, !!spec.xTicks);
  ctx.save();
  ctx.lineWidth = 1;
  ctx.setLineDash([]);
  const snap = (p) => Math.round(p) + 0.5;
  for (const t of yTicks) {
    const p = snap(Y(t.v));
    if (grid || t.strong || t.color) {
      ctx.strokeStyle = t.color || (t.strong ? '#aaa' : '#eee');
      ctx.setLineDash(t.dash || []);
      ctx.beginPath(); ctx.moveTo(left, p); ctx.lineTo(left + frameW, p); ctx.stroke();
      ctx.setLineDash([]);
    }
    if (yShown.has(t)) label(ctx, t.label, left - 4, Y(t.v), { align: 'right', baseline: 'middle', size });
  }
  for (const t of xTicks) {
    const p = snap(X(t.v));
    if (grid) {
      ctx.strokeStyle = '#eee';
      ctx.beginPath(); ctx.moveTo(p, top); ctx.lineTo(p, top + frameH); ctx.stroke();
    }
    if (xShown.has(t)) label(ctx, t.label, xPlace(t)[0], top + frameH + size + 3, { size });
  }
  ctx.strokeStyle = '#999';
  ctx.strokeRect(left + 0.5, top + 0.5, frameW, frameH);
  if (xTitle) label(ctx, xTitle, left + frameW / 2, H - 4, { align: 'center', size: size + 1 });
  if (yTitle) {
    ctx.save();
    ctx.translate(4 + size / 2 + 1, top + frameH / 2);
    ctx.rotate(-Math.PI / 2);
    label(ctx, yTitle, 0, 0, { align: 'center', baseline: 'middle', size: size + 1 });
    ctx.restore();
  }
  rows.forEach((row, r) => {
    const ly = 8 + r * LEGEND_ROW + LEGEND_ROW / 2;
    for (const it of row) {
      const lx = 4 + it.x;
      ctx.strokeStyle = it.color || '#111';
      ctx.fillStyle = it.color || '#111';
      ctx.lineWidth = it.width || 2;
      ctx.setLineDash(it.dash || []);
      if (it.dot) { ctx.beginPath(); ctx.arc(lx + 7, ly - 1, 3.5, 0, 2 * Math.PI); ctx.fill(); }
      else { ctx.beginPath(); ctx.moveTo(lx, ly - 1); ctx.lineTo(lx + 14, ly - 1); ctx.stroke(); }
      ctx.setLineDash([]);
      label(ctx, it.label, lx + 18, ly, { baseline: 'middle', size: LEGEND_SIZE, color: '#333' });
    }
  });
  ctx.restore();
  return {
    left, top, width: frameW, height: frameH, X, Y,
    clip() { ctx.beginPath(); ctx.rect(left, top - 4, frameW, frameH + 8); ctx.clip(); },
  };
}

/** A scale of the given type ('linear' | 'log') over [lo, hi]. */
export function scale(type, lo, hi) {
  return type === 'log' ? logScale(lo, hi) : linearScale(lo, hi);
}
