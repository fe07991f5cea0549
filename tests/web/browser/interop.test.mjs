// Issue 7 in a real browser: every toy panel's save menu downloads a valid PNG (signature, IHDR
// chunk with the canvas size), an SVG that parses as XML with an <svg> root (vector views),
// JSON/CSV/.npy with the right content and a file name carrying the experiment's parameters;
// the wasm module's exportSafetensors/importSafetensors round trip; and the embed kit:
// experiment=suppression routing, *_hide options, auto-size messages to the parent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { startLab, SITE } from '../harness.mjs';

let lab;
before(async () => { lab = await startLab(); });
after(async () => { if (lab) await lab.close(); });

// embed.html#experiment=... navigates to another page: the loads the first page had in flight are
// cancelled (net::ERR_ABORTED), which is not a problem; anything else is.
const real = (problems) => problems.filter((p) => !/net::ERR_ABORTED$/.test(p));
const noProblems = (page) => assert.deepEqual(real(page.problems), [], `problems on the page:\n${page.problems.join('\n')}`);

async function save(page, panel, kind) {
  // Open the menu explicitly (a click on <summary> toggles, and would close a menu still open).
  await page.locator(`#panel-${panel} .export-menu`).evaluate((d) => { d.open = true; });
  const [dl] = await Promise.all([
    page.waitForEvent('download', { timeout: 15000 }),
    page.click(`#panel-${panel} [data-export="${kind}"]`),
  ]);
  const file = await dl.path();
  // The menu closes itself once its save finished; wait for that, so the next save's click on
  // <summary> opens it rather than toggling a still-open menu shut.
  await page.waitForFunction((sel) => !document.querySelector(sel).open, `#panel-${panel} .export-menu`);
  return { name: dl.suggestedFilename(), bytes: fs.readFileSync(file) };
}

function checkPNG(bytes, name) {
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${name}: PNG signature`);
  assert.equal(bytes.readUInt32BE(8), 13, `${name}: IHDR length`);
  assert.equal(bytes.toString('latin1', 12, 16), 'IHDR', `${name}: first chunk IHDR`);
  const w = bytes.readUInt32BE(16);
  const h = bytes.readUInt32BE(20);
  assert.ok(w > 20 && h > 20, `${name}: ${w}×${h}`);
  return { w, h };
}

test('every toy panel saves PNG, SVG (vector views), JSON, CSV and .npy with parameter file names', async () => {
  // A run that never ends by itself, paused by the click (a 3000-step run could end just before the
  // click, which then started it again: the saved W and the frame read after it then differed).
  const page = await lab.open('index.html#n=5&m=2&k=1&p=0.05&seed=0&steps=1000000');
  await page.waitForFunction(() => window.superpose.lastFrame && window.superpose.lastFrame.step >= 300, null, { timeout: 60000 });
  await page.click('#play');
  await page.waitForFunction(() => !window.superpose.running, null, { timeout: 30000 });

  const npy = await save(page, 'arrows', 'npy');
  assert.equal(npy.name, 'toy_n5_m2_p0.05_seed0_W.npy');
  assert.equal(npy.bytes.toString('latin1', 1, 6), 'NUMPY');
  const hlen = npy.bytes.readUInt16LE(8);
  assert.match(npy.bytes.toString('latin1', 10, 10 + hlen), /'shape': \(2, 5\)/);
  assert.equal(npy.bytes.length, 10 + hlen + 4 * 10);
  // the .npy holds the model's W as the page shows it
  const W = await page.evaluate(() => Array.from(window.superpose.lastFrame.buffers.W.data));
  for (let i = 0; i < 10; i++) assert.equal(npy.bytes.readFloatLE(10 + hlen + 4 * i), Math.fround(W[i]));
  const heat = await save(page, 'heatmap', 'png');
  assert.equal(heat.name, 'toy_n5_m2_p0.05_seed0_WtW.png');
  checkPNG(heat.bytes, heat.name);

  for (const panel of ['arrows', 'heatmap', 'norms', 'dims', 'loss', 'scatter', 'grid']) {
    const visible = await page.locator(`#panel-${panel}`).isVisible();
    if (!visible) continue;
    const png = await save(page, panel, 'png');
    assert.match(png.name, /^toy_n5_m2_p0\.05_seed0_[A-Za-z_]+\.png$/);
    checkPNG(png.bytes, png.name);
    const svgButton = page.locator(`#panel-${panel} [data-export="svg"]`);
    if (!(await svgButton.isHidden())) {
      const svg = await save(page, panel, 'svg');
      assert.match(svg.name, /\.svg$/);
      const parsed = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        return { root: doc.documentElement.localName, ns: doc.documentElement.namespaceURI,
          error: doc.getElementsByTagName('parsererror').length, shapes: doc.querySelectorAll('path, text, image').length };
      }, svg.bytes.toString('utf8'));
      assert.equal(parsed.error, 0, `${svg.name} parses as XML`);
      assert.equal(parsed.root, 'svg');
      assert.equal(parsed.ns, 'http://www.w3.org/2000/svg');
      assert.ok(parsed.shapes > 3, `${svg.name} has drawn shapes (${parsed.shapes})`);
    }
  }

  // The data formats from the same page, right after a dozen figure saves (web/export/export.js keeps
  // to Chromium's burst limit of 10 downloads per second, so none is dropped).
  const json = await save(page, 'heatmap', 'json');
  const data = JSON.parse(json.bytes.toString('utf8'));
  assert.equal(data.n, 5);
  assert.equal(data.WtW.length, 25);
  const csv = await save(page, 'norms', 'csv');
  const lines = csv.bytes.toString('utf8').trim().split('\n');
  assert.equal(lines[0], 'name,index,value');
  assert.ok(lines.some((l) => /^norms,4,[-0-9.e]+$/.test(l)), 'CSV has the 5th norm');
  noProblems(page);
  await page.close();
});

