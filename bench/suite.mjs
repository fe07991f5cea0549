// The benchmark suite of issue 8 (run through ./scripts/bench; not a test). Builds what it
// needs, runs the benchmark programs natively and in wasm (node), the page in headless
// Chromium, and the peers (PyTorch CPU, TF.js wasm; one thread each) in the same run; prints a
// table with medians, peak memory, quality columns and the ratio of each Superpose figure to
// each peer, and writes {machine, date, results, peers, ratios} as JSON with --json FILE.
//   ./scripts/bench [--only W1,W2,W3,K1] [--targets native,wasm,browser] [--peers] [--json FILE]
//                   [--repeats N=3] [--no-build]
// W3 (issue 15) is the default language model's training (bench/bench_lm.cpp; peer
// bench/peers/torch_w3.py): steps/s, tokens/s and the forward/backward/AdamW split per step; the
// browser does not measure it yet (a note says so).
// Figures: each program already reports the median of its own timed runs (after a warm-up);
// the suite runs each program `repeats` times and takes the median of those medians. Peak
// memory: max RSS of the process (/usr/bin/time -v) natively and for node, and the wasm
// module's heap (its linear memory) for wasm.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILD = process.env.SUPERPOSE_BUILD || 'build/bench';
const NATIVE = path.resolve(REPO, BUILD, 'native');
const WASM = path.resolve(REPO, BUILD, 'wasm');
const NODE_FLAGS = ['--no-experimental-fetch', '--stack-size=4000'];

// ---- arguments ------------------------------------------------------------------------------
const USAGE = 'usage: ./scripts/bench [--only W1,W2,W3,K1] [--targets native,wasm,browser] [--peers] [--json FILE] [--repeats N] [--no-build]';
const opt = { only: ['W1', 'W2', 'W3', 'K1'], targets: ['native', 'wasm', 'browser'], peers: false, json: null, repeats: 3, build: true };
{
  const a = process.argv.slice(2);
  const list = (v, allowed, flag) => {
    const out = String(v || '').split(',').map((s) => s.trim()).filter(Boolean);
    for (const x of out) if (!allowed.includes(x)) fail(`${flag}: unknown '${x}' (one of ${allowed.join(', ')})`);
    if (!out.length) fail(`${flag} needs a value`);
    return out;
  };
  for (let i = 0; i < a.length; ++i) {
    if (a[i] === '--only') opt.only = list(a[++i], ['W1', 'W2', 'W3', 'K1'], '--only');
    else if (a[i] === '--targets') opt.targets = list(a[++i], ['native', 'wasm', 'browser'], '--targets');
    else if (a[i] === '--peers') opt.peers = true;
    else if (a[i] === '--json' && a[i + 1]) opt.json = a[++i];
    else if (a[i] === '--repeats' && Number(a[i + 1]) >= 1) opt.repeats = Math.floor(Number(a[++i]));
    else if (a[i] === '--no-build') opt.build = false;
    else if (a[i] === '--help' || a[i] === '-h') { console.log(USAGE); process.exit(0); }
    else fail(`unknown argument '${a[i]}'`);
  }
}
function fail(msg) { console.error(`scripts/bench: ${msg}\n${USAGE}`); process.exit(2); }

const notes = [];  // what could not be measured, and why: printed and written to the JSON
const note = (s) => { notes.push(s); console.error(`note: ${s}`); };
const log = (s) => console.error(s);

// ---- machine --------------------------------------------------------------------------------
const loadavg = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
function machine() {
  const cpu = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) || [])[1] || os.cpus()[0]?.model;
  const flags = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/flags\s*:\s*(.*)/) || [])[1] || '';
  const osr = (fs.readFileSync('/etc/os-release', 'utf8').match(/PRETTY_NAME="(.*)"/) || [])[1];
  const emcc = spawnSync('emcc', ['--version'], { encoding: 'utf8' });
  return {
    cpu, cores: os.cpus().length, avx512: flags.includes('avx512f'), os: osr, kernel: os.release(),
    node: process.version, emcc: emcc.status === 0 ? emcc.stdout.split('\n')[0] : null,
    loadavg_start: loadavg(),
  };
}

