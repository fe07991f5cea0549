// toolbar.js: the toolbar every experiment page shares (issue 13): play/pause, step, reset, the
// status (step N / total, the speed and the time left, a word on where the run stands), copy link
// and save all (.zip). Its HTML is the page shell's (lib/page-shell.js BAR and BAR_END, filled in at
// site build); page-boot.js's startPage makes one Toolbar per page and wires it to the page's
// worker client (client.js, or the pool of pool.js: the same interface) through the frame every
// experiment kind sends ({step, totalSteps, running, done, stepsPerSec}, protocol.js), so the
// buttons act the same on every page:
//   play     starts training; while training it pauses; once the run is complete it trains again
//            from step 0 (reset, then play);
//   step     pauses and trains one chunk (the page's `chunk` steps: 1 on the toy page);
//   reset    stops at step 0 with the same seed (the page may do its own reset: the sae page
//            trains its own SAEs again after a loaded SAELens file);
//   space    play/pause, unless a control has the keyboard;
//   save all every shown panel's save-menu files (export.js panelFiles) and the page's own data
//            (the `files` option) in one stored .zip, built and started inside the click.
// What it is not: no experiment logic and no drawing beyond its own labels. A page says what is its
// own through the options (chunk, unit, status, cannot, reset, stem, files) and listens to
// play, pause and reset with on(name, f) (to keep or clear its histories).
import { showRunTime, groupThousands } from './run-time.js';
import { download, panelFiles } from '../export/export.js';
import { zipStore } from '../export/zip.js';

const $ = (id) => document.getElementById(id);

/** A key press that belongs to a control (typing, a slider, a focused button), not the page. */
const controlHasKeys = (t) => t instanceof HTMLInputElement || t instanceof HTMLSelectElement
  || t instanceof HTMLTextAreaElement || t instanceof HTMLButtonElement || (t && t.isContentEditable);

export class Toolbar {
  /**
   * page: {S, client, showError} (page-boot.js). options:
   *   chunk    steps one "step" click trains (default 1)
   *   unit     what a step is called ('step'; grok: 'epoch')
   *   status(frame, word) → the status text (default: word: training…, paused, trained (N steps))
   *   cannot(frame) → {play, step}: why a button cannot apply now (it is disabled, its title says
   *            why); a missing reason: it can
   *   reset()  the page's own reset (default: the client's)
   *   stem()   the .zip's file name without .zip
   *   files()  the page's own files for the .zip ([{name, bytes}])
   */
  constructor({ S, client, showError }, options = {}) {
    this.S = S;
    this.client = client;
    this.showError = showError;
    this.options = { chunk: 1, unit: 'step', ...options };
    S.pausing = false;  // a pause asked for shows at once (S.pausing: tests read it)
    this.listeners = { play: [], pause: [], reset: [] };
    client.onFrame(() => this.update());
    client.onError(() => { S.running = false; this.update(); });
    this.wire();
    this.update();
  }

  /** Change options after the page has made what they need (e.g. its reset). */
  set(options) { Object.assign(this.options, options); this.update(); }

  /** f() runs when the toolbar plays, pauses (a step pauses too) or resets. */
  on(name, f) { this.listeners[name].push(f); }

  emit(name) { for (const f of this.listeners[name]) f(); }

  wire() {
    const on = (id, f) => { const e = $(id); if (e) e.addEventListener('click', f); };
    on('play', () => this.togglePlay());
    on('step', () => this.stepOnce());
    on('reset', () => this.reset().catch((e) => this.showError(e.message)));
    on('copy-link', () => this.copyLink());
    on('save-all', () => this.saveAll());
    document.addEventListener('keydown', (e) => {
      if (e.key !== ' ' || e.repeat || controlHasKeys(e.target) || !$('play') || $('play').disabled) return;
      e.preventDefault();
      this.togglePlay();
    });
    const step = $('step');
    if (step) {
      const n = this.options.chunk;
      step.textContent = `step +${n}`;
      step.title = `train ${n} ${this.unitName(n)}, then stop`;
    }
    const unit = $('step-unit');
    if (unit) unit.textContent = this.options.unit;
    // On a phone the run controls sit fixed at the screen's bottom edge (lib/style.css): the page
    // ends that much lower, so its last lines can be scrolled out from under them.
    const run = document.querySelector('.bar .run');
    if (run && typeof ResizeObserver === 'function') {
      const pad = () => {
        const h = getComputedStyle(run).position === 'fixed' ? `${Math.ceil(run.getBoundingClientRect().height) + 8}px` : '';
        if (document.body.style.paddingBottom !== h) document.body.style.paddingBottom = h;
      };
      new ResizeObserver(pad).observe(run);
      window.addEventListener('resize', pad);
    }
  }