test('the wasm Lab exports a toy model as safetensors and imports it back', async () => {
  // The site's lab.js itself, run in node (the pages' CSP forbids embind's generated functions
  // on the main thread; the worker, which uses it there, is covered by the save/load test below).
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'superpose-lab-'));
  fs.copyFileSync(path.join(SITE, 'lab.js'), path.join(tmp, 'lab.cjs'));  // web/ is type=module
  const createLab = createRequire(import.meta.url)(path.join(tmp, 'lab.cjs'));
  const M = await createLab({ wasmBinary: fs.readFileSync(path.join(SITE, 'lab.wasm')) });
  const a = new M.Lab();
  const notConfigured = JSON.parse(a.exportSafetensors());
  a.configure('toy', JSON.stringify({ n_features: 5, n_hidden: 2, n_instances: 2, feature_probability: [0.1, 0.01], seed: 4 }));
  a.step(50);
  const exported = JSON.parse(a.exportSafetensors());
  const bytes = a.exportedBytes().slice();
  const W = a.buffer('W').slice();
  const b = new M.Lab();
  const imported = JSON.parse(b.importSafetensors('toy', bytes));
  const same = (x) => x.length === W.length && Array.from(x).every((v, i) => v === W[i]);
  assert.equal(same(b.buffer('W')), true);
  assert.equal(JSON.parse(b.importSafetensors('toy', bytes.buffer)).ok, true);
  const bad = JSON.parse(b.importSafetensors('toy', bytes.slice(0, 30)));
  assert.equal(same(b.buffer('W')), true, 'a bad file changes nothing');
  a.configure('suppression', '{}');
  const suppression = JSON.parse(a.exportSafetensors());
  const header = JSON.parse(Buffer.from(bytes).toString('utf8', 8, 8 + Number(Buffer.from(bytes).readBigUInt64LE(0))));
  a.delete();
  b.delete();
  fs.rmSync(tmp, { recursive: true, force: true });

  assert.equal(notConfigured.ok, false);
  assert.equal(exported.ok, true);
  assert.equal(exported.size, bytes.length);
  assert.equal(imported.ok, true, JSON.stringify(imported));
  assert.equal(imported.config.n_instances, 2);
  assert.equal(imported.config.seed, 4);
  assert.equal(bad.ok, false);
  assert.match(bad.error, /^safetensors: header size \d+ runs beyond the end of the file/);
  assert.equal(suppression.ok, false);
  assert.match(suppression.error, /does not export safetensors/);
  assert.deepEqual(header.W.shape, [2, 2, 5]);
  assert.equal(header.__metadata__.format, 'superpose-toy');
});

