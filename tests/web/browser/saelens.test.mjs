// SAELens files on the SAE and steer pages (issue 7) in a real browser: an SAE trained on the
// page is saved as one .zip whose cfg.json and sae_weights.safetensors python3 reads (zipfile +
// struct) with SAELens's names, shapes and dtypes; a fresh page loads it (the zip, or the two
// files picked together) and measures identical metrics without training; the CLI loads the
// unzipped folder (`superpose sae --load DIR`) and finds the same MMCS; bad files are refused by
// name and change nothing; the steer page takes a SAELens SAE (d_in = its m) and steers with it,
// and its SAE selector and dead-latent marks work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLab, BUILD } from '../harness.mjs';

let lab;
let tmp;
before(async () => {
  lab = await startLab();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'superpose-saelens-'));
});
after(async () => {
  if (lab) await lab.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const noProblems = (page) => assert.deepEqual(page.problems, [], `problems on the page:\n${page.problems.join('\n')}`);
const metricsOf = (page) => page.evaluate(() => Array.from(window.superpose.lastFrame.buffers.metrics.data));
const lastError = (page) => page.evaluate(() => window.superpose.errors[window.superpose.errors.length - 1] || '');
const sameMetrics = (a, b, what) => {
  assert.equal(a.length, b.length, what);
  a.forEach((v, i) => assert.ok(Object.is(v, b[i]) || v === b[i], `${what}: metric ${i}: ${v} vs ${b[i]}`));
};

// The zip's entries, cfg.json and the safetensors header, read by python3 alone (zipfile, struct).
function inspectZip(file, dir) {
  return JSON.parse(execFileSync('python3', ['-c', `
import json, struct, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
names = z.namelist()
cfg = json.loads(z.read('cfg.json'))
w = z.read('sae_weights.safetensors')
(n,) = struct.unpack('<Q', w[:8])
header = json.loads(w[8:8 + n])
meta = header.pop('__metadata__', None)
tensors = {}
end = 0
for name, t in header.items():
    a, b = t['data_offsets']
    count = 1
    for s in t['shape']:
        count *= s
    assert b - a == 4 * count, name
    first = struct.unpack('<f', w[8 + n + a:8 + n + a + 4])[0] if count else None
    tensors[name] = {'dtype': t['dtype'], 'shape': t['shape'], 'first': first}
    end = max(end, b)
assert 8 + n + end == len(w), 'the tensors tile the data section'
z.extractall(sys.argv[2])
print(json.dumps({'names': names, 'cfg': cfg, 'tensors': tensors}))
`, file, dir], { encoding: 'utf8' }));
}

async function trainedPage(hash) {
  const page = await lab.open(`sae.html#${hash}`);
  await page.waitForFunction(() => window.superpose.done && window.superpose.lastFrame.done, null, { timeout: 180000 });
  return page;
}

async function saveZip(page, name) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 30000 }), page.click('#save-saelens')]);
  const file = path.join(tmp, name);
  fs.copyFileSync(await dl.path(), file);
  return { file, suggested: dl.suggestedFilename() };
}

async function load(page, files) {
  // Wait for this load's answer: a new loaded config (the page's generation moves on) or a new
  // error; an SAE loaded before must not count.
  const before = await page.evaluate(() => ({ errors: window.superpose.errors.length, generation: window.superpose.generation }));
  await page.setInputFiles('#load-saelens-file', files);
  await page.waitForFunction((b) => {
    const S = window.superpose;
    return (S.generation > b.generation && S.config && S.config.loaded) || S.errors.length > b.errors;
  }, before, { timeout: 30000 });
}

let synthZip = null;  // the 64-dimensional SAE, for the steer page's refusal

