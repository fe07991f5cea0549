// page-export.js: the save menu for the experiment pages that build their panels in HTML
// (suppression.html, steer.html; issue 7): each `section.panel` gets PNG (its canvases
// composed at screen resolution; a panel without canvases painted as laid out, dom-png.js), and JSON / CSV / .npy of the buffers of the page's latest
// frame (`window.superpose.lastFrame`, the data every plot of the page is drawn from). File
// names: the page's name in the registry (lib/pages.js), its URL-hash parameters and the panel, e.g. `suppression_c0.6_p0.5_ac-panel.png`.
// A "save all (.zip)" button in the page's toolbar saves every panel's PNG, the buffers as JSON
// and each buffer as .npy in one .zip (one download). Every save is built and started inside the
// click (export.js download keeps to Chromium's burst limit).
// What it is not: per-view SVG (the toy lab's panels have it through export.js's recording
// context; these pages' views are driven from their own modules).
import { composePNGBytes, dataUrlBytes, download, toCSV, toJSON, toNpy, fileStem } from './export.js';
import { paintDOM } from './dom-png.js';
import { zipStore } from './zip.js';
import { pageAt } from '../lib/pages.js';

function pageStem(panelId) {
  const here = pageAt(location.pathname);
  const page = here ? here.name : 'page';
  const params = {};
  for (const [k, v] of new URLSearchParams(location.hash.replace(/^#/, ''))) params[k] = v;
  return fileStem(page, params, panelId);
}

function buffersOf(frame) {
  const out = {};
  for (const [name, b] of Object.entries((frame && frame.buffers) || {})) out[name] = b.data;
  return out;
}

const frame = () => (window.superpose ? window.superpose.lastFrame : null);

function framesJSON() {
  const f = frame();
  const shapes = {};
  for (const [n, b] of Object.entries((f && f.buffers) || {})) shapes[n] = b.shape;
  return toJSON({ step: f ? f.step : 0, shapes, ...buffersOf(f) });
}

/** A panel's PNG: its canvases composed, or, for a panel drawn in HTML (bars, a heatmap table),
 * the panel as laid out (dom-png.js). null when there is nothing to draw. */
function panelPNG(section) {
  const bytes = composePNGBytes(section);
  if (bytes) return bytes;
  const c = paintDOM(section);
  return c ? dataUrlBytes(c.toDataURL('image/png')) : null;
}

function addMenu(section) {
  if (section.querySelector('.export-menu')) return;
  const head = section.querySelector('h2');
  if (!head) return;
  const menu = document.createElement('details');
  menu.className = 'export-menu';
  const summary = document.createElement('summary');
  summary.textContent = 'save';
  menu.appendChild(summary);
  const list = document.createElement('div');
  list.className = 'export-items';
  menu.appendChild(list);
  // A save that has nothing to save says so on its button (never silent).
  const item = (kind, label, run) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.export = kind;
    b.textContent = label;
    b.addEventListener('click', () => {
      b.textContent = run() === false ? `${label}: nothing drawn yet` : label;
      menu.open = false;
    });
    list.appendChild(b);
  };
  item('png', 'PNG', () => {
    const bytes = panelPNG(section);
    if (!bytes) return false;
    download(bytes, `${pageStem(section.id)}.png`, 'image/png');
    return true;
  });
  item('json', 'JSON (all buffers)', () => download(framesJSON(), `${pageStem(section.id)}.json`, 'application/json'));
  item('csv', 'CSV (all buffers)', () => download(toCSV(buffersOf(frame())), `${pageStem(section.id)}.csv`, 'text/csv'));
  item('npy', '.npy (first buffer)', () => {
    const f = frame();
    const first = f && Object.entries(f.buffers)[0];
    if (!first) return false;
    download(toNpy(first[1].data, first[1].shape), `${pageStem(`${section.id}_${first[0]}`)}.npy`);
    return true;
  });
  section.style.position = section.style.position || 'relative';
  head.after(menu);
}

/** Every panel's PNG, the buffers as JSON, and each buffer as .npy: [{name, bytes}]. */
function allFiles() {
  const enc = new TextEncoder();
  const files = [];
  for (const section of document.querySelectorAll('section.panel[id]')) {
    if (section.closest('[hidden]')) continue;
    const png = panelPNG(section);
    if (png) files.push({ name: `${pageStem(section.id)}.png`, bytes: png });
  }
  const f = frame();
  if (f) {
    files.push({ name: `${pageStem('buffers')}.json`, bytes: enc.encode(framesJSON()) });
    for (const [name, b] of Object.entries(f.buffers)) files.push({ name: `${pageStem(name)}.npy`, bytes: toNpy(b.data, b.shape) });
  }
  return files;
}

function addSaveAll() {
  const anchor = document.getElementById('copy-link');
  if (!anchor || document.getElementById('save-all')) return;
  const b = document.createElement('button');
  b.type = 'button';
  b.id = 'save-all';
  b.textContent = 'save all (.zip)';
  b.title = 'every panel as PNG and every buffer as JSON and .npy, in one .zip';
  b.addEventListener('click', () => {
    const files = allFiles();
    if (files.length === 0) { b.textContent = 'save all: nothing drawn yet'; return; }
    b.textContent = 'save all (.zip)';
    download(zipStore(files), `${pageStem('all')}.zip`, 'application/zip');
  });
  anchor.before(b);
}

for (const section of document.querySelectorAll('section.panel[id]')) addMenu(section);
addSaveAll();