test('embed kit: experiment=suppression opens the compact suppression page, *_hide hides parts', async () => {
  const page = await lab.open('embed.html#experiment=suppression&c=0.8&controls_hide=1', { waitReady: false });
  await page.waitForURL(/suppression\.html/, { timeout: 30000 });
  await page.waitForFunction(() => window.superpose && window.superpose.lastFrame && window.superpose.lastFrame.step > 100, null, { timeout: 60000 });
  const url = page.url();
  assert.match(url, /suppression\.html#/);
  const st = await page.evaluate(() => ({ c: window.superpose.state.c, embed: window.superposeEmbed,
    hash: location.hash, embedded: document.documentElement.classList.contains('embedded') }));
  assert.equal(st.c, 0.8);
  assert.equal(st.embedded, true);
  assert.deepEqual(st.embed.kit.hide, ['controls']);
  assert.doesNotMatch(st.hash, /embed=|_hide|experiment/);
  assert.equal(await page.locator('.bar').first().isHidden(), true);
  assert.equal(await page.locator('.masthead').isHidden(), true);
  const open = page.locator('.embed-open');
  assert.equal(await open.isVisible(), true);
  await open.hover();
  assert.match(await open.getAttribute('href'), /suppression\.html#.*c=0\.8/);
  noProblems(page);
  await page.close();
});

test('the lab saves the trained model as safetensors and loads it back (a bad file is refused)', async () => {
  // steps far past the test's length: the run never ends by itself, so the click below always pauses
  // it (a run that ended just before the click would be restarted by it).
  const page = await lab.open('index.html#n=6&m=2&p=0.2,0.02&seed=3&steps=1000000');
  await page.waitForFunction(() => window.superpose.lastFrame && window.superpose.lastFrame.step >= 200, null, { timeout: 60000 });
  if (await page.evaluate(() => window.superpose.running)) await page.click('#play');
  await page.waitForFunction(() => !window.superpose.running, null, { timeout: 30000 });
  const W = await page.evaluate(() => Array.from(window.superpose.lastFrame.buffers.W.data));
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#save-model')]);
  assert.equal(dl.suggestedFilename(), 'toy_n6_m2_k2_p0.2-0.02_seed3_model.safetensors');
  const file = await dl.path();
  const bytes = fs.readFileSync(file);
  const header = JSON.parse(bytes.toString('utf8', 8, 8 + Number(bytes.readBigUInt64LE(0))));
  assert.deepEqual(header.W.shape, [2, 2, 6]);

  // a different experiment, then the file: the model, the controls and the URL come back
  await page.evaluate(() => { location.hash = '#n=4&m=3&k=1&seed=9&autoplay=0'; });
  await page.waitForFunction(() => window.superpose.config && window.superpose.config.n_features === 4, null, { timeout: 30000 });
  await page.setInputFiles('#load-model-file', file);
  await page.waitForFunction(() => window.superpose.config.n_features === 6 && window.superpose.lastFrame.buffers.W.data.length === 24, null, { timeout: 30000 });
  const after = await page.evaluate(() => ({ W: Array.from(window.superpose.lastFrame.buffers.W.data), hash: location.hash,
    n: document.getElementById('ctl-n').value, step: window.superpose.lastFrame.step }));
  // The round trip reproduces exactly the W inside the saved file, which is the W the paused page
  // showed (the worker's final frame on pause).
  const hlen = Number(bytes.readBigUInt64LE(0));
  const [w0, w1] = header.W.data_offsets;
  const savedW = Array.from({ length: (w1 - w0) / 4 }, (_, i) => bytes.readFloatLE(8 + hlen + w0 + 4 * i));
  assert.deepEqual(W, savedW, 'the paused page showed the saved model');
  assert.deepEqual(after.W, savedW);
  assert.equal(after.n, '6');
  assert.match(after.hash, /n=6/);
  assert.match(after.hash, /seed=3/);
  assert.equal(after.step, 0);

  fs.writeFileSync(`${file}.bad`, bytes.subarray(0, 30));
  await page.setInputFiles('#load-model-file', `${file}.bad`);
  await page.waitForFunction(() => window.superpose.errors.length > 0, null, { timeout: 10000 });
  const err = await page.evaluate(() => window.superpose.errors[window.superpose.errors.length - 1]);
  assert.match(err, /Could not load .*: safetensors: header size \d+ runs beyond the end of the file/);
  assert.deepEqual(await page.evaluate(() => Array.from(window.superpose.lastFrame.buffers.W.data)), savedW, 'a bad file changes nothing');
  noProblems(page);
  await page.close();
});

test('the suppression page saves each panel as PNG and its data as JSON/CSV/.npy', async () => {
  const page = await lab.open('suppression.html#c=0.6', { waitReady: false });
  await page.waitForFunction(() => window.superpose && window.superpose.lastFrame && window.superpose.lastFrame.step > 100, null, { timeout: 60000 });
  await page.click('#ac-panel .export-menu summary');
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('#ac-panel [data-export="png"]')]);
  assert.equal(png.suggestedFilename(), 'suppression_c0.6_ac-panel.png');
  checkPNG(fs.readFileSync(await png.path()), png.suggestedFilename());
  await page.click('#ac-panel .export-menu summary');
  const [json] = await Promise.all([page.waitForEvent('download'), page.click('#ac-panel [data-export="json"]')]);
  const d = JSON.parse(fs.readFileSync(await json.path(), 'utf8'));
  assert.deepEqual(d.shapes.trained_activation, [3]);
  assert.equal(d.trained_activation.length, 3);
  noProblems(page);
  await page.close();
});

