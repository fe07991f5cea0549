// The top, toolbar and footer every page shares live in web/lib/page-shell.js: each page's HTML
// marks where they go and the site build fills them in (scripts/site-pages.mjs), an experiment
// page's title, description, stylesheet and module from the registry (web/lib/pages.js). A page
// that still writes its own head must match the shell line for line (so a changed CSP cannot miss
// a page).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HEAD, BAR, BAR_END, FOOT, FOOTER, CSP, fillShell, shellMarks, pageOf } from '../../../web/lib/page-shell.js';
import { PAGES } from '../../../web/lib/pages.js';

const pagesDir = new URL('../../../web/pages/', import.meta.url);
const PAGE_HTML = readdirSync(pagesDir).flatMap((dir) => readdirSync(new URL(`${dir}/`, pagesDir))
  .filter((f) => f.endsWith('.html')).map((f) => `${dir}/${f}`));
/** A page file as the site build writes it. */
const build = (file) => fillShell(readFileSync(new URL(file, pagesDir), 'utf8'), pageOf(fileURLToPath(new URL(file, pagesDir)), existsSync));

test('every page has the shell\'s head, filled in at build time or (until it is marked) written as the shell', () => {
  assert.ok(PAGE_HTML.length >= 7, PAGE_HTML.join(' '));
  for (const file of PAGE_HTML) {
    const html = readFileSync(new URL(file, pagesDir), 'utf8');
    const built = build(file);
    const lines = built.split('\n').map((l) => l.trim());
    const at = lines.indexOf(HEAD[0]);
    assert.ok(at > 0 && lines.slice(0, at).join('').endsWith('<head>'), `${file}: the charset opens the head`);
    for (const line of HEAD) assert.equal(lines.filter((l) => l === line).length, 1, `${file}: ${line}`);
    assert.ok(lines.some((l) => l.startsWith('<meta http-equiv="Content-Security-Policy"') && l.includes(CSP)));
    assert.equal(lines.filter((l) => l.includes('Content-Security-Policy')).length, 1, `${file}: one CSP`);
    assert.ok(!built.includes('<!-- shell:'), `${file}: every mark filled`);
    // The footer: the shell's sentence wherever a page has a footer.
    if (built.includes('<footer')) assert.ok(lines.includes(FOOT), `${file}: the footer's sentence`);
    if (shellMarks(html).length === 0) console.log(`${file} writes its own head (not yet marked)`);
  }
});

test('fillShell puts each line at the mark\'s indentation and leaves the rest as it is', () => {
  const html = '<head>\n    <!-- shell:head -->\n  <title>t</title>\n</head>\n  <!-- shell:foot -->\n';
  const out = fillShell(html).split('\n');
  assert.deepEqual(out.slice(1, 1 + HEAD.length), HEAD.map((l) => `    ${l}`));
  assert.equal(out[1 + HEAD.length], '  <title>t</title>');
  assert.ok(out.includes(`    ${FOOT}`) && out.includes('  </html>'), 'the footer, to the end, at the mark\'s indentation plus its own');
  assert.deepEqual(shellMarks(html), ['head', 'foot']);
  assert.equal(fillShell('<p><!-- shell:head --> inline</p>'), '<p><!-- shell:head --> inline</p>', 'a mark is a line of its own');
});

test('every experiment page has the one toolbar of the shell: its marks, every button once, no copy of its own', () => {
  const ids = [...[...BAR, ...BAR_END].join('\n').matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
  for (const want of ['play', 'step', 'reset', 'step-count', 'status', 'speed', 'copy-link', 'save-all', 'notes', 'error']) assert.ok(ids.includes(want), want);
  for (const p of PAGES) {
    const file = PAGE_HTML.find((f) => f.endsWith(`/${p.file}`));
    assert.ok(file, `${p.file} is in web/pages/`);
    const html = readFileSync(new URL(file, pagesDir), 'utf8');
    assert.deepEqual(shellMarks(html).filter((m) => m.startsWith('bar')), ['bar', 'bar-end'], `${file}: the toolbar's marks, in order`);
    for (const id of ids) assert.ok(!html.includes(`id="${id}"`), `${file} writes no #${id} of its own`);
    const built = build(file);
    for (const id of ids) assert.equal(built.split(`id="${id}"`).length, 2, `${file}: one #${id}`);
    assert.equal(built.split('role="toolbar"').length, 2, `${file}: one toolbar`);
  }
});

test('an experiment page\'s top comes from the registry: its title, description, stylesheet and module, once each', () => {
  for (const p of PAGES) {
    const file = PAGE_HTML.find((f) => f.endsWith(`/${p.file}`));
    const html = readFileSync(new URL(file, pagesDir), 'utf8');
    assert.equal(shellMarks(html)[0], 'page', `${file} opens with the page mark`);
    const built = build(file);
    const lines = built.trimEnd().split('\n').map((l) => l.trim());
    assert.deepEqual(lines.slice(0, 3), ['<!doctype html>', '<html lang="en">', '<head>']);
    assert.equal(lines.filter((l) => l.startsWith('<title>')).length, 1);
    assert.ok(lines.includes(`<title>Superpose · ${p.title.replace(/&/g, '&amp;')}</title>`), `${file}: its title`);
    assert.equal(lines.filter((l) => l.startsWith('<meta name="description"')).length, 1);
    assert.ok(p.summary && p.summary.length > 40, `${p.name} has a summary`);
    assert.ok(lines.includes(`<script type="module" src="pages/${p.name}/${p.name}.js"></script>`), `${file}: its module`);
    assert.ok(existsSync(new URL(`${p.name}/${p.name}.js`, pagesDir)), `${p.name}: the module exists`);
    assert.equal(lines.includes(`<link rel="stylesheet" href="pages/${p.name}/${p.name}.css">`), existsSync(new URL(`${p.name}/${p.name}.css`, pagesDir)), `${file}: its stylesheet if it has one`);
    assert.deepEqual(lines.slice(-FOOTER.length), FOOTER.map((l) => l.trim()), `${file}: ends with the shell's footer`);
  }
  assert.throws(() => fillShell('<!-- shell:page -->\n'), /not in the registry/);
});
