// views/token-contexts.js: windows of text with every token shaded by one latent's activation, as
// the feature browsers draw them (Bricken et al. 2023, "Towards Monosemanticity", feature
// browser; SAEDashboard): one row per context, the token the context was chosen at outlined, its
// activation at the row's end, white = 0 and full orange = the latent's max activation.
// Dumb view: constructor(parent), update({rows: [{tokens: [text], acts: [number], at, value,
// title}], max}), reset(). Builds its elements once per shape and then rewrites text and colours;
// every token reaches the DOM as textContent.
const shade = (a, max) => {
  const x = max > 0 ? Math.max(0, Math.min(1, a / max)) : 0;
  return x <= 0 ? '' : `rgba(247, 103, 7, ${(0.08 + 0.72 * x).toFixed(3)})`;
};

export class TokenContextsView {
  constructor(parent) {
    this.root = document.createElement('div');
    this.root.className = 'token-contexts';
    parent.appendChild(this.root);
  }

  reset() { this.root.replaceChildren(); }

  update({ rows, max }) {
    const root = this.root;
    while (root.children.length > rows.length) root.lastChild.remove();
    rows.forEach((r, i) => {
      let row = root.children[i];
      if (!row) {
        row = document.createElement('div');
        row.className = 'context-row';
        row.appendChild(document.createElement('span')).className = 'context-tokens';
        row.appendChild(document.createElement('span')).className = 'context-value';
        root.appendChild(row);
      }
      const toks = row.firstChild;
      while (toks.children.length > r.tokens.length) toks.lastChild.remove();
      while (toks.children.length < r.tokens.length) toks.appendChild(document.createElement('span'));
      r.tokens.forEach((t, j) => {
        const s = toks.children[j];
        if (s.textContent !== t) s.textContent = t;
        s.style.background = shade(r.acts[j], max);
        s.className = j === r.at ? 'tok at' : 'tok';
        s.title = `${t}: ${r.acts[j].toFixed(2)}`;
      });
      row.lastChild.textContent = r.value.toFixed(2);
      row.title = r.title || '';
    });
  }
}
