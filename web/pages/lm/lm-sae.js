// lm-sae.js: the lm page's SAE panels (issue 16), drawn from a frame's buffers (docs/wasm-api.md,
// kind lm, the SAE stage): the SAE's metrics and its L0 / FVE history, the latent list (label
// match and frequency), the chosen latent's dashboard (top and quantile contexts shaded by its
// activation, histogram, promoted and suppressed tokens), steering before / after with greedy
// continuations, the latent's ablation, and the latents at each prompt token.
// What it is not: no state or session config (lm.js owns both; a click calls back `pick(latent)`);
// every token reaches the DOM as textContent.
import { XYPlotView } from '../../views/xyplot.js';
import { TokenContextsView } from '../../views/token-contexts.js';
import { updateBars, tokenText } from './lm-panels.js';

const $ = (id) => document.getElementById(id);
const FVE = '#2b8a3e';
const L0 = '#1971c2';

export class SaePanels {
  constructor({ pick }) {
    this.pick = pick;
    this.plot = new XYPlotView($('sae-plot'), { width: 420, height: 200, x: [0, 3000], y: [0, 1],
      xLabel: 'SAE step', yLabel: 'FVE · L0 / max L0', label: 'the SAE’s FVE and L0 against its step' });
    this.hist = new XYPlotView($('latent-hist'), { width: 300, height: 140, x: [0, 1], y: [0, 1],
      xLabel: 'activation', yLabel: 'tokens', label: 'the latent’s activation histogram' });
    this.top = new TokenContextsView($('top-contexts'));
    this.bands = new TokenContextsView($('band-contexts'));
    this.listKey = '';
  }

  reset() {
    this.plot.reset();
    this.hist.reset();
    this.top.reset();
    this.bands.reset();
    $('latent-list').replaceChildren();
    this.listKey = '';
  }

  /** Everything, from one frame (nothing until the SAE stage has collected its activations). */
  draw(f, b, c, state) {
    const on = Boolean(b.sae_metrics);
    for (const id of ['latents-panel', 'dashboard-panel', 'steer-panel', 'prompt-latents-panel']) $(id).hidden = !on;
    if (!on) {
      $('sae-metrics').textContent = c.sae_steps > 0
        ? `The SAE trains on the model's activations at ${c.sae_hook} once the model has finished its ${c.steps} steps.`
        : 'No SAE: set SAE steps above 0 to train one after the model.';
      return;
    }
    this.drawMetrics(f, b, c);
    this.drawList(b, c, state);
    this.drawDashboard(b, c);
    this.drawSteering(b, c, state);
    this.drawPromptLatents(b, c);
  }

  drawMetrics(f, b, c) {
    const [l0, fve, dead] = b.sae_metrics.data;
    const [score, kl] = b.sae_splice.data;
    const step = f.step - c.steps;
    $('sae-metrics').textContent = `SAE step ${Math.max(0, step)} / ${c.sae_steps}: L0 ${l0.toFixed(1)}, FVE ${fve.toFixed(3)}, ` +
      `dead ${(100 * dead).toFixed(1)}%, CE loss score ${score.toFixed(3)}, KL ${kl.toFixed(4)} nats`;
    const s = b.sae_history_step.data, hf = b.sae_history_fve.data, hl = b.sae_history_l0.data;
    let maxL0 = 1;
    for (const v of hl) if (Number.isFinite(v)) maxL0 = Math.max(maxL0, v);
    const fl = [], ll = [];
    for (let i = 0; i < s.length; i++) { fl.push(s[i], Math.max(0, hf[i])); ll.push(s[i], hl[i] / maxL0); }
    this.plot.setRange({ x: [0, Math.max(1, c.sae_steps)], y: [0, 1] });
    this.plot.update({ lines: [{ xy: fl, color: FVE, width: 2 }, { xy: ll, color: L0, width: 2 }],
      legend: [{ label: 'FVE', color: FVE }, { label: `L0 / ${maxL0.toFixed(0)}`, color: L0 }] });
  }

  drawList(b, c, state) {
    const list = b.latent_list.data;
    const L = b.latent_list.shape[0];
    const chosen = b.latent.data[0];
    const root = $('latent-list');
    const key = `${L}`;
    if (key !== this.listKey) {
      root.replaceChildren();
      for (let i = 0; i < L; i++) {
        const item = document.createElement('button');
        item.type = 'button';
        item.className = 'latent-item';
        item.setAttribute('role', 'option');
        item.addEventListener('click', () => this.pick(Number(item.dataset.latent)));
        root.appendChild(item);
      }
      this.listKey = key;
    }
    for (let i = 0; i < L; i++) {
      const [index, freq, , label, p, r] = list.subarray(6 * i, 6 * i + 6);
      const item = root.children[i];
      item.dataset.latent = String(index);
      const name = label >= 0 ? c.labels[label] : '–';
      const text = `#${index}  ${(100 * freq).toFixed(2)}%  ${name}${label >= 0 ? `  P ${p.toFixed(2)} R ${r.toFixed(2)}` : ''}`;
      if (item.textContent !== text) item.textContent = text;
      const sel = index === chosen;
      item.classList.toggle('selected', sel);
      item.setAttribute('aria-selected', sel ? 'true' : 'false');
    }
    $('order').value = state.order;
  }

