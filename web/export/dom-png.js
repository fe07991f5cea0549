// dom-png.js: a panel built in HTML (bars of <div>s, a heatmap <table>, text), painted into a
// canvas as it is laid out on screen, so its PNG save item has something to save (issue 14 #11:
// steer.html's PNG downloaded nothing). Synchronous, so a save stays inside its click.
//
// What it is: a walk over the element's visible boxes in document order: each box's background
// colour as a rectangle, each <canvas> drawn in place, each word of text at its own rectangle in
// its computed font and colour, the chosen text of a <select>. What it is not: a general HTML
// renderer: no borders, images, gradients, shadows or transforms (a gradient, e.g. a colour
// scale's ramp, needs its own `data-png-stops` of CSS colours to be painted).

const transparent = (c) => !c || c === 'transparent' || /rgba\([^)]*,\s*0\)$/.test(c);

function paintText(ctx, node, origin, style) {
  const text = node.textContent;
  if (!text || !text.trim()) return;
  ctx.font = style.font || `${style.fontSize} ${style.fontFamily}`;
  ctx.fillStyle = style.color;
  ctx.textBaseline = 'middle';
  const range = node.ownerDocument.createRange();
  // Word by word: a text that wraps has one rectangle per line, and each word knows its own.
  const re = /\S+/g;
  let m;
  while ((m = re.exec(text)) !== null) {
    range.setStart(node, m.index);
    range.setEnd(node, m.index + m[0].length);
    const r = range.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    ctx.fillText(m[0], r.left - origin.left, r.top - origin.top + r.height / 2);
  }
}

function paintRamp(ctx, el, r, origin) {
  const stops = el.dataset.pngStops.split(';').filter(Boolean);
  if (stops.length < 2) return;
  const g = ctx.createLinearGradient(r.left - origin.left, 0, r.right - origin.left, 0);
  stops.forEach((c, i) => g.addColorStop(i / (stops.length - 1), c));
  ctx.fillStyle = g;
  ctx.fillRect(r.left - origin.left, r.top - origin.top, r.width, r.height);
}

function paintElement(ctx, el, origin) {
  const style = getComputedStyle(el);
  if (style.display === 'none' || style.visibility === 'hidden' || el.hidden) return;
  if (el.classList && el.classList.contains('export-menu')) return;  // the save menu itself
  for (const r of el.getClientRects()) {
    if (!transparent(style.backgroundColor)) {
      ctx.fillStyle = style.backgroundColor;
      ctx.fillRect(r.left - origin.left, r.top - origin.top, r.width, r.height);
    }
    if (el.dataset && el.dataset.pngStops) paintRamp(ctx, el, r, origin);
  }
  if (el instanceof HTMLCanvasElement) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.height > 0) ctx.drawImage(el, r.left - origin.left, r.top - origin.top, r.width, r.height);
    return;
  }
  if (el instanceof HTMLSelectElement) {
    const r = el.getBoundingClientRect();
    const o = el.selectedOptions[0];
    ctx.font = style.font;
    ctx.fillStyle = style.color;
    ctx.textBaseline = 'middle';
    if (o) ctx.fillText(o.textContent, r.left - origin.left + 4, r.top - origin.top + r.height / 2);
    return;
  }
  if (el instanceof HTMLInputElement || el instanceof HTMLButtonElement) return;
  for (const child of el.childNodes) {
    if (child.nodeType === Node.TEXT_NODE) paintText(ctx, child, origin, style);
    else if (child.nodeType === Node.ELEMENT_NODE) paintElement(ctx, child, origin);
  }
}

/** The element painted at the screen's pixel ratio on white, or null if it has no size. */
export function paintDOM(root, scale = globalThis.devicePixelRatio || 1) {
  const origin = root.getBoundingClientRect();
  const w = Math.ceil(origin.width), h = Math.ceil(origin.height);
  if (w < 1 || h < 1) return null;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(w * scale);
  canvas.height = Math.round(h * scale);
  const ctx = canvas.getContext('2d');
  ctx.scale(scale, scale);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  paintElement(ctx, root, origin);
  return canvas;
}
