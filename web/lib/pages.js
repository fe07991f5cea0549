// pages.js: the one registry of the site's pages (issue 13). Each experiment page's name, the
// file it is served as (CMakeLists.txt `site`: at the site root), its title, a one-line
// description, and how it is embedded. Read by each page's head (page-shell.js, at site build),
// the nav of every page (nav.js), the embed kit
// (embed-kit.js: which experiments `embed.html#experiment=` opens), the course notes
// (examples/course-notes.html lists the labs), the export menus (export/page-export.js: the
// page's name in file names), and tests/web/unit/pages.test.mjs, which fails when the README's
// page table says something else.
// What it is not: no DOM and no page logic (node's test runner imports it as is).

/**
 * The experiment pages, in the nav's order. title: the nav's words and the page's <title> (after
 * "Superpose · "); summary: its <meta name="description"> (page-shell.js fills both in at site
 * build); description: the README's. embed: the URL that shows the page compact in an <iframe>
 * (the toy lab has its own embed.html; every other page embeds itself with `embed=1`, embed-kit.js).
 */
export const PAGES = [
  { name: 'toy', file: 'index.html', title: 'toy models of superposition', embed: 'embed.html',
    summary: 'Train the toy models of Elhage et al. (2022) in your browser and watch superposition form.',
    description: 'WᵀW, feature norms coloured by interference, 2-D feature arrows, dimensionality and the sticky fractions, neuron view, loss; presets for the paper\'s figures' },
  { name: 'suppression', file: 'suppression.html', title: 'feature suppression', embed: 'suppression.html#embed=1',
    summary: 'Why sparse autoencoders shrink their features (a = 1 − c/2), trained live in your browser, and two fixes: a scale vector and the gated encoder.',
    description: "the trained activation on the analytic curve a = 1 − c/2, transfer curves for no fix / scale vector / gated encoder; with several co-active features, the trained optimum beside one latent per feature's 1 − c·n/2 (not the optimum: latents that mix co-occurring features pay less L1) and the exact losses that decide" },
  { name: 'sae', file: 'sae.html', title: 'sparse autoencoders', embed: 'sae.html#embed=1',
    summary: 'ReLU, Gated, JumpReLU, TopK, BatchTopK and Matryoshka sparse autoencoders trained live in your browser on data whose true features are known.',
    description: 'ReLU, Gated, JumpReLU, TopK, BatchTopK and Matryoshka side by side on data with known features: L0, FVE, dead latents, density, MMCS; ARENA\'s toy setup (5 features in 2 dims): dead latents without resampling, 5/5 features with it; save an SAE as a SAELens folder (.zip) and load one back to measure it' },
  { name: 'steer', file: 'steer.html', title: 'steer & ablate', embed: 'steer.html#embed=1',
    summary: 'Steer a toy model\'s hidden state along SAE latents and ablate latents or hidden units, live in your browser.',
    description: 'a strength slider along a latent, feature or hidden unit; outputs before/after; the effects heatmap; the SAE trained (TopK, ReLU, Gated, JumpReLU, BatchTopK), hand-built, or a loaded SAELens file; dead latents marked' },
  { name: 'grok', file: 'grok.html', title: 'grokking', embed: 'grok.html#embed=1',
    summary: 'Modular addition that memorises, then generalises: grokking trained live in your browser, with the Fourier features it discovers and the residual stream\'s paths.',
    description: 'modular addition memorises, then generalises; accuracy on a log-epoch axis, weight norm, Fourier spectrum, residual-stream paths and their ablation' },
  { name: 'lm', file: 'lm.html', title: 'language model', embed: 'lm.html#embed=1',
    summary: 'A tiny transformer language model trained live in your browser: its attention heads, its residual stream read with the logit lens, direct logit attribution and ablation.',
    description: "a tiny transformer trained live on a toy world or your text: loss, next-token distribution, greedy and sampled continuations, every head's attention, the residual stream with the logit lens, direct logit attribution, head and MLP ablation, the temperature probe; save the model as safetensors; then a sparse autoencoder on its residual stream: latents labelled by the toy world's ground truth, each latent's dashboard, steering along it (hot becomes cold), latent ablation, SAELens save and load" },
];

/** The site's other pages: not experiments, not in the nav (the README's table lists them too). */
export const OTHER_PAGES = [
  { name: 'course-notes', file: 'examples/course-notes.html', title: 'course notes',
    description: 'three live demos embedded between paragraphs of text' },
  { name: 'embed', file: 'embed.html', title: 'embed',
    description: 'one experiment, compact, for an `<iframe>` in course notes (`docs/embedding.md`)' },
];

const byName = new Map(PAGES.map((p) => [p.name, p]));

/** The experiment page called `name`, or null. */
export const pageNamed = (name) => (byName.has(name) ? byName.get(name) : null);

/** The experiment page served at a URL path (`/sae.html`, `/`: the toy lab), or null. */
export function pageAt(pathname) {
  const file = String(pathname || '').split('/').pop() || 'index.html';
  return PAGES.find((p) => p.file === file) || null;
}