  unitName(n) { return n === 1 ? this.options.unit : `${this.options.unit}s`; }

  togglePlay() {
    return this.S.running ? this.stopWith(() => this.client.pause()) : this.play();
  }

  stepOnce() {
    return this.stopWith(() => this.client.step(this.options.chunk));
  }

  /** Stop with the worker's pause or step: the button shows it at once, and S.running turns
   * false once the worker's final frame (the model as paused) is the page's lastFrame (the
   * request resolves after that frame, protocol.js). */
  async stopWith(request) {
    const { S } = this;
    S.pausing = true;
    this.emit('pause');
    this.update();
    try {
      await request();
      S.running = false;
    } catch (e) {
      this.showError(e.message);
    }
    S.pausing = false;
    this.update();
  }

  /** Play; a complete run trains again from step 0. */
  async play() {
    const { S, client } = this;
    try {
      if (S.done) await this.reset();
      this.emit('play');
      S.running = true;
      S.done = false;
      this.update();
      await client.play();
    } catch (e) {
      this.showError(e.message);
    }
    this.update();
  }

  /** Back to step 0 (stopped), the page's listeners told first (their histories start again). */
  async reset() {
    const { S, client } = this;
    this.emit('reset');
    S.running = false;
    if (this.options.reset) await this.options.reset();
    else await client.reset();
    S.done = false;
    this.update();
  }

  async copyLink() {
    const b = $('copy-link');
    try { await navigator.clipboard.writeText(location.href); b.textContent = 'link copied'; } catch { b.textContent = 'copy the address bar'; }
    setTimeout(() => { b.textContent = 'copy link'; }, 1500);
  }

  /** The .zip's files: every shown panel's (their save menus) and the page's own. */
  files() {
    return [...panelFiles(document), ...(this.options.files ? this.options.files() : [])];
  }

  saveAll() {
    const b = $('save-all');
    const files = this.files();
    if (files.length === 0) { b.textContent = 'save all: nothing drawn yet'; return; }
    b.textContent = 'save all (.zip)';
    const stem = this.options.stem ? this.options.stem() : 'superpose';
    download(zipStore(files), `${stem}.zip`, 'application/zip');
  }

  /** The buttons' labels and the status, from the page's latest frame. */
  update() {
    const { S } = this;
    const f = S.lastFrame;
    const running = S.running && !this.S.pausing;
    const set = (id, t) => { const e = $(id); if (e && e.textContent !== t) e.textContent = t; };
    const play = $('play');
    if (play) {
      set('play', running ? '❚❚ pause' : (S.done ? '↻ train again' : '▶ play'));
      if (play.getAttribute('aria-pressed') !== String(running)) play.setAttribute('aria-pressed', String(running));
      play.classList.toggle('running', running);
    }
    if (!f) return;
    const why = (this.options.cannot && this.options.cannot(f)) || {};
    // (each property written only when it changes: a frame comes 20 times a second)
    const prop = (e, k, v) => { if (e && e[k] !== v) e[k] = v; };
    prop(play, 'disabled', !!why.play);
    prop(play, 'title', why.play || (S.done ? 'train again from step 0' : 'start or pause training (space)'));
    const step = $('step');
    const reason = why.step || (f.done ? 'the run is complete: reset (or play) to train again' : '');
    prop(step, 'disabled', !!reason);
    prop(step, 'title', reason || `train ${this.options.chunk} ${this.unitName(this.options.chunk)}, then stop`);
    set('step-count', String(f.step));
    set('step-total', f.totalSteps > 0 ? ` / ${groupThousands(f.totalSteps)}` : '');
    const prog = $('progress');
    prop(prog, 'max', Math.max(1, f.totalSteps));
    prop(prog, 'value', f.step);
    showRunTime($('speed'), f);
    const word = running ? 'training…'
      : f.done ? `trained (${f.step} ${this.unitName(f.step)})`
        : f.step > 0 ? 'paused' : `at ${this.options.unit} 0`;
    set('status', this.options.status ? this.options.status(f, word) : word);
  }
}
