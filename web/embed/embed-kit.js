// embed-kit.js: what makes a Superpose page embeddable in course notes (issue 7). Every page
// loads it first (lib/page-boot.js imports it); it does nothing unless the page is embedded.
//
//   embed.html#experiment=NAME&...  one URL for every experiment of the registry (lib/pages.js:
//       toy, suppression, sae, steer, grok): the
//       other experiments' pages open in their compact embedded mode (`embed=1`), with the
//       rest of the hash passed through, so each keeps its own keys (docs/embedding.md);
//   <name>_hide=1                  hides a part: controls, title, explain, formulas, notes, link,
//                                  readouts (like TF Playground's *_hide);
//   auto-size                      posts {type: 'superpose:size', width, height} to the parent
//                                  whenever the page's size changes (embed-host.js listens);
//   "open in full lab ↗"           a link to the same page and state, unembedded.
// The kit's keys are taken out of the hash before the page reads it, so the page's own hash
// parser never sees (or complains about) them. What it is not: no experiment logic, no styling
// beyond hiding and compacting; nothing from the URL is inserted as HTML.

import { PAGES, pageNamed } from '../lib/pages.js';

// The parts *_hide can hide (embed-kit.css holds the selectors, switched on by html.hide-NAME).
const HIDE = { controls: 1, title: 1, explain: 1, formulas: 1, notes: 1, link: 1, readouts: 1 };
// An embedded experiment page (html.embed-page) also hides its masthead and copy-link button.

/** Split a hash into the kit's options and the page's own keys (order kept). */
export function splitHash(hash) {
  const all = new URLSearchParams(String(hash || '').replace(/^#/, ''));
  const own = new URLSearchParams();
  const kit = { experiment: null, embed: false, hide: [] };
  for (const [k, v] of all) {
    if (k === 'experiment') kit.experiment = v;
    else if (k === 'embed') kit.embed = v === '1' || v === 'true';
    else if (k.endsWith('_hide')) {
      const name = k.slice(0, -5);
      if (Object.hasOwn(HIDE, name) && (v === '1' || v === 'true' || v === '')) kit.hide.push(name);
    } else own.append(k, v);
  }
  return { kit, own: own.toString() };
}

/** The page an experiment name opens in, or null for an unknown name. */
export function pageOf(experiment) {
  const p = pageNamed(experiment);
  return p ? p.embed.split('#')[0] : null;
}

/** The hash keys that carry the kit's options to another page. */
export function kitHash(kit) {
  const h = new URLSearchParams();
  if (kit.embed) h.set('embed', '1');
  for (const name of kit.hide) h.set(`${name}_hide`, '1');
  return h.toString();
}

function joinHash(...parts) {
  const s = parts.filter((p) => p).join('&');
  return s ? `#${s}` : '';
}

// The kit's rules live in a stylesheet file (no inline styles: the pages' CSP is style-src 'self').
function addStylesheet() {
  if (document.querySelector('link[data-embed-kit]')) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = new URL('embed-kit.css', import.meta.url).href;
  link.dataset.embedKit = '1';
  document.head.appendChild(link);
}
const flag = (name) => document.documentElement.classList.add(name);

/** The height of the page's content: the body's bottom edge and margin. Not the document's
 * scrollHeight, which is never less than the frame's own height, so a frame once sized taller
 * (e.g. before its plots shrank to a phone's width) could never shrink back. */
export function contentHeight(doc = document) {
  const body = doc.body;
  if (!body) return 0;
  const margin = parseFloat(getComputedStyle(body).marginBottom) || 0;
  return Math.ceil(body.getBoundingClientRect().bottom + (doc.defaultView ? doc.defaultView.scrollY : 0) + margin);
}

function postSize() {
  const d = document.documentElement;
  const height = contentHeight();
  const width = Math.ceil(d.scrollWidth);
  window.parent.postMessage({ type: 'superpose:size', width, height }, '*');
}

function missing(message) {
  window.superposeEmbed.error = message;
  // Its own box: the stopped toy app below reports into #error, which is hidden.
  addStylesheet();
  flag('embed-missing');
  const box = document.createElement('p');
  box.className = 'error embed-missing';
  box.setAttribute('role', 'alert');
  box.textContent = message;
  document.body.prepend(box);
  if (window.parent !== window) postSize();
  // embed.html's toy app has started meanwhile: stop its worker (nothing is shown).
  const stop = (tries) => {
    const client = window.superpose && window.superpose.client;
    if (client && typeof client.terminate === 'function') client.terminate();
    else if (tries > 0) setTimeout(() => stop(tries - 1), 100);
  };
  stop(50);
}

function start() {
  const { kit, own } = splitHash(location.hash);
  const onEmbedPage = document.body && document.body.dataset.mode === 'embed';
  const embedded = onEmbedPage || kit.embed;
  window.superposeEmbed = { kit, embedded };

  // embed.html#experiment=suppression&...: open that experiment's page in its embedded mode.
  if (onEmbedPage && kit.experiment && kit.experiment !== 'toy') {
    const page = pageOf(kit.experiment);
    if (!page) {
      missing(`unknown experiment "${kit.experiment}" (known: ${PAGES.map((p) => p.name).join(', ')})`);
    } else {
      // Only pages this build has (a site copied without one shows a message, not a 404).
      const target = `${page}${joinHash(own, kitHash({ ...kit, embed: true }))}`;
      fetch(page, { method: 'HEAD' }).then((r) => {
        if (r.ok) location.replace(target);
        else missing(`the ${kit.experiment} experiment is not part of this build (${page} is missing)`);
      }, () => missing(`the ${kit.experiment} experiment could not be loaded`));
      addStylesheet();
      flag('embed-routing');
      return;
    }
  }
  // Take the kit's keys out of the hash before the page's own parser reads it.
  if (kit.experiment || kit.embed || kit.hide.length) {
    try {
      history.replaceState(null, '', `${location.pathname}${location.search}${joinHash(own)}`);
    } catch {
      // an opaque-origin (sandboxed) frame may refuse; the page then ignores the kit's keys
    }
  }
  if (!embedded) return;

  addStylesheet();
  flag('embedded');
  if (!onEmbedPage) flag('embed-page');
  for (const name of kit.hide) flag(`hide-${name}`);

  // "open in full lab": the same page and state, unembedded (read at click time: the page keeps
  // its state in the hash as it changes).
  if (!onEmbedPage && !kit.hide.includes('link')) {
    const a = document.createElement('a');
    a.className = 'embed-open link';
    a.target = '_blank';
    a.rel = 'noopener';
    a.textContent = 'open in full lab ↗';
    const refresh = () => { a.href = `${location.pathname}${location.hash}`; };
    refresh();
    a.addEventListener('pointerdown', refresh);
    a.addEventListener('focus', refresh);
    // A line of its own above the page (not floating over it: it covered readouts on a phone).
    const line = document.createElement('div');
    line.className = 'embed-open-line';
    line.appendChild(a);
    document.body.prepend(line);
  }

  // Auto-size: tell the parent our size whenever it changes.
  if (window.parent !== window) {
    postSize();
    if (typeof ResizeObserver === 'function') {
      const ro = new ResizeObserver(postSize);
      ro.observe(document.documentElement);
      ro.observe(document.body);
    }
    window.addEventListener('load', postSize);
  }
}

if (typeof document !== 'undefined') start();
