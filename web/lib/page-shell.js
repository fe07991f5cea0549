// page-shell.js: the HTML every page of the site shares, in one place: the head's first lines
// (charset, the Content-Security-Policy, viewport, icon, the site's stylesheet) and the footer's
// sentence. A page's HTML (web/pages/<name>/<file>.html) writes `<!-- shell:head -->` and
// `<!-- shell:foot -->` where they go; the site build (scripts/site-pages.mjs, the CMake `site`
// target) writes each page to the site root with them filled in.
// What it is not: a page's own head lines (title, description, its stylesheet and module) or its
// body; no DOM (node runs it at build time, tests/web/unit/page-shell.test.mjs checks every page).
// The CSP (issue 9): no inline script or style, wasm from 'self' only, and a blob: worker, which
// a sandboxed iframe needs (web/lib/client.js startWorker); tests/web/browser/hostile.test.mjs.

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

/** The footer's sentence, every page's. */
export const FOOT = 'Superpose runs entirely in this page: C++ compiled to WebAssembly, trained in a Web Worker. Nothing is sent anywhere.';

const MARK = /^([ \t]*)<!-- shell:(head|foot) -->[ \t]*$/gm;

/** A page's HTML with its shell marks filled in (each line at the mark's indentation). */
export function fillShell(html) {
  return html.replace(MARK, (_, indent, which) =>
    (which === 'head' ? HEAD : [FOOT]).map((line) => indent + line).join('\n'));
}

/** Which marks a page's HTML has ('head', 'foot'). */
export function shellMarks(html) {
  return [...html.matchAll(MARK)].map((m) => m[2]);
}