// ---- running programs -----------------------------------------------------------------------
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
/** Run a command; returns {status, stdout, stderr, maxRssKiB, json (last JSON line of stdout)}. */
function run(cmd, args, { cwd = REPO, timeoutMs = 20 * 60 * 1000 } = {}) {
  const full = TIME ? [TIME, ['-v', cmd, ...args]] : [cmd, args];
  const r = spawnSync(full[0], full[1], { cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  const rss = TIME ? Number((r.stderr.match(/Maximum resident set size \(kbytes\): (\d+)/) || [])[1]) : NaN;
  let json = null;
  for (const line of (r.stdout || '').trim().split('\n').reverse()) {
    if (line.startsWith('{')) { try { json = JSON.parse(line); break; } catch { /* not JSON */ } }
  }
  let heap = null;
  const hm = (r.stderr || '').match(/\{"wasm_heap_bytes":(\d+|null)\}/);
  if (hm) heap = hm[1] === 'null' ? null : Number(hm[1]);
  return { status: r.status, stdout: r.stdout || '', stderr: r.stderr || '', error: r.error, maxRssKiB: rss, json, heap };
}
const median = (v) => { const s = [...v].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const tail = (s, n = 6) => s.trim().split('\n').filter((l) => !/^\s+(Command being timed|User time|System time|Percent|Elapsed|Average|Maximum|Major|Minor|Voluntary|Involuntary|Swaps|File system|Socket|Signals|Page size|Exit status)/.test(l)).slice(-n).join('\n');

// ---- build ----------------------------------------------------------------------------------
const programs = { W1: 'bench_toy', W2: 'bench_sae', W3: 'bench_lm', K1: 'bench_gemm' };
function build() {
  const need = [];
  if (opt.targets.includes('native')) need.push('native');
  if (opt.targets.includes('wasm') || opt.targets.includes('browser')) need.push('wasm');
  // The bench programs are not in the default build (CMakeLists.txt): build the ones we run.
  const benches = opt.only.map((w) => programs[w]).filter((p) => p && fs.existsSync(path.join(REPO, 'bench', `${p}.cpp`)));
  const firstError = (r) => (r.stderr || r.stdout || '').split('\n').filter((l) => /error/i.test(l))[0] || '';
  for (const what of need) {
    log(`building ${what} in ${BUILD} ...`);
    const dir = what === 'native' ? NATIVE : WASM;
    const r = spawnSync('./scripts/build', [what], {
      cwd: REPO, encoding: 'utf8', env: { ...process.env, SUPERPOSE_BUILD: BUILD }, maxBuffer: 64 << 20,
    });
    // A shared checkout can be mid-edit elsewhere: if the full build fails, build just the
    // programs we need (and the site for the browser), then go on with whatever exists.
    const targets = [...benches];
    if (r.status !== 0 && what === 'wasm' && opt.targets.includes('browser')) targets.push('site');
    const r2 = targets.length ? spawnSync('cmake', ['--build', dir, '-j', '2', '--target', ...targets], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 << 20 }) : { status: 0 };
    if (r.status !== 0) {
      note(`the full ${what} build failed (${firstError(r) || 'see ./scripts/build'}); ` +
        `built only ${targets.join(', ')}: ${r2.status === 0 ? 'ok' : 'also failed, using what is already there'}`);
    } else if (r2.status !== 0) {
      note(`building ${targets.join(', ')} (${what}) failed: ${firstError(r2)}`);
    }
  }
}

// ---- the Superpose workloads ----------------------------------------------------------------
const results = [];
function benchProgram(workload, target) {
  const name = programs[workload];
  if (!fs.existsSync(path.join(REPO, 'bench', `${name}.cpp`))) {
    note(`${workload}: bench/${name}.cpp does not exist yet${workload === 'W2' ? " (the SAE engineer's, issue 5)" : ''}; not measured`);
    return null;
  }
  const exe = target === 'native' ? path.join(NATIVE, name) : path.join(WASM, `${name}.js`);
  if (!fs.existsSync(exe)) { note(`${workload} ${target}: ${path.relative(REPO, exe)} was not built; not measured`); return null; }
  const extra = workload === 'W1' ? ['--optimizer', 'adamw'] : [];
  const cmd = target === 'native' ? [exe, [...extra, '--json']]
    : ['node', [...NODE_FLAGS, path.join(REPO, 'bench/wasm_run.cjs'), exe, ...extra, '--json']];
  const runs = [];
  for (let i = 0; i < opt.repeats; ++i) {
    log(`  ${workload} ${target} run ${i + 1}/${opt.repeats}: ${path.relative(REPO, exe)} ${[...extra, '--json'].join(' ')}`);
    const r = run(cmd[0], cmd[1]);
    if (r.status !== 0 || !r.json) { note(`${workload} ${target}: run failed (exit ${r.status}): ${tail(r.stderr || r.stdout, 3)}`); return null; }
    runs.push(r);
  }
  return runs;
}

function measureW(workload, target) {
  const runs = benchProgram(workload, target);
  if (!runs) return;
  const js = runs.map((r) => r.json);
  const sps = js.map((j) => j.steps_per_second);
  const med = js[sps.indexOf(median(sps))];
  const q = {};
  for (const k of ['loss_after', 'data_fraction', 'l0', 'L0', 'fve', 'FVE', 'mmcs', 'MMCS', 'steps_to_mmcs_0_9', 'seconds_to_mmcs_0_9']) if (k in med) q[k.toLowerCase()] = med[k];
  if (med.metrics) for (const k of ['l0', 'fve', 'mmcs']) if (k in med.metrics) q[k] = med.metrics[k];
  // W3: tokens/s and where a step's time goes (bench_lm; the median run's split).
  for (const k of ['tokens_per_second', 'forward_ms', 'backward_ms', 'update_ms']) if (k in med) q[k] = med[k];
  results.push({
    workload: med.workload || workload, target, simd: med.simd, steps_per_second: median(sps),
    runs: sps, ...q, steps_trained: med.steps_trained,
    peak_rss_mib: +(Math.max(...runs.map((r) => r.maxRssKiB)) / 1024).toFixed(1),
    ...(target === 'wasm' ? { wasm_heap_mib: runs[0].heap ? +(runs[0].heap / 1048576).toFixed(1) : null } : {}),
  });
}

function measureK1(target) {
  const runs = benchProgram('K1', target);
  if (!runs) return;
  const shapes = runs[0].json.shapes.map((s) => s.shape);
  for (const shape of shapes) {
    const per = runs.map((r) => r.json.shapes.find((s) => s.shape === shape));
    const g = per.map((s) => s.gflops);
    results.push({
      workload: 'K1 gemm', shape, target, simd: runs[0].json.simd, gflops: median(g), runs: g,
      of_peak: median(per.map((s) => s.of_peak)), peak_gflops: median(per.map((s) => s.peak_gflops)),
      peak_kind: runs[0].json.peak_kind, eigen_gflops: median(per.map((s) => s.eigen_gflops)),
      max_rel_err: Math.max(...per.map((s) => s.max_rel_err)),
      peak_rss_mib: +(Math.max(...runs.map((r) => r.maxRssKiB)) / 1024).toFixed(1),
      ...(target === 'wasm' ? { wasm_heap_mib: runs[0].heap ? +(runs[0].heap / 1048576).toFixed(1) : null } : {}),
    });
  }
}

function measureBrowser() {
  const site = path.join(WASM, 'site');
  if (opt.only.includes('W3')) note('browser W3: not measured (bench/browser.mjs drives the toy and SAE pages only; lm.html is not wired to it yet)');
  if (!opt.only.includes('W1') && !opt.only.includes('W2')) return;
  if (!fs.existsSync(path.join(site, 'index.html')) || !fs.existsSync(path.join(site, 'lab.wasm'))) {
    note(`browser: ${path.relative(REPO, site)} has no built page (index.html + lab.wasm); not measured`);
    return;
  }
  log('  browser: headless Chromium on the page');
  const only = opt.only.filter((w) => w === 'W1' || w === 'W2').join(',');
  const r = run('node', [path.join(REPO, 'bench/browser.mjs'), '--site', site, '--only', only, '--workers', '1,all', '--json'], { timeoutMs: 10 * 60 * 1000 });
  if (r.status !== 0 || !r.json) { note(`browser: the harness failed (exit ${r.status}): ${tail(r.stderr || r.stdout, 4)}`); return; }
  for (const n of r.json.notes || []) note(`browser: ${n}`);
  for (const res of r.json.results || []) {
    // one row per worker count (bench/browser.mjs --workers 1,all: the page's worker pool)
    const target = `browser, ${res.workers} worker${res.workers === 1 ? '' : 's'}`;
    if (opt.only.includes(res.workload.split(' ')[0])) results.push({ ...res, target, harness_peak_rss_mib: +(r.maxRssKiB / 1024).toFixed(1) });
  }
}

// ---- peers ----------------------------------------------------------------------------------
const peers = [];
function ensureTorch() {
  const have = (p) => spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout.includes('install ok installed');
  const missing = ['python3-torch', 'libopenblas0-pthread'].filter((p) => !have(p));
  if (!missing.length) return true;
  log(`installing ${missing.join(' ')} (apt) for the PyTorch peer ...`);
  const root = process.getuid && process.getuid() === 0;
  const apt = (...args) => spawnSync(root ? 'apt-get' : 'sudo', root ? args : ['apt-get', ...args],
    { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, encoding: 'utf8' });
  let r = apt('install', '-y', '-qq', ...missing);
  if (r.status !== 0) { apt('update', '-qq'); r = apt('install', '-y', '-qq', ...missing); }
  if (r.status !== 0) { note(`PyTorch peer: could not install ${missing.join(' ')} (${tail(r.stderr, 1)}); not measured`); return false; }
  return true;
}
function ensureTfjs() {
  const ok = () => fs.existsSync(path.join(REPO, 'node_modules/@tensorflow/tfjs/package.json')) &&
    fs.existsSync(path.join(REPO, 'node_modules/@tensorflow/tfjs-backend-wasm/package.json'));
  if (ok()) return true;
  log('installing the npm devDependencies (npm ci) for the TF.js peer ...');
  spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: REPO, encoding: 'utf8' });
  if (!ok()) { note('TF.js peer: @tensorflow/tfjs(-backend-wasm) not installed and npm ci failed; not measured'); return false; }
  return true;
}
// Steps of the peers: PyTorch trains as many steps as bench_toy (400 warm-up + 5 x 400) and
// bench_sae (500 warm-up + 5 x 500, the W2 recipe's 3000) so the quality compares at equal
// steps; TF.js is ~100x slower and trains fewer (its quality is then reported with its own
// step count).
// Debian's python (python3-torch lives there), not a pyenv or venv python that may shadow it.
const PY = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const PEERS = {
  W1: [
    { peer: 'pytorch-cpu', cmd: [PY, ['bench/peers/torch_w1.py', '--json']], ensure: ensureTorch },
    { peer: 'tfjs-wasm', cmd: ['node', ['bench/peers/tfjs_w1.mjs', '--warmup', '100', '--steps', '100', '--runs', '3', '--json']], ensure: ensureTfjs },
  ],
  W2: [
    { peer: 'pytorch-cpu', cmd: [PY, ['bench/peers/torch_w2.py', '--json']], ensure: ensureTorch },
    { peer: 'tfjs-wasm', cmd: ['node', ['bench/peers/tfjs_w2.mjs', '--warmup', '10', '--steps', '10', '--runs', '3', '--json']], ensure: ensureTfjs },
  ],
  // The same 20 warm-up + 5 x 100 steps as bench_lm (torch_w3.py's defaults).
  W3: [{ peer: 'pytorch-cpu', cmd: [PY, ['bench/peers/torch_w3.py', '--json']], ensure: ensureTorch }],
};
function measurePeers() {
  for (const w of ['W1', 'W2', 'W3']) {
    if (!opt.only.includes(w)) continue;
    for (const p of PEERS[w]) {
      if (!p.ensure()) continue;
      log(`  peer ${p.peer} ${w}: ${p.cmd[0]} ${p.cmd[1].join(' ')}`);
      const r = run(p.cmd[0], p.cmd[1]);
      if (r.status !== 0 || !r.json) { note(`${w} ${p.peer}: failed (exit ${r.status}): ${tail(r.stderr || r.stdout, 3)}`); continue; }
      if (r.json.blas && r.json.blas.library !== 'openblas') {
        note(`${w} ${p.peer}: torch is NOT running on OpenBLAS (${JSON.stringify(r.json.blas)}): an unfair peer`);
      }
      peers.push({ ...r.json, peak_rss_mib: +(r.maxRssKiB / 1024).toFixed(1) });
    }
  }
}