/** A safetensors file's header, tensor W (float32, flat) and __metadata__.step. */
function readToyFile(bytes) {
  const hlen = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.toString('utf8', 8, 8 + hlen));
  const [w0, w1] = header.W.data_offsets;
  const W = Array.from({ length: (w1 - w0) / 4 }, (_, i) => bytes.readFloatLE(8 + hlen + w0 + 4 * i));
  return { header, W, step: Number(header.__metadata__.step) };
}

async function saveModel(page) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 15000 }), page.click('#save-model')]);
  return readToyFile(fs.readFileSync(await dl.path()));
}

test('pause and a single step show the model the worker holds: the displayed step, loss and W are the saved ones', async () => {
  const page = await lab.open('index.html#n=6&m=2&p=0.2,0.02&seed=3&steps=1000000&lr=0.01');
  // Mid-run, fast: frames every 50 ms lag the worker by the chunks run since the last one.
  await page.waitForFunction(() => window.superpose.lastFrame && window.superpose.lastFrame.step >= 2000 && window.superpose.running, null, { timeout: 60000 });
  await page.click('#play');
  // Once the page says it is paused, its last frame is the worker's final frame: no waiting for more.
  await page.waitForFunction(() => !window.superpose.running, null, { timeout: 10000 });
  const shown = await page.evaluate(() => ({
    step: window.superpose.lastFrame.step, running: window.superpose.lastFrame.running,
    W: Array.from(window.superpose.lastFrame.buffers.W.data), lossTotal: window.superpose.lastFrame.lossTotal,
    stepText: document.getElementById('step-count').textContent, lossText: document.getElementById('loss').textContent,
    play: document.getElementById('play').textContent,
  }));
  assert.equal(shown.running, false, 'the last frame is the final one (running: false)');
  assert.equal(shown.play, '▶ play');
  const saved = await saveModel(page);
  assert.equal(saved.step, shown.step, 'the saved model is at the step the page shows');
  assert.equal(shown.stepText, String(saved.step), 'the step counter shows it');
  assert.deepEqual(shown.W, saved.W, 'the W the page shows is the saved W, exactly');
  assert.ok(Number.isFinite(shown.lossTotal) && shown.lossText !== '–', `loss shown: ${shown.lossText}`);
  // The saved file is the model after the pause: the frames shown afterwards do not change.
  assert.equal(await page.evaluate(() => window.superpose.lastFrame.step), saved.step);

  // A single step: the frame of the step is shown before the button is done.
  await page.click('#step');
  await page.waitForFunction((s) => window.superpose.lastFrame.step === s + 1 && !window.superpose.pausing, saved.step, { timeout: 10000 });
  const stepped = await page.evaluate(() => ({ W: Array.from(window.superpose.lastFrame.buffers.W.data), text: document.getElementById('step-count').textContent }));
  const saved2 = await saveModel(page);
  assert.equal(saved2.step, saved.step + 1);
  assert.equal(stepped.text, String(saved2.step));
  assert.deepEqual(stepped.W, saved2.W);
  assert.notDeepEqual(saved2.W, saved.W, 'one step at lr 0.01 moves W');

  // Saving while it trains: the page is sent the saved model's frame along with the file.
  await page.click('#play');
  await page.waitForFunction((s) => window.superpose.lastFrame.step > s + 500, saved2.step, { timeout: 30000 });
  await page.evaluate(() => { window.__steps = []; window.superpose.client.onFrame((f) => window.__steps.push(f.step)); });
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 15000 }), page.click('#save-model')]);
  const saved3 = readToyFile(fs.readFileSync(await dl.path()));
  const seen = await page.evaluate((s) => window.__steps.includes(s), saved3.step);
  assert.ok(saved3.step > saved2.step + 500);
  assert.equal(seen, true, `a frame at the saved step ${saved3.step} reached the page`);
  noProblems(page);
  await page.close();
});