test('SAE page: save SAELens .zip (SAELens names and shapes), reload on a fresh page: identical metrics; the CLI loads it', async () => {
  const hash = 'archs=relu,topk&latents=128&seed=2&steps=1000';
  let page = await trainedPage(hash);
  await page.selectOption('#run-select', '1');  // topk k=5
  const saved = await metricsOf(page);
  const topk = saved.slice(8, 16);
  const { file, suggested } = await saveZip(page, 'topk.zip');
  assert.equal(suggested, 'sae_archtopk_L128_k5_datasynthetic_seed2_saelens.zip');
  noProblems(page);
  await page.close();

  const dir = path.join(tmp, 'topk');
  const z = inspectZip(file, dir);
  assert.deepEqual(z.names, ['cfg.json', 'sae_weights.safetensors']);
  assert.equal(z.cfg.architecture, 'topk');
  assert.equal(z.cfg.d_in, 64);
  assert.equal(z.cfg.d_sae, 128);
  assert.equal(z.cfg.k, 5);
  assert.equal(z.cfg.dtype, 'float32');
  assert.equal(z.cfg.apply_b_dec_to_input, true);
  assert.deepEqual(Object.keys(z.tensors).sort(), ['W_dec', 'W_enc', 'b_dec', 'b_enc']);
  assert.deepEqual(z.tensors.W_enc.shape, [64, 128]);
  assert.deepEqual(z.tensors.W_dec.shape, [128, 64]);
  assert.deepEqual(z.tensors.b_enc.shape, [128]);
  assert.deepEqual(z.tensors.b_dec.shape, [64]);
  for (const t of Object.values(z.tensors)) assert.equal(t.dtype, 'F32');
  synthZip = file;

  // A fresh page on the same data: the zip, measured, not trained.
  page = await lab.open(`sae.html#${hash}`);
  await load(page, file);
  let s = await page.evaluate(() => ({ config: window.superpose.config, errors: window.superpose.errors,
    status: document.getElementById('status').textContent, row: document.querySelector('#metrics tbody tr th').textContent }));
  assert.deepEqual(s.errors, []);
  assert.deepEqual(s.config.loaded, { architecture: 'topk', d_in: 64, d_sae: 128, k: 5 });
  assert.deepEqual(s.config.runs.map((r) => r.arch), ['topk']);
  assert.match(s.status, /^loaded topk\.zip: measured on this data, not trained$/);
  assert.match(s.row, /^topk \(loaded SAELens, 128 latents\)$/);
  await page.waitForFunction(() => window.superpose.lastFrame.buffers.metrics.shape[0] === 1, null, { timeout: 10000 });
  sameMetrics(await metricsOf(page), topk, 'the loaded zip');
  assert.equal(await page.evaluate(() => window.superpose.lastFrame.step), 0);

  // A truncated weights file is refused by name; the loaded SAE stays.
  const cfgPath = path.join(dir, 'cfg.json');
  const weightsPath = path.join(dir, 'sae_weights.safetensors');
  const badDir = path.join(tmp, 'bad');
  fs.mkdirSync(badDir);
  fs.copyFileSync(cfgPath, path.join(badDir, 'cfg.json'));
  fs.writeFileSync(path.join(badDir, 'sae_weights.safetensors'), fs.readFileSync(weightsPath).subarray(0, 100));
  await load(page, [path.join(badDir, 'cfg.json'), path.join(badDir, 'sae_weights.safetensors')]);
  assert.match(await lastError(page), /^Could not load cfg\.json \+ sae_weights\.safetensors: SAELens weights: safetensors: /);
  sameMetrics(await metricsOf(page), topk, 'after a refused file');
  // cfg.json alone: says what is missing
  await load(page, [cfgPath]);
  assert.match(await lastError(page), /^Could not load cfg\.json: .*no sae_weights\.safetensors/);

  // A fresh page: the two files picked together.
  await page.close();
  page = await lab.open(`sae.html#${hash}`);
  await load(page, [cfgPath, weightsPath]);
  s = await page.evaluate(() => ({ config: window.superpose.config, errors: window.superpose.errors }));
  assert.deepEqual(s.errors, []);
  assert.equal(s.config.loaded.architecture, 'topk');
  await page.waitForFunction(() => window.superpose.lastFrame.buffers.metrics.shape[0] === 1, null, { timeout: 10000 });
  sameMetrics(await metricsOf(page), topk, 'the two files');
  // changing a control trains again
  await page.locator('#k').fill('4');
  await page.waitForFunction(() => window.superpose.config && !window.superpose.config.loaded && window.superpose.config.k === 4, null, { timeout: 30000 });
  noProblems(page);
  await page.close();

  // The CLI measures the unzipped folder on the same synthetic data: the same MMCS.
  const cli = path.join(BUILD, 'native', 'superpose');
  assert.ok(fs.existsSync(cli), `${cli} is missing: build native first`);
  const out = JSON.parse(execFileSync(cli, ['sae', '--load', dir, '--seed', '2', '--json'], { encoding: 'utf8' }));
  assert.equal(out.loaded, dir);
  assert.equal(out.config.arch, 'topk');
  assert.equal(out.config.n_latents, 128);
  assert.ok(out.metrics.l0 > 4.5 && out.metrics.l0 <= 5, `CLI L0 ${out.metrics.l0} (k = 5)`);
  assert.ok(Math.abs(out.metrics.mmcs - topk[6]) < 1e-4, `CLI MMCS ${out.metrics.mmcs}, page ${topk[6]}`);
});