// ---- ratios and the table -------------------------------------------------------------------
function ratios() {
  const out = [];
  for (const res of results) {
    if (!res.steps_per_second) continue;
    for (const p of peers) {
      if (p.workload !== res.workload) continue;
      out.push({ workload: res.workload, target: res.target, peer: p.peer, ratio: +(res.steps_per_second / p.steps_per_second).toFixed(2) });
    }
  }
  return out;
}

function fmt(x, d = 1) { return x === undefined || x === null || Number.isNaN(x) ? '' : (typeof x === 'number' ? x.toFixed(d) : String(x)); }
function table(rows, cols) {
  const w = cols.map((c) => Math.max(c[0].length, ...rows.map((r) => String(c[1](r)).length)));
  const line = (cells) => '| ' + cells.map((s, i) => String(s).padEnd(w[i])).join(' | ') + ' |';
  return [line(cols.map((c) => c[0])), '|' + w.map((n) => '-'.repeat(n + 2)).join('|') + '|', ...rows.map((r) => line(cols.map((c) => c[1](r))))].join('\n');
}

// ---- main -----------------------------------------------------------------------------------
const m = machine();
log(`machine: ${m.cpu}, ${m.cores} cores, load ${m.loadavg_start.join(' ')}`);
if (opt.build) build();
for (const target of opt.targets.filter((t) => t !== 'browser')) {
  if (opt.only.includes('K1')) measureK1(target);
  for (const w of ['W1', 'W2', 'W3']) if (opt.only.includes(w)) measureW(w, target);
}
if (opt.targets.includes('browser')) measureBrowser();
if (opt.peers) measurePeers();
else note('peers not run (pass --peers: PyTorch CPU via apt python3-torch + libopenblas0-pthread, TF.js wasm via npm)');
const rat = ratios();
m.loadavg_end = loadavg();

