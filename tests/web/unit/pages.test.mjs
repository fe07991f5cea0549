// web/lib/pages.js, the one page registry (issue 13), against what repeats its facts: the README's
// page table, the page files in web/pages/, the embed kit, and the HTML (which must not carry a
// hand-copied nav: lib/nav.js builds it from the registry).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PAGES, OTHER_PAGES, pageAt, pageNamed } from '../../../web/lib/pages.js';
import { pageOf } from '../../../web/embed/embed-kit.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const WEB = path.join(REPO, 'web');

/** The README's page table: [{file, text}] in order. */
function readmeTable() {
  const lines = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith('| page |'));
  assert.ok(start >= 0, 'the README has a page table');
  const rows = [];
  for (const l of lines.slice(start + 2)) {
    if (!l.startsWith('|')) break;
    const m = /^\| `([^`]+)` \| (.*) \|$/.exec(l);
    assert.ok(m, `a README page row reads "| \`file\` | title: description |": ${l}`);
    rows.push({ file: m[1], text: m[2] });
  }
  return rows;
}

test('the README page table lists the registry, in order, with its titles and descriptions', () => {
  const want = [...PAGES, ...OTHER_PAGES].map((p) => ({ file: p.file, text: `${p.title}: ${p.description}` }));
  assert.deepEqual(readmeTable(), want);
});

test('every registered page has its HTML in web/pages/, and every page HTML is registered', () => {
  const html = [];
  for (const dir of fs.readdirSync(path.join(WEB, 'pages'))) {
    for (const f of fs.readdirSync(path.join(WEB, 'pages', dir))) if (f.endsWith('.html')) html.push(f);
  }
  const registered = [...PAGES, ...OTHER_PAGES].map((p) => p.file).filter((f) => !f.includes('/'));
  assert.deepEqual(html.sort(), registered.sort());
  assert.ok(fs.existsSync(path.join(WEB, 'examples/course-notes.html')));
  const names = [...PAGES, ...OTHER_PAGES].map((p) => p.name);
  assert.equal(new Set(names).size, names.length, 'names are unique');
});

test('no page HTML carries a copy of the nav; the nav, embed kit and export read the registry', () => {
  for (const dir of fs.readdirSync(path.join(WEB, 'pages'))) {
    for (const f of fs.readdirSync(path.join(WEB, 'pages', dir)).filter((x) => x.endsWith('.html'))) {
      const text = fs.readFileSync(path.join(WEB, 'pages', dir, f), 'utf8');
      assert.doesNotMatch(text, /<nav\b/, `${f} has a hand-written nav`);
    }
  }
  for (const f of ['lib/nav.js', 'embed/embed-kit.js', 'export/page-export.js', 'examples/course-notes.html']) {
    assert.match(fs.readFileSync(path.join(WEB, f), 'utf8'), /lib\/pages\.js|'\.\/pages\.js'/, `${f} reads the registry`);
  }
});

test('every experiment page embeds through the kit; pageAt and pageNamed find each page', () => {
  for (const p of PAGES) {
    assert.equal(pageOf(p.name), p.embed.split('#')[0], `${p.name} opens from embed.html#experiment=${p.name}`);
    assert.equal(pageNamed(p.name), p);
    assert.equal(pageAt(`/some/dir/${p.file}`), p);
  }
  assert.equal(pageAt('/'), pageNamed('toy'));
  assert.equal(pageAt('/embed.html'), null);
  assert.equal(pageNamed('constructor'), null);
});