test('SAE page: a gated run says it cannot be saved; toy data saves a 2-D SAE the steer page steers with', async () => {
  let page = await trainedPage('data=toy&archs=gated,relu&seed=1');
  await page.selectOption('#run-select', '0');  // gated
  await page.click('#save-saelens');
  await page.waitForFunction(() => window.superpose.errors.length > 0, null, { timeout: 15000 });
  assert.match(await lastError(page), /^Could not save the SAE: SAELens export: the gated architecture is not supported/);
  await page.selectOption('#run-select', '1');  // relu: a standard SAE, d_in = 2, 5 latents
  const { file } = await saveZip(page, 'toy-relu.zip');
  await page.close();
  const z = inspectZip(file, path.join(tmp, 'toy-relu'));
  assert.equal(z.cfg.architecture, 'standard');
  assert.deepEqual(z.tensors.W_enc.shape, [2, 5]);

  page = await lab.open('steer.html#strength=2');
  await page.waitForFunction(() => window.superpose.ready, null, { timeout: 60000 });
  // a file for another width is refused by name, and the trained SAE stays
  if (synthZip) {
    await page.setInputFiles('#load-saelens-file', synthZip);
    await page.waitForFunction(() => window.superpose.errors.length > 0, null, { timeout: 30000 });
    assert.match(await lastError(page), /^Could not load topk\.zip: SAELens: the SAE reads d_in=64 dimensions but the toy model has n_hidden=2$/);
    assert.equal(await page.evaluate(() => window.superpose.config.sae.kind), 'topk');
  }
  await page.setInputFiles('#load-saelens-file', file);
  await page.waitForFunction(() => window.superpose.config.sae.kind === 'saelens' && window.superpose.ready, null, { timeout: 30000 });
  const s = await page.evaluate(() => ({ sae: window.superpose.config.sae, select: document.getElementById('sae').value,
    options: document.querySelectorAll('#direction option[value^="latent:"]').length,
    act: Array.from(window.superpose.lastFrame.buffers.max_activation.data) }));
  assert.deepEqual(s.sae, { kind: 'saelens', architecture: 'standard', d_in: 2, n_latents: 5 });
  assert.equal(s.select, 'saelens');
  assert.equal(s.options, 5);
  // steer along the most active latent of the loaded SAE: the outputs move
  const latent = s.act.indexOf(Math.max(...s.act));
  assert.ok(s.act[latent] > 0);
  await page.selectOption('#direction', `latent:${latent}`);
  await page.waitForFunction((d) => window.superpose.config.direction === d && window.superpose.config.sae.kind === 'saelens',
    `latent:${latent}`, { timeout: 10000 });
  await page.waitForFunction((d) => window.superpose.lastFrame.buffers.ready.data[0] === 1 && window.superpose.config.direction === d,
    `latent:${latent}`, { timeout: 10000 });
  const o = await page.evaluate(() => ({ before: Array.from(window.superpose.lastFrame.buffers.before.data),
    after: Array.from(window.superpose.lastFrame.buffers.after.data), vector: Array.from(window.superpose.lastFrame.buffers.steering_vector.data) }));
  assert.ok(Math.hypot(...o.vector) > 0, 'a live latent steers');
  assert.ok(o.after.some((v, i) => Math.abs(v - o.before[i]) > 0.05), `after ${o.after}, before ${o.before}`);
  assert.doesNotMatch(page.url(), /sae=/, 'a loaded file does not travel in the link');
  noProblems(page);
  await page.close();
});

