// page-export.js: the save menu for the experiment pages that build their panels in HTML
// (suppression.html, steer.html; issue 7): each `section.panel` gets PNG (its canvases
// composed at screen resolution), and JSON / CSV / .npy of the buffers of the page's latest
// frame (`window.superpose.lastFrame`, the data every plot of the page is drawn from). File
// names: the page, its URL-hash parameters and the panel, e.g. `suppression_c0.6_p0.5_ac-panel.png`.
// What it is not: per-view SVG (the toy lab's panels have it through export.js's recording
// context; these pages' views are driven from their own modules).
import { composePNG, download, toCSV, toJSON, toNpy, fileStem } from './export.js';

function pageStem(panelId) {
  const page = (location.pathname.split('/').pop() || 'page').replace(/\.html$/, '');
  const params = {};
  for (const [k, v] of new URLSearchParams(location.hash.replace(/^#/, ''))) params[k] = v;
  return fileStem(page, params, panelId);
}

function buffersOf(frame) {
  const out = {};
  for (const [name, b] of Object.entries((frame && frame.buffers) || {})) out[name] = b.data;
  return out;
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
  const item = (kind, label, run) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.export = kind;
    b.textContent = label;
    b.addEventListener('click', async () => { await run(); menu.open = false; });
    list.appendChild(b);
  };
  const frame = () => (window.superpose ? window.superpose.lastFrame : null);
  item('png', 'PNG', async () => {
    const blob = await composePNG(section);
    if (blob) download(blob, `${pageStem(section.id)}.png`);
  });
  item('json', 'JSON (all buffers)', () => {
    const f = frame();
    const shapes = {};
    for (const [n, b] of Object.entries((f && f.buffers) || {})) shapes[n] = b.shape;
    download(toJSON({ step: f ? f.step : 0, shapes, ...buffersOf(f) }), `${pageStem(section.id)}.json`, 'application/json');
  });
  item('csv', 'CSV (all buffers)', () => download(toCSV(buffersOf(frame())), `${pageStem(section.id)}.csv`, 'text/csv'));
  item('npy', '.npy (first buffer)', () => {
    const f = frame();
    const first = f && Object.entries(f.buffers)[0];
    if (first) download(toNpy(first[1].data, first[1].shape), `${pageStem(`${section.id}_${first[0]}`)}.npy`);
  });
  section.style.position = section.style.position || 'relative';
  head.after(menu);
}

for (const section of document.querySelectorAll('section.panel[id]')) addMenu(section);
