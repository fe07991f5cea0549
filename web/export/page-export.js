// page-export.js: the save menus of the experiment pages that build their panels in HTML
// (suppression, sae, steer, grok, lm; issues 7 and 13), through the one menu of export.js
// (saveMenu): each `section.panel[id]` gets PNG (its canvases composed at screen resolution; a
// panel without canvases painted as laid out, dom-png.js), SVG when every canvas it shows is a
// vector view with data (views/canvas.js viewOf: the views drawn again, each at its place, into one
// recording context), CSV of its tables as shown (a panel without one: of the buffers), and JSON
// and .npy of the buffers of the page's latest frame (`window.superpose.lastFrame`, the data every plot of the page is drawn from; the JSON also
// holds what the panel's views drew, under `drawn`). File names: the page's name in the registry
// (lib/pages.js), its URL-hash parameters and the panel, e.g. `suppression_c0.6_ac-panel.png`.
// "save all" (lib/toolbar.js) zips every shown panel's PNG and SVG with pageFiles(): the buffers
// as JSON and each buffer as .npy.
// What it is not: the toy lab's per-view menus (export/figures.js, whose panels are views) or any
// drawing; nothing here runs at import.
import { composePNGBytes, dataUrlBytes, toCSV, toJSON, toNpy, fileStem, saveMenu, utf8, canSvg, SvgContext } from './export.js';
import { paintDOM } from './dom-png.js';
import { viewOf } from '../views/canvas.js';
import { pageAt } from '../lib/pages.js';

/** `page_key1v1_..._suffix`: the page's registry name, its hash parameters and a suffix. */
export function pageStem(suffix) {
  const here = pageAt(location.pathname);
  const page = here ? here.name : 'page';
  const params = {};
  for (const [k, v] of new URLSearchParams(location.hash.replace(/^#/, ''))) params[k] = v;
  return fileStem(page, params, suffix);
}

function buffersOf(frame) {
  const out = {};
  for (const [name, b] of Object.entries((frame && frame.buffers) || {})) out[name] = b.data;
  return out;
}

const frame = () => (window.superpose ? window.superpose.lastFrame : null);

function framesJSON(extra = {}) {
  const f = frame();
  const shapes = {};
  for (const [n, b] of Object.entries((f && f.buffers) || {})) shapes[n] = b.shape;
  return toJSON({ step: f ? f.step : 0, shapes, ...buffersOf(f), ...extra });
}

/** The shown canvases of a panel with the views that draw them ({canvas, view, r}). */
function shownViews(section) {
  return [...section.querySelectorAll('canvas')]
    .map((canvas) => ({ canvas, view: viewOf(canvas), r: canvas.getBoundingClientRect() }))
    .filter(({ r }) => r.width > 0 && r.height > 0);
}

/** A panel's PNG: its canvases composed, or, for a panel drawn in HTML (bars, a heatmap table),
 * the panel as laid out (dom-png.js). null when there is nothing to draw. */
function panelPNG(section) {
  const bytes = composePNGBytes(section);
  if (bytes) return bytes;
  const c = paintDOM(section);
  return c ? dataUrlBytes(c.toDataURL('image/png')) : null;
}

/** A panel's SVG: every shown canvas's view drawn at its place; null unless each is a vector
 * view holding data (a panel of HTML, or with a bitmap view, has a PNG only). */
export function panelSVG(section) {
  const shown = shownViews(section);
  if (shown.length === 0 || shown.some(({ view }) => !canSvg(view) || view.data === undefined)) return null;
  const left = Math.min(...shown.map(({ r }) => r.left)), top = Math.min(...shown.map(({ r }) => r.top));
  const w = Math.max(...shown.map(({ r }) => r.right)) - left, h = Math.max(...shown.map(({ r }) => r.bottom)) - top;
  const svg = new SvgContext(Math.ceil(w), Math.ceil(h));
  for (const { view, r } of shown) {
    const size = view.size(view.data);
    svg.save();
    svg.translate(r.left - left, r.top - top);
    svg.scale(r.width / size.w, r.height / size.h);  // a canvas shrunk to a phone's width
    view.draw(svg, size.w, size.h, view.data);
    svg.restore();
  }
  return svg.toString();
}

/** What a panel's views drew, by the canvas's label (or its place), for its JSON. */
function drawnData(section) {
  const out = {};
  shownViews(section).forEach(({ canvas, view }, i) => {
    if (view && view.data !== undefined) out[canvas.getAttribute('aria-label') || `view${i}`] = view.data;
  });
  return out;
}

const csvCell = (t) => (/[",\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t);

/** A panel's tables as CSV, one line per row as shown (a blank line between tables), or null when
 * it has none, or one whose cells hold no text (a heatmap of coloured cells: its buffers say more). */
export function tablesCSV(section) {
  const tables = [...section.querySelectorAll('table')].filter((t) => t.rows.length > 0);
  if (tables.length === 0) return null;
  const blocks = [];
  for (const table of tables) {
    const rows = [...table.rows].map((tr) => [...tr.cells].map((c) => c.textContent.trim()));
    if (rows.some((cells) => cells.some((c) => c === ''))) return null;
    blocks.push(rows.map((cells) => cells.map(csvCell).join(',')).join('\n'));
  }
  return `${blocks.join('\n\n')}\n`;
}

/** The save menu of one HTML panel, after its title (once). */
function addPanelMenu(section) {
  if (section.querySelector('.export-menu')) return;
  const head = section.querySelector('h2');
  if (!head) return;
  const stem = () => pageStem(section.id);
  const menu = saveMenu({
    files: {
      png: () => { const b = panelPNG(section); return b && { name: `${stem()}.png`, bytes: b, type: 'image/png' }; },
      svg: () => { const t = panelSVG(section); return t && { name: `${stem()}.svg`, bytes: utf8(t), type: 'image/svg+xml' }; },
      json: () => {
        const drawn = drawnData(section);
        return { name: `${stem()}.json`, bytes: utf8(framesJSON(Object.keys(drawn).length ? { drawn } : {})), type: 'application/json' };
      },
      csv: () => ({ name: `${stem()}.csv`, bytes: utf8(tablesCSV(section) ?? toCSV(buffersOf(frame()))), type: 'text/csv' }),
      npy: () => {
        const f = frame();
        const first = f && Object.entries(f.buffers)[0];
        return first && { name: `${pageStem(`${section.id}_${first[0]}`)}.npy`, bytes: toNpy(first[1].data, first[1].shape), type: 'application/octet-stream' };
      },
    },
    labels: { json: 'JSON (all buffers)', csv: section.querySelector('table') ? 'CSV (the table)' : 'CSV (all buffers)', npy: '.npy (first buffer)' },
    zip: ['png', 'svg'],  // the buffers go in once, as pageFiles()
  });
  section.style.position = section.style.position || 'relative';
  head.after(menu);
}

/** Every `section.panel[id]` under root gets its save menu. */
export function addPanelMenus(root = document) {
  for (const section of root.querySelectorAll('section.panel[id]')) addPanelMenu(section);
}

/** The page's data for "save all": the buffers as JSON and each buffer as .npy ([{name, bytes}]). */
export function pageFiles() {
  const f = frame();
  if (!f) return [];
  const files = [{ name: `${pageStem('buffers')}.json`, bytes: utf8(framesJSON()) }];
  for (const [name, b] of Object.entries(f.buffers)) files.push({ name: `${pageStem(name)}.npy`, bytes: toNpy(b.data, b.shape) });
  return files;
}
