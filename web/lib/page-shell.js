// page-shell.js: the HTML every page of the site shares, in one place: an experiment page's top
// (the doctype, the head: charset, the Content-Security-Policy, viewport, icon, the site's
// stylesheet, then its title and description from the page registry, lib/pages.js, its own
// stylesheet and module; the body's opening), the toolbar (play/pause, step, reset, the status with
// step and speed, copy link and save all: lib/toolbar.js wires them) with the notes and error boxes
// below it, and the footer to the document's end. A page's HTML (web/pages/<name>/<file>.html)
// writes `<!-- shell:page -->` (or, off the registry, `<!-- shell:head -->` inside a head of its
// own), `<!-- shell:bar -->` … its own controls and readouts … `<!-- shell:bar-end -->`, and
// `<!-- shell:foot -->`; the site build (scripts/site-pages.mjs, the CMake `site` target) writes
// each page to the site root with them filled in (pageOf: which registry page a file is).
// What it is not: a page's body between those marks; no DOM (node runs it at build time,
// tests/web/unit/page-shell.test.mjs checks every page).
// The CSP (issue 9): no inline script or style, wasm from 'self' only, and a blob: worker, which
// a sandboxed iframe needs (web/lib/client.js startWorker); tests/web/browser/hostile.test.mjs.
import { PAGES } from './pages.js';

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; "
  + "style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'";

/** The head's shared lines, in order (a page's HTML is written as if it sat at the site root). */
export const HEAD = [
  '<meta charset="utf-8">',
  `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
  '<meta name="viewport" content="width=device-width, initial-scale=1">',
  '<link rel="icon" href="lib/favicon.svg" type="image/svg+xml">',
  '<link rel="stylesheet" href="lib/style.css">',
];

/** The toolbar's opening: its run controls and status (lib/toolbar.js gives them their labels and
 * wires them; the texts here are what shows before the page's module runs). */
export const BAR = [
  '<div class="bar" role="toolbar" aria-label="experiment">',
  '<span class="run" role="group" aria-label="training">',
  '  <button type="button" id="play" class="primary" aria-pressed="false" title="start or pause training (space)">▶ play</button>',
  '  <button type="button" id="step" title="train one chunk of steps, then stop">step</button>',
  '  <button type="button" id="reset" title="back to step 0: the same seed, the same initial weights">↺ reset</button>',
  '  <span class="readout"><span class="label" id="step-unit">step</span> <span class="count"><output id="step-count">0</output><span class="total" id="step-total"></span></span></span>',
  '  <progress id="progress" max="1" value="0" aria-label="training progress"></progress>',
  '  <span id="speed" class="speed"></span>',
  '  <output id="status" class="status">loading…</output>',
  '</span>',
];

/** The toolbar's end: its sharing buttons (a page's file buttons, e.g. save model, go before copy
 * link), then the boxes for the link's notes and for errors (lib/page-boot.js fills them). */
export const BAR_END = [
  '<span class="share">',
  '  <button type="button" id="copy-link" class="link" title="this page’s address reproduces the experiment">copy link</button>',
  '  <button type="button" id="save-all" title="every shown panel’s files (PNG, SVG, JSON, CSV, .npy) in one .zip">save all (.zip)</button>',
  '</span>',
  '</div>',
  '<div id="notes" class="notes" role="status" hidden></div>',
  '<div id="error" class="error" role="alert" hidden></div>',
];

/** The footer's sentence, every page's. */
export const FOOT = 'Superpose runs entirely in this page: C++ compiled to WebAssembly, trained in a Web Worker. Nothing is sent anywhere.';
/** The footer's second sentence: every experiment embeds (embed/embed-kit.js; an embedded page
 * hides it, embed-kit.css). */
export const FOOT_EMBED = '<span class="foot-embed">Embed an experiment in your notes with <code>embed.html</code> in an iframe, or the '
  + '<code>&lt;superpose-lab&gt;</code> element: see the <a href="examples/course-notes.html#labs">course-notes example</a> '
  + '(every option: docs/embedding.md in the source).</span>';

const esc = (t) => String(t).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An experiment page's top, from its registry entry: the doctype, the head, the body's opening.
 * css: whether the page has a stylesheet of its own (pages/NAME/NAME.css). */
export function pageTop(page, { css = false } = {}) {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    ...HEAD.map((line) => `  ${line}`),
    `  <title>Superpose · ${esc(page.title)}</title>`,
    `  <meta name="description" content="${esc(page.summary)}">`,
    ...(css ? [`  <link rel="stylesheet" href="pages/${page.name}/${page.name}.css">`] : []),
    `  <script type="module" src="pages/${page.name}/${page.name}.js"></script>`,
    '</head>',
    `<body data-mode="${page.name}">`,
  ];
}

/** The footer to the end of the document. */
export const FOOTER = ['<footer class="foot">', `  ${FOOT}`, `  ${FOOT_EMBED}`, '</footer>', '</body>', '</html>'];

/**
 * Which registry page a page file is, for fillShell: {page, css} (page null off the registry).
 * path: web/pages/<name>/<file>.html; exists(path) → boolean (fs.existsSync).
 */
export function pageOf(path, exists) {
  const file = path.split('/').pop();
  const page = PAGES.find((p) => p.file === file) || null;
  const dir = path.slice(0, path.length - file.length);
  return { page, css: !!page && exists(`${dir}${page.name}.css`) };
}

const MARK = /^([ \t]*)<!-- shell:(page|head|bar-end|bar|foot) -->[ \t]*$/gm;

/** A page's HTML with its shell marks filled in (each line at the mark's indentation); of = pageOf(…)
 * for a page that writes `<!-- shell:page -->`. */
export function fillShell(html, { page = null, css = false } = {}) {
  const parts = { head: HEAD, bar: BAR, 'bar-end': BAR_END, foot: FOOTER };
  return html.replace(MARK, (_, indent, which) => {
    if (which === 'page' && !page) throw new Error('<!-- shell:page --> in a page that is not in the registry (web/lib/pages.js)');
    return (which === 'page' ? pageTop(page, { css }) : parts[which]).map((line) => indent + line).join('\n');
  });
}

/** Which marks a page's HTML has ('page', 'head', 'bar', 'bar-end', 'foot'). */
export function shellMarks(html) {
  return [...html.matchAll(MARK)].map((m) => m[2]);
}
