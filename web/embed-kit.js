// embed-kit.js: what makes a Superpose page embeddable in course notes (issue 7). Loaded first
// by embed.html and by each experiment page; it does nothing unless the page is embedded.
//
//   embed.html#experiment=toy|suppression|steer|sae&...   one URL for every experiment: the
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

const PAGES = { toy: 'embed.html', suppression: 'suppression.html', steer: 'steer.html', sae: 'sae.html' };
const HIDE = {
  controls: '.bar, #controls, .controls',
  title: '.masthead, #preset-info, .preset-info',
  explain: '.explain, .lede',
  formulas: '.formula',
  notes: '#notes',
  link: '#open-lab, .embed-open',
  readouts: '.readout',
};
// Parts an embedded experiment page hides unless asked (the notes around the iframe explain).
const EMBED_DEFAULT_HIDE = ['.masthead', '#copy-link', 'nav.pages'];

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
export const pageOf = (experiment) => (Object.hasOwn(PAGES, experiment) ? PAGES[experiment] : null);

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

function addStyle(rules) {
  const style = document.createElement('style');
  style.textContent = rules;
  document.head.appendChild(style);
}

function postSize() {
  const d = document.documentElement;
  const height = Math.ceil(Math.max(d.scrollHeight, document.body ? document.body.scrollHeight : 0));
  const width = Math.ceil(d.scrollWidth);
  window.parent.postMessage({ type: 'superpose:size', width, height }, '*');
}

function missing(message) {
  window.superposeEmbed.error = message;
  // Its own box: the stopped toy app below reports into #error, which is hidden.
  addStyle('#panels, .bar, #preset-info, #error, #notes { display: none !important; }');
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
      missing(`unknown experiment "${kit.experiment}" (known: ${Object.keys(PAGES).join(', ')})`);
    } else {
      // Only pages this build has (a site copied without one shows a message, not a 404).
      const target = `${page}${joinHash(own, kitHash({ ...kit, embed: true }))}`;
      fetch(page, { method: 'HEAD' }).then((r) => {
        if (r.ok) location.replace(target);
        else missing(`the ${kit.experiment} experiment is not part of this build (${page} is missing)`);
      }, () => missing(`the ${kit.experiment} experiment could not be loaded`));
      addStyle('#panels, .bar, #preset-info { visibility: hidden; }');
      return;
    }
  }
  // Take the kit's keys out of the hash before the page's own parser reads it.
  if (kit.experiment || kit.embed || kit.hide.length) history.replaceState(null, '', `${location.pathname}${location.search}${joinHash(own)}`);
  if (!embedded) return;

  document.documentElement.classList.add('embedded');
  const hidden = kit.hide.map((n) => HIDE[n]);
  if (!onEmbedPage) hidden.push(...EMBED_DEFAULT_HIDE);
  const rules = [];
  if (hidden.length) rules.push(`${hidden.join(', ')} { display: none !important; }`);
  if (!onEmbedPage) rules.push('html.embedded body { margin: 6px; } html.embedded .embed-open { position: absolute; top: 6px; right: 8px; font-size: 12px; z-index: 10; }');
  if (rules.length) addStyle(rules.join('\n'));

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
    document.body.appendChild(a);
  }

  // Auto-size: tell the parent our size whenever it changes.
  if (window.parent !== window) {
    postSize();
    if (typeof ResizeObserver === 'function') new ResizeObserver(postSize).observe(document.documentElement);
    window.addEventListener('load', postSize);
  }
}

if (typeof document !== 'undefined') start();
