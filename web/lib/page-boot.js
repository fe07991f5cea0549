// page-boot.js: what every experiment page does when it starts, in one place: read its state
// table (hash-state.js) from the URL hash, show what the link held that was not understood,
// expose `window.superpose` for tests, start the training worker (client.js), report errors, keep
// the URL hash equal to the state, follow a hash the user edits, the toolbar (toolbar.js: play,
// step, reset, status, copy link, save all), the panels' save menus (export/page-export.js, for
// pages whose panels are HTML sections), the nav between the pages (nav.js) and the embed mode
// (embed/embed-kit.js).
//
// What it is not: no drawing and no session config (each page's module does those); every
// string from the hash, a file or the worker reaches the DOM through textContent, never as HTML.
//
// Use: `const page = startPage(TABLE)` (startPage(TABLE, {pool: PLAN}): the page's runs spread
// over a worker pool, pool.js, sized by the table's `workers` key; {toolbar: OPTIONS}: toolbar.js's
// options, e.g. the steps of one step click; {panelMenus: false}: the page makes its panels' menus
// itself, as the toy lab's views do); page.toolbar is the Toolbar; page.S is window.superpose ({state, notes, config,
// lastFrame, done, running, errors, frameCount, client}), page.client the LabClient (frames
// update S before the page's own onFrame listeners run), page.serial(run) wraps a configure so
// that calls made while one is in flight collapse into one more run (a slider moves faster than
// the worker answers), page.trainOnChange(kind, config, sync) is the apply of a page whose every
// change trains again, page.onHashChange(f) is called when the user edits the hash.
import { LabClient } from './client.js';
import { LabPool, poolSize } from './pool.js';
import { addNav } from './nav.js';
import { Toolbar } from './toolbar.js';
import { addPanelMenus, pageFiles, pageStem } from '../export/page-export.js';
// Every page has an embed mode (issue 13): the kit runs first (this import is evaluated before
// startPage reads the hash), takes its own keys out of the hash and compacts the page.
import '../embed/embed-kit.js';

const $ = (id) => document.getElementById(id);
const MAX_SHOWN = 20;  // notes (and ignored keys) listed in the box

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

/** Show a parse's notes in #notes (as text): which keys were ignored, and why, one per line
 * ({notes, ignored, title?}: title replaces the heading). */
export function showNotes(parsed) {
  let box = $('notes');
  if (!box && parsed.notes.length) {
    // A page without its own box (steer.html) gets one, where the error box is.
    box = el('div', undefined, 'notes');
    box.id = 'notes';
    box.setAttribute('role', 'status');
    const err = $('error');
    if (err) err.before(box); else document.body.prepend(box);
  }
  if (!box) return;
  box.replaceChildren();
  if (!parsed.notes.length) { box.hidden = true; return; }
  // A link with thousands of junk keys gets a bounded box: the first few, and how many more.
  const more = (n) => (n > 0 ? ` and ${n} more` : '');
  const ig = parsed.ignored || [];
  const keys = ig.length ? `: ${ig.slice(0, MAX_SHOWN).join(', ')}${more(ig.length - MAX_SHOWN)}` : '';
  // Each note says what is used instead (a default, or a value clamped to its bound).
  box.appendChild(el('strong', parsed.title || `ignored from the link (out of range or malformed)${keys}; each note says what is used instead`));
  const ul = el('ul');
  for (const n of parsed.notes.slice(0, MAX_SHOWN)) ul.appendChild(el('li', n));
  if (parsed.notes.length > MAX_SHOWN) ul.appendChild(el('li', `…${more(parsed.notes.length - MAX_SHOWN)}`));
  box.appendChild(ul);
  const dismiss = el('button', 'dismiss', 'dismiss');
  dismiss.type = 'button';
  dismiss.addEventListener('click', () => { box.hidden = true; });
  box.appendChild(dismiss);
  box.hidden = false;
}

/** Show an error message in #error (as text) and record it in S.errors. */
export function reportError(S, message) {
  S.errors.push(message);
  const box = $('error');
  if (!box) return;
  box.textContent = message;
  box.hidden = false;
}

export function startPage(table, { extra = {}, module = 'lab', pool = null, toolbar = {}, panelMenus = true } = {}) {
  addNav();
  const parsed = table.parse(location.hash);
  const S = {
    state: parsed.state, notes: parsed.notes, config: null, lastFrame: null, done: false, running: false,
    errors: [], frameCount: 0, client: null, ...extra,
  };
  window.superpose = S;
  // module: the wasm module the worker loads (worker.js: lab, or lab-toy for the toy page)
  const worker = new URL('./worker.js', import.meta.url);
  if (module !== 'lab') worker.searchParams.set('module', module);
  const client = pool ? new LabPool(worker.href, { plan: pool, size: () => poolSize(S.state.workers) }) : new LabClient(worker.href);
  S.client = client;
  const showError = (message) => reportError(S, message);
  const hideError = () => { const box = $('error'); if (box) box.hidden = true; };
  client.onFrame((f) => {
    S.lastFrame = f;
    S.frameCount++;
    S.done = f.done;
    S.running = f.running;
  });
  client.onError(showError);

  let written = '';
  function writeHash() {
    written = table.serialise(S.state);
    if (location.hash !== written) history.replaceState(null, '', written);
  }

  function serial(run) {
    let busy = null;
    let pending = false;
    return async function apply() {
      if (busy) { pending = true; return busy; }
      busy = (async () => {
        do {
          pending = false;
          try {
            await run();
            hideError();
          } catch (e) {
            showError(e.message);
          }
        } while (pending);
      })();
      await busy;
      busy = null;
      return null;
    };
  }

  /** The apply of a page whose every change trains its experiment again: write the hash, show the
   * state in the controls (sync), configure `kind` with config(state) (calls made meanwhile
   * collapse into one more, serial) and play; configured(config) runs between the two. */
  function trainOnChange(kind, config, sync, configured = () => {}) {
    const configure = serial(async () => {
      S.done = false;
      const a = await client.configure(config(S.state), kind);
      S.config = a.config;
      configured(a.config);
      await client.play();
    });
    return () => { writeHash(); sync(S.state); return configure(); };
  }

  const hashListeners = [];
  window.addEventListener('hashchange', () => {
    if (location.hash === written) return;
    const next = table.parse(location.hash);
    S.notes = next.notes;
    showNotes(next);
    if (JSON.stringify(next.state) === JSON.stringify(S.state)) { writeHash(); return; }
    S.state = next.state;
    for (const f of hashListeners) f(S.state);
  });

  // Every page's toolbar; a page with HTML panels saves them through their menus and its frame's
  // buffers (page-export.js), the toy lab through its views' menus (its own stem and files).
  if (panelMenus) addPanelMenus();
  const bar = new Toolbar({ S, client, showError },
    panelMenus ? { stem: () => pageStem('all'), files: pageFiles, ...toolbar } : toolbar);
  showNotes(parsed);

  return { S, client, parsed, toolbar: bar, showError, hideError, writeHash, serial, trainOnChange, onHashChange: (f) => hashListeners.push(f) };
}