const speed = results.filter((r) => r.steps_per_second);
const quality = (r) => [r.loss_after !== undefined ? `loss ${fmt(r.loss_after, 4)}` : '', r.l0 !== undefined ? `L0 ${fmt(r.l0, 2)}` : '',
  r.fve !== undefined ? `FVE ${fmt(r.fve, 3)}` : '', r.mmcs !== undefined ? `MMCS ${fmt(r.mmcs, 3)}` : '',
  r.data_fraction !== undefined ? `data ${fmt(100 * r.data_fraction, 0)}% of a step` : ''].filter(Boolean).join(', ');
// W2: when MMCS first reached 0.9 (bench_sae and torch_w2 check every 50 steps, untimed).
const toTarget = (r) => !('steps_to_mmcs_0_9' in r) ? '' : r.steps_to_mmcs_0_9 === null ? 'not reached'
  : `step ${r.steps_to_mmcs_0_9}, ${fmt(r.seconds_to_mmcs_0_9, 2)} s`;
const out = [];
out.push(`Superpose benchmark, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${m.cpu} (${m.cores} cores${m.avx512 ? ', AVX-512' : ''}), ` +
  `load ${m.loadavg_start.join(' ')} -> ${m.loadavg_end.join(' ')}`);
if (speed.length || peers.length) {
  out.push('', table([...speed, ...peers.map((p) => ({ ...p, target: p.peer }))], [
    ['workload', (r) => r.workload], ['target', (r) => r.target], ['steps/s', (r) => fmt(r.steps_per_second, 1)],
    ['quality', (r) => quality(r) + (r.steps_trained ? ` @${r.steps_trained} steps` : '')],
    ['MMCS 0.9 at', toTarget],
    ['tokens/s', (r) => fmt(r.tokens_per_second, 0)],
    ['forward / backward / AdamW', (r) => r.forward_ms !== undefined ? `${fmt(r.forward_ms, 2)} / ${fmt(r.backward_ms, 2)} / ${fmt(r.update_ms, 2)} ms` : ''],
    ['peak memory', (r) => r.peak_rss_mib ? `${fmt(r.peak_rss_mib)} MiB RSS` + (r.wasm_heap_mib ? `, heap ${fmt(r.wasm_heap_mib)} MiB` : '')
      : r.renderer_peak_rss_mib ? `${fmt(r.renderer_peak_rss_mib)} MiB renderer RSS` : ''],
    ['page', (r) => r.target.startsWith('browser') ? [r.first_frame_ms !== undefined ? `first frame ${fmt(r.first_frame_ms, 0)} ms` : '',
      r.long_tasks ? `longest task ${fmt(r.longest_task_ms, 0)} ms` : 'no task over 50 ms', `heartbeat gap ${fmt(r.max_main_thread_gap_ms, 0)} ms`,
      r.worker_cores !== undefined ? `cores: workers ${fmt(r.worker_cores, 2)}, other threads ${fmt(r.other_thread_cores, 2)}` : '',
      `${fmt(r.transfer_gzip_kib, 0)} KiB gz`].filter(Boolean).join(', ') : ''],
  ]));
}
const k1 = results.filter((r) => r.gflops);
if (k1.length) {
  out.push('', table(k1, [
    ['K1 gemm', (r) => r.shape], ['target', (r) => `${r.target} (${r.simd})`], ['GFLOP/s', (r) => fmt(r.gflops)],
    ['peak (same run)', (r) => `${fmt(r.peak_gflops)} ${r.peak_kind}`], ['of peak', (r) => `${fmt(100 * r.of_peak, 0)}%`],
    ['Eigen', (r) => fmt(r.eigen_gflops)], ['vs Eigen', (r) => `${fmt(r.gflops / r.eigen_gflops, 2)}x`],
  ]));
}
if (rat.length) out.push('', table(rat, [['ratio', (r) => r.workload], ['Superpose target', (r) => r.target], ['peer', (r) => r.peer], ['Superpose / peer', (r) => `${fmt(r.ratio, 2)}x`]]));
if (notes.length) out.push('', 'notes:', ...notes.map((n) => `- ${n}`));
console.log(out.join('\n'));

if (opt.json) {
  const doc = { machine: m, date: new Date().toISOString(), options: opt, results, peers, ratios: rat, notes };
  fs.writeFileSync(path.resolve(process.cwd(), opt.json), JSON.stringify(doc, null, 2) + '\n');
  log(`wrote ${opt.json}`);
}
