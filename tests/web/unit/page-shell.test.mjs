// The head and footer every page shares live in web/lib/page-shell.js: each page's HTML marks
// where they go and the site build fills them in (scripts/site-pages.mjs). A page that still
// writes its own copy must match the shell line for line (so a changed CSP cannot miss a page).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { HEAD, FOOT, CSP, fillShell, shellMarks } from '../../../web/lib/page-shell.js';

const pagesDir = new URL('../../../web/pages/', import.meta.url);
const PAGE_HTML = readdirSync(pagesDir).flatMap((dir) => readdirSync(new URL(`${dir}/`, pagesDir))
  .filter((f) => f.endsWith('.html')).map((f) => `${dir}/${f}`));

test('every page has the shell\'s head, filled in at build time or (until it is marked) written as the shell', () => {
  assert.ok(PAGE_HTML.length >= 7, PAGE_HTML.join(' '));
  for (const file of PAGE_HTML) {
    const html = readFileSync(new URL(file, pagesDir), 'utf8');
    const built = fillShell(html);
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
  const html = '<head>\n    <!-- shell:head -->\n  <title>t</title>\n</head>\n<footer>\n  <!-- shell:foot -->\n</footer>\n';
  const out = fillShell(html).split('\n');
  assert.deepEqual(out.slice(1, 1 + HEAD.length), HEAD.map((l) => `    ${l}`));
  assert.equal(out[1 + HEAD.length], '  <title>t</title>');
  assert.ok(out.includes(`  ${FOOT}`));
  assert.deepEqual(shellMarks(html), ['head', 'foot']);
  assert.equal(fillShell('<p><!-- shell:head --> inline</p>'), '<p><!-- shell:head --> inline</p>', 'a mark is a line of its own');
});
