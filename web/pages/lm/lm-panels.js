// lm-panels.js: the language-model page's HTML panels, drawn from a frame's buffers (docs/wasm-api.md,
// kind lm): bars (the next-token distribution, direct logit attribution, ablation effects), the
// prompt's token chips, the residual stream with the logit lens at the last position, the lens
// table (point × position), and the temperature probe's prompts right and wrong.
// Each function builds its elements once per shape and then only rewrites text and widths, so a
// frame costs a few hundred property writes, not a rebuild (the page stays responsive at 20 frames/s).
// What it is not: no canvas views (views/), no state; every token reaches the DOM as textContent.
// Reference: the logit lens (nostalgebraist 2020); direct logit attribution and the residual
// stream's picture (Elhage et al. 2021, "A Mathematical Framework for Transformer Circuits").

/** A token's display text (the session's vocab: words, or bytes as "␣", "\n", "<0xE2>"). */
export function tokenText(config, id) {
  const v = config && config.vocab;
  return v && id >= 0 && id < v.length ? v[id] : `#${id}`;
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

const setText = (e, t) => { if (e.textContent !== t) e.textContent = t; };

/**
 * Horizontal bars, one row per item {label, value, text}: a track with a fill of |value| / max
 * (signed: from the centre line, right for +, left for −; max = the largest |value| unless given).
 */
export function updateBars(root, items, { signed = false, max } = {}) {
  if (root.children.length !== items.length) {
    root.replaceChildren();
    for (let i = 0; i < items.length; i++) {
      const row = el('div', 'bar-row');
      const track = el('span', 'bar-track');
      track.appendChild(el('span', 'bar-fill'));
      row.append(el('span', 'bar-label'), track, el('span', 'bar-value'));
      root.appendChild(row);
    }
  }
  let m = max || 0;
  if (!max) for (const it of items) if (Number.isFinite(it.value)) m = Math.max(m, Math.abs(it.value));
  if (!(m > 0)) m = 1;
  items.forEach((it, i) => {
    const row = root.children[i];
    setText(row.children[0], it.label);
    setText(row.children[2], it.text);
    const fill = row.children[1].firstChild;
    const v = Number.isFinite(it.value) ? Math.max(-1, Math.min(1, it.value / m)) : 0;
    const width = `${(signed ? 50 : 100) * Math.abs(v)}%`;
    const left = signed ? `${v < 0 ? 50 + 50 * v : 50}%` : '0%';
    if (fill.style.width !== width) fill.style.width = width;
    if (fill.style.left !== left) fill.style.left = left;
    fill.classList.toggle('neg', v < 0);
  });
}

/** The prompt's tokens as chips, in order. */
export function updateChips(root, tokens) {
  while (root.children.length > tokens.length) root.lastChild.remove();
  while (root.children.length < tokens.length) root.appendChild(el('span', 'chip'));
  tokens.forEach((t, i) => setText(root.children[i], t));
}

// A stream point's name (TransformerLens: blocks.{l}.hook_resid_pre / _mid / _post) in words.
function pointName(hook) {
  const m = /^blocks\.(\d+)\.hook_resid_(pre|mid|post)$/.exec(hook);
  if (!m) return hook;
  return `${{ pre: 'before', mid: 'after attention,', post: 'after' }[m[2]]} block ${m[1]}`;
}

/**
 * The residual stream as the seed draws it, top to bottom: the tokens, the embeddings, then for
 * each block its attention and its MLP adding to the stream, the final LayerNorm and unembedding,
 * the logits; at every point of the stream (logit_lens_points) the logit lens' top prediction at
 * the last position and the target's probability there.
 */
export function updateStream(root, config, b, target) {
  const points = config.logit_lens_points;
  const [P, T, k] = b.logit_lens_top.shape;
  const key = `${points.join()}|${config.n_heads}`;
  if (root.dataset.key !== key) {
    root.dataset.key = key;
    root.replaceChildren();
    const step = (cls, text) => { const li = el('li', `stream-op ${cls}`, text); root.appendChild(li); return li; };
    step('tokens', 'tokens of the prompt');
    step('embed', 'embed: W_E[token] + W_pos[position]');
    points.forEach((hook, p) => {
      const li = el('li', 'stream-point');
      li.dataset.point = String(p);
      const name = el('span', 'point-name', pointName(hook));
      name.title = hook;
      const track = el('span', 'bar-track');
      track.appendChild(el('span', 'bar-fill'));
      li.append(name, el('span', 'point-top'), track, el('span', 'point-target'));
      root.appendChild(li);
      const m = /^blocks\.(\d+)\.hook_resid_(pre|mid)$/.exec(hook);
      if (m && m[2] === 'pre') step('attn', `+ attention, block ${m[1]} (${config.n_heads} heads)`);
      if (m && m[2] === 'mid') step('mlp', `+ MLP, block ${m[1]}`);
    });
    step('unembed', 'final LayerNorm, unembed W_Eᵀ → logits → next token');
  }
  const top = b.logit_lens_top.data, prob = b.logit_lens_prob.data, tgt = b.logit_lens_target.data;
  const last = T - 1;
  for (const li of root.querySelectorAll('.stream-point')) {
    const p = Number(li.dataset.point);
    if (p >= P) continue;
    const id = top[(p * T + last) * k];
    const q = prob[(p * T + last) * k];
    const pt = tgt[p * T + last];
    setText(li.children[1], `top “${tokenText(config, id)}” ${q.toFixed(2)}`);
    const width = `${100 * Math.max(0, Math.min(1, pt))}%`;
    const fill = li.children[2].firstChild;
    if (fill.style.width !== width) fill.style.width = width;
    setText(li.children[3], `P(“${target}”) ${pt.toFixed(3)}`);
  }
}

/** The logit lens as a table: a row per stream point, a column per prompt position, each cell the
 * top token there shaded by its probability. */
export function updateLensTable(table, config, b) {
  const [P, T, k] = b.logit_lens_top.shape;
  const tokens = Array.from(b.prompt_tokens.data, (id) => tokenText(config, id));
  const key = `${P}x${T}`;
  if (table.dataset.key !== key) {
    table.dataset.key = key;
    table.replaceChildren();
    const head = el('thead');
    const hr = el('tr');
    hr.appendChild(el('th', 'corner', 'point \\ token'));
    for (let t = 0; t < T; t++) hr.appendChild(el('th', 'pos'));
    head.appendChild(hr);
    const body = el('tbody');
    for (let p = 0; p < P; p++) {
      const tr = el('tr');
      const th = el('th', 'point', pointName(config.logit_lens_points[p] || String(p)));
      tr.appendChild(th);
      for (let t = 0; t < T; t++) tr.appendChild(el('td'));
      body.appendChild(tr);
    }
    table.append(head, body);
  }
  const hr = table.tHead.rows[0];
  for (let t = 0; t < T; t++) setText(hr.cells[t + 1], tokens[t]);
  const top = b.logit_lens_top.data, prob = b.logit_lens_prob.data;
  const rows = table.tBodies[0].rows;
  for (let p = 0; p < P; p++) {
    const cells = rows[p].cells;
    for (let t = 0; t < T; t++) {
      const i = (p * T + t) * k;
      const q = prob[i];
      const cell = cells[t + 1];
      setText(cell, tokenText(config, top[i]));
      // Shade: white (p 0) to a dark blue (p 1), white text over the darker half.
      const bg = `rgba(25, 95, 180, ${(0.85 * q).toFixed(2)})`;
      if (cell.style.backgroundColor !== bg) cell.style.backgroundColor = bg;
      cell.classList.toggle('dark', q > 0.5);
      cell.title = `${(100 * q).toFixed(1)}%`;
    }
  }
}

/** The temperature probe: one cell per prompt, "city, season → expected", right or wrong, and
 * P(expected). */
export function updateProbe(root, prompts, expected, correct, pExpected) {
  if (root.children.length !== prompts.length) {
    root.replaceChildren();
    prompts.forEach((prompt, i) => {
      const m = /^in (\w+) the weather in (\w+) is$/.exec(prompt);
      const cell = el('span', 'probe-cell');
      cell.title = `${prompt} → ${expected[i]}`;
      cell.append(el('span', 'mark'), el('span', 'what', m ? `${m[2]}, ${m[1]} → ${expected[i]}` : `${prompt} → ${expected[i]}`), el('span', 'p'));
      root.appendChild(cell);
    });
  }
  prompts.forEach((_, i) => {
    const cell = root.children[i];
    const ok = correct[i] === 1;
    cell.classList.toggle('right', ok);
    cell.classList.toggle('wrong', !ok);
    setText(cell.children[0], ok ? '✓' : '✗');
    setText(cell.children[2], pExpected[i].toFixed(2));
  });
}