test('steer page: the SAE selector picks the SAE, dead latents are marked and not the default direction', async () => {
  // seed 5's TopK SAE leaves latents 0 and 3 dead (toy data of one stream per instance, 1412cf5):
  // the default direction latent:0 must move
  const page = await lab.open('steer.html#mode=mean&seed=5');
  await page.waitForFunction(() => window.superpose.ready, null, { timeout: 60000 });
  await page.waitForFunction(() => window.superpose.config.direction !== 'latent:0', null, { timeout: 10000 });
  let s = await page.evaluate(() => ({ direction: window.superpose.state.direction,
    act: Array.from(window.superpose.lastFrame.buffers.max_activation.data),
    dead: Array.from(document.querySelectorAll('#direction option.dead'), (o) => [o.value, o.textContent]) }));
  const dead = s.act.map((v, i) => (v > 0 ? -1 : i)).filter((i) => i >= 0);
  assert.ok(dead.includes(0), `latent 0 is dead for this seed (activations ${s.act})`);
  assert.deepEqual(s.dead.map(([v]) => v), dead.map((i) => `latent:${i}`));
  for (const [, text] of s.dead) assert.match(text, /\(dead: never fires\)$/);
  const i = Number(s.direction.split(':')[1]);
  assert.ok(s.act[i] > 0, `the default direction ${s.direction} is a live latent (activations ${s.act})`);
  assert.equal(i, s.act.indexOf(Math.max(...s.act)), 'the most active latent');
  assert.match(page.url(), new RegExp(`direction=latent:${i}`));
  // the effects heatmap marks the dead rows too
  assert.equal(await page.locator('#effects th.dead').count(), dead.length);

  await page.selectOption('#sae', 'perfect');
  await page.waitForFunction(() => window.superpose.config.sae.kind === 'perfect' && window.superpose.ready, null, { timeout: 30000 });
  s = await page.evaluate(() => ({ options: document.querySelectorAll('#direction option[value^="latent:"]').length,
    rows: window.superpose.lastFrame.buffers.effects.shape[0] }));
  assert.equal(s.options, 5);
  assert.equal(s.rows, 5);
  assert.match(page.url(), /sae=perfect/);
  await page.selectOption('#sae', 'jumprelu');
  await page.waitForFunction(() => window.superpose.config.sae.kind === 'jumprelu' && window.superpose.ready, null, { timeout: 30000 });
  assert.equal(await page.evaluate(() => window.superpose.lastFrame.buffers.max_activation.data.length), 10);
  noProblems(page);
  await page.close();
  // the link opens the same SAE
  const again = await lab.open('steer.html#sae=perfect');
  await again.waitForFunction(() => window.superpose.ready, null, { timeout: 60000 });
  assert.equal(await again.evaluate(() => window.superpose.config.sae.kind), 'perfect');
  assert.equal(await again.evaluate(() => document.getElementById('sae').value), 'perfect');
  noProblems(again);
  await again.close();
});
