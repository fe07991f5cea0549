// Writes each page's HTML to the site root with the shell filled in (web/lib/page-shell.js: the
// top, toolbar and footer; the top's title, description, stylesheet and module from the page's
// registry entry): node site-pages.mjs SITE web/pages/<name>/<file>.html ...
// Run by the CMake `site` target (CMakeLists.txt: a page's HTML is served at the root).
// Not here: what the shell holds (web/lib/page-shell.js) or which pages exist (web/lib/pages.js).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fillShell, pageOf } from '../web/lib/page-shell.js';

const [site, ...pages] = process.argv.slice(2);
if (!site || pages.length === 0) {
  console.error('usage: node site-pages.mjs SITE PAGE.html...');
  process.exit(2);
}
for (const page of pages) {
  writeFileSync(path.join(site, path.basename(page)), fillShell(readFileSync(page, 'utf8'), pageOf(page, existsSync)));
}