  drawDashboard(b, c) {
    const latent = b.latent.data[0];
    const [freq, max, mean, label, p, r, width] = b.latent_stats.data;
    const name = label >= 0 ? c.labels[label] : null;
    $('dashboard-title').textContent = `Latent ${latent}${name ? ` = ${name}` : ''}`;
    $('latent-stats').textContent = `fires on ${(100 * freq).toFixed(2)}% of held-out tokens; max activation ${max.toFixed(2)}, mean when firing ${mean.toFixed(2)}` +
      (name ? `; best label ${name}: precision ${p.toFixed(2)}, recall ${r.toFixed(2)} (firing above a fifth of its max)` : c.labels.length ? '; matches no label' : '');
    const T = b.latent_context_tokens.shape[1];
    const meta = b.latent_context_meta.data;
    const tops = [], bands = [];
    for (let i = 0; i < b.latent_context_tokens.shape[0]; i++) {
      const toks = Array.from(b.latent_context_tokens.data.subarray(i * T, (i + 1) * T), (id) => tokenText(c, id));
      const acts = b.latent_context_acts.data.subarray(i * T, (i + 1) * T);
      const g = meta[3 * i];
      const row = { tokens: toks, acts, at: meta[3 * i + 1], value: meta[3 * i + 2] };
      if (g < 0) tops.push(row);
      else {
        const [lo, hi] = b.latent_bands.data.subarray(3 * g, 3 * g + 2);
        row.title = `band ${g + 1}: activations ${lo.toFixed(2)}–${hi.toFixed(2)}`;
        bands.push(row);
      }
    }
    this.top.update({ rows: tops, max });
    this.bands.update({ rows: bands, max });
    const h = b.latent_histogram.data;
    const xy = [];
    let top = 1;
    for (let i = 0; i < h.length; i++) { xy.push(i * width, h[i], (i + 1) * width, h[i]); top = Math.max(top, h[i]); }
    this.hist.setRange({ x: [0, Math.max(width * h.length, 1e-6)], y: [0, top * 1.05] });
    this.hist.update({ lines: [{ xy, color: '#f76707', width: 2 }] });
    const bars = (buf) => {
      const items = [];
      for (let i = 0; i < buf.shape[0]; i++) {
        const v = buf.data[2 * i + 1];
        items.push({ label: tokenText(c, buf.data[2 * i]), value: v, text: (v >= 0 ? '+' : '') + v.toFixed(2) });
      }
      return items;
    };
    updateBars($('promoted'), bars(b.latent_promoted), { signed: true });
    updateBars($('suppressed'), bars(b.latent_suppressed), { signed: true });
  }

  drawSteering(b, c, state) {
    const words = (ids) => Array.from(ids, (id) => tokenText(c, id)).join(c.tokenizer === 'word' ? ' ' : '');
    const top = (ids, probs) => Array.from(ids, (id) => ({ label: tokenText(c, id), value: probs[id], text: probs[id].toFixed(3) }));
    updateBars($('steer-before'), top(b.steer_top_before.data, b.steer_probs_before.data), { max: 1 });
    updateBars($('steer-after'), top(b.steer_top_after.data, b.steer_probs_after.data), { max: 1 });
    $('steer-text-before').textContent = words(b.steer_text_before.data);
    $('steer-text-after').textContent = words(b.steer_text_after.data);
    const scale = b.steer_scale.data[0];
    const what = state.dir === 'latent' ? `W_dec[:, ${b.latent.data[0]}] · ${scale.toFixed(2)} (its max activation)`
      : state.dir === 'means' ? 'the mean of prompts a minus that of prompts b at the last token'
        : `the unit vector e_${state.unit}`;
    const at = state.from < 0 ? 'the prompt’s last token' : `every position from ${state.from} on`;
    $('steer-explain').textContent = `Adds ${Number(state.strength).toFixed(1)} × ${what} to ${c.sae_hook} at ${at}.`;
    const [lossBefore, lossAfter, pBefore, pAfter, target] = b.latent_ablation.data;
    const t = tokenText(c, target);
    $('latent-ablation').textContent = `Latent ${b.latent.data[0]} set to ${state.lablat === 'mean' ? 'its mean' : 'zero'} through the SAE ` +
      `(its error term kept, so without ablation the model is unchanged): P(“${t}” | prompt) ${pBefore.toFixed(3)} → ${pAfter.toFixed(3)}; ` +
      `held-out loss ${lossBefore.toFixed(3)} → ${lossAfter.toFixed(3)} nats/token.`;
  }

  drawPromptLatents(b, c) {
    const table = $('prompt-latents');
    const [T, m] = b.prompt_latents.shape;
    const ids = b.prompt_latents.data, acts = b.prompt_latent_acts.data;
    const tokens = b.prompt_tokens.data;
    if (table.rows.length !== m + 1 || (table.rows[0] && table.rows[0].cells.length !== T + 1)) {
      table.replaceChildren();
      for (let r = 0; r <= m; r++) {
        const tr = table.insertRow();
        const th = document.createElement('th');
        th.className = r === 0 ? 'corner' : 'point';
        th.textContent = r === 0 ? 'token' : `#${r}`;
        tr.appendChild(th);
        for (let t = 0; t < T; t++) {
          if (r === 0) { const h = document.createElement('th'); h.className = 'pos'; tr.appendChild(h); }
          else {
            const td = tr.insertCell();
            td.className = 'latent-cell';
            td.addEventListener('click', () => { if (td.dataset.latent !== '') this.pick(Number(td.dataset.latent)); });
          }
        }
      }
    }
    for (let t = 0; t < T; t++) table.rows[0].cells[t + 1].textContent = tokenText(c, tokens[t]);
    for (let r = 1; r <= m; r++)
      for (let t = 0; t < T; t++) {
        const id = ids[t * m + r - 1];
        const td = table.rows[r].cells[t + 1];
        td.dataset.latent = id >= 0 ? String(id) : '';
        td.textContent = id >= 0 ? `${id} · ${acts[t * m + r - 1].toFixed(1)}` : '';
      }
  }
}