test('many saves in a row from one page all arrive (more than Chromium\'s 10 per second); save all is one .zip', async () => {
  const page = await lab.open('index.html#n=5&m=2&k=1&p=0.05&seed=0&steps=3000');
  await page.waitForFunction(() => window.superpose.done, null, { timeout: 60000 });
  // 16 saves as fast as the page can be clicked: each click starts its download in the click's
  // task; the 11th and later wait for the next second instead of being dropped.
  const names = [];
  page.on('download', (d) => names.push(d.suggestedFilename()));
  const kinds = ['png', 'json', 'csv', 'npy', 'svg', 'png', 'json', 'csv', 'npy', 'svg', 'png', 'json', 'csv', 'npy', 'svg', 'png'];
  const t0 = Date.now();
  await page.evaluate((ks) => {
    for (const k of ks) document.querySelector(`#panel-heatmap [data-export="${k}"]`).click();
  }, kinds);
  const deadline = Date.now() + 15000;
  while (names.length < kinds.length && Date.now() < deadline) await page.waitForTimeout(100);
  assert.equal(names.length, kinds.length, `${names.length} of ${kinds.length} saves arrived: ${names.join(' ')}`);
  assert.deepEqual(names, kinds.map((k) => `toy_n5_m2_p0.05_seed0_WtW.${k}`), 'in the order clicked');
  console.log(`# ${kinds.length} saves from one page in ${Date.now() - t0} ms`);

  // save all: one .zip of every shown panel's files, which python3's zipfile reads and tests.
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 15000 }), page.click('#save-all')]);
  assert.equal(dl.suggestedFilename(), 'toy_n5_m2_p0.05_seed0_figures.zip');
  const file = await dl.path();
  const listing = JSON.parse(execFileSync('python3', ['-c', `
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps([{"name": i.filename, "size": i.file_size, "method": i.compress_type,
  "head": z.read(i.filename)[:8].hex()} for i in z.infolist()]))`, file], { encoding: 'utf8' }));
  const byName = new Map(listing.map((e) => [e.name, e]));
  const shown = await page.evaluate(() => [...document.querySelectorAll('#panels section.panel')].filter((s) => !s.hidden).map((s) => s.id.replace('panel-', '')));
  assert.ok(shown.length >= 5, `panels shown: ${shown}`);
  const pngs = listing.filter((e) => e.name.endsWith('.png'));
  assert.equal(pngs.length, shown.length, 'one PNG per shown panel');
  for (const e of pngs) assert.equal(e.head, '89504e470d0a1a0a', `${e.name} is a PNG`);
  for (const e of listing) assert.equal(e.method, 0, `${e.name} is stored`);
  for (const e of listing.filter((x) => x.name.endsWith('.npy'))) assert.equal(e.head.slice(0, 12), '934e554d5059', `${e.name} is .npy`);
  assert.ok(byName.has('toy_n5_m2_p0.05_seed0_WtW.json') && byName.has('toy_n5_m2_p0.05_seed0_WtW.svg') && byName.has('toy_n5_m2_p0.05_seed0_norms.csv'));
  // The zip's heatmap data is the page's.
  const wtw = JSON.parse(execFileSync('python3', ['-c', 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())', file, 'toy_n5_m2_p0.05_seed0_WtW.json'], { encoding: 'utf8' }));
  const frameWtW = await page.evaluate(() => Array.from(window.superpose.lastFrame.buffers.WtW.data));
  assert.deepEqual(wtw.WtW, frameWtW.slice(0, 25));
  noProblems(page);
  await page.close();
});

test('the suppression page: several saves in a row and save all (.zip)', async () => {
  const page = await lab.open('suppression.html#c=0.6', { waitReady: false });
  await page.waitForFunction(() => window.superpose && window.superpose.done, null, { timeout: 60000 });
  const names = [];
  page.on('download', (d) => names.push(d.suggestedFilename()));
  const clicks = ['ac-panel png', 'ac-panel json', 'ac-panel csv', 'ac-panel npy', 'ac-panel png', 'ac-panel json',
    'ac-panel csv', 'ac-panel npy', 'ac-panel png', 'ac-panel json', 'ac-panel csv', 'ac-panel npy'];
  await page.evaluate((cs) => {
    for (const c of cs) { const [id, k] = c.split(' '); document.querySelector(`#${id} [data-export="${k}"]`).click(); }
  }, clicks);
  const deadline = Date.now() + 15000;
  while (names.length < clicks.length && Date.now() < deadline) await page.waitForTimeout(100);
  assert.equal(names.length, clicks.length, names.join(' '));
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 15000 }), page.click('#save-all')]);
  assert.equal(dl.suggestedFilename(), 'suppression_c0.6_all.zip');
  const listing = JSON.parse(execFileSync('python3', ['-c', `
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps(z.namelist()))`, await dl.path()], { encoding: 'utf8' }));
  assert.ok(listing.includes('suppression_c0.6_ac-panel.png'), listing.join(' '));
  assert.ok(listing.includes('suppression_c0.6_buffers.json'));
  assert.ok(listing.includes('suppression_c0.6_trained_activation.npy'));
  noProblems(page);
  await page.close();
});
