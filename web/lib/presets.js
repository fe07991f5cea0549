// presets.js: one click to reproduce each of the paper's headline figures.
//
// What it is: a list of named partial states (the fields of state.js they set), each with one or
// two sentences for a newcomer and the formula the figure shows. A preset is applied over the
// defaults, and explicit hash keys override it (state.js parseHash).
// What it is not: no DOM here; no new physics (every preset is a plain `toy` config).
// Reference: Elhage et al. 2022, "Toy Models of Superposition": §2 intro figure (n=5, m=2),
// §3 (n=20, m=5, importance 0.7^i), §4 (phase diagram n=2, m=1), §5 (dimensionality and the
// sticky fractions), §6 (correlated features), §7–8 (privileged basis, neurons), §9 (abs).

export const PRESETS = [
  {
    id: 'intro',
    title: 'Sparsity makes superposition',
    // pMin 0.02: the sparsest instance ends as a pentagon for seeds 0–19 (20 of 20); at the
    // colab's 0.05, 4 of 20 seeds stop at the local minimum the blurb names (issue 14;
    // tests/unit/test_toy_presets.cpp trains this config, tests/web/unit/presets.test.mjs
    // checks that the two agree).
    blurb: 'Five features, two dimensions, importance 0.9^i, feature probability from 1 (left) down to 0.02 (right). Dense features: only the two most important get a dimension. As features get sparser, the model packs four as antipodal pairs, then all five as a pentagon. Less sparse, at p = 0.05, about one seed in five stops at a local minimum instead: two antipodal pairs and the fifth feature shrunk.',
    formula: 'x′ = ReLU(WᵀW x + b),  p = 50^(−i/(K−1))',
    state: { n: 5, m: 2, k: 6, pMax: 1, pMin: 0.02, pList: [], decay: 0.9, model: 'relu', corr: 'none',
      lr: 1e-3, batch: 1024, steps: 10000, schedule: 'constant', sel: 5 },
  },
  {
    id: 'pentagon',
    title: 'Pentagon: five features in 2-D',
    blurb: 'Five equally important, very sparse features share two dimensions. Training ends with five arrows of equal length 72° apart: each feature gets 2/5 of a dimension.',
    formula: 'D_i = ‖W_i‖² / Σ_j (Ŵ_i·W_j)² = 2/5',
    state: { n: 5, m: 2, k: 3, pList: [0.05, 0.03, 0.02], decay: 1, model: 'relu', corr: 'none',
      lr: 3e-3, batch: 1024, steps: 6000, schedule: 'cosine', sel: 0 },
  },
  {
    id: 'importance',
    title: 'Twenty features, five dimensions',
    blurb: 'Importance falls as 0.7^i. With dense features the model keeps the top five, orthogonal (a diagonal WᵀW, black bars). As sparsity rises, off-diagonal interference appears and more features get represented in superposition (yellow bars).',
    formula: '‖W_i‖ coloured by Σ_{j≠i} (Ŵ_i·W_j)²,  I_i = 0.7^i',
    state: { n: 20, m: 5, k: 6, pList: [1, 0.3, 0.1, 0.03, 0.01, 0.003], decay: 0.7, model: 'relu', corr: 'none',
      lr: 1e-3, batch: 1024, steps: 10000, schedule: 'constant', sel: 3 },
  },
  {
    id: 'phase',
    title: 'Phase change: two features, one dimension',
    blurb: 'The second feature matters half as much as the first. Dense: the hidden neuron stores feature 0 only. Sparse: both share it, pointing in opposite directions (an antipodal pair). Read the small multiples left to right: a phase change. (A model can also stall in a local minimum with feature 1 short and beside feature 0: try another seed.)',
    formula: 'h = W₀x₀ + W₁x₁,  I = (1, 0.5)',
    state: { n: 2, m: 1, k: 12, pMax: 1, pMin: 0.01, pList: [], decay: 0.5, model: 'relu', corr: 'none',
      lr: 3e-3, batch: 1024, steps: 6000, schedule: 'cosine', seed: 4, sel: 11 },
  },
  {
    id: 'dims',
    title: 'Dimensionality is sticky',
    blurb: 'Thirty equal features in ten dimensions across sparsities. Dimensions per feature m/‖W‖²_F falls as features get sparser, and each feature’s dimensionality D_i clusters on fractions: 1, 1/2 (digons), 2/5 (pentagons)…',
    formula: 'm / ‖W‖²_F  and  D_i = ‖W_i‖² / Σ_j (Ŵ_i·W_j)²',
    state: { n: 30, m: 10, k: 12, pMax: 1, pMin: 0.01, pList: [], decay: 1, model: 'relu', corr: 'none',
      lr: 3e-3, batch: 1024, steps: 8000, schedule: 'cosine', sel: 9 },
  },
  {
    id: 'correlated',
    title: 'Correlated features stay orthogonal',
    blurb: 'Features come in pairs that fire together. The model prefers to put correlated features on orthogonal directions (they would interfere every time) and packs the pairs against each other instead.',
    formula: 'x_{2j}, x_{2j+1} non-zero together with probability p',
    state: { n: 4, m: 2, k: 3, pList: [0.1, 0.05, 0.02], decay: 1, model: 'relu', corr: 'correlated',
      lr: 3e-3, batch: 1024, steps: 6000, schedule: 'cosine', sel: 1 },
  },
  {
    id: 'anticorrelated',
    title: 'Anticorrelated features go antipodal',
    blurb: 'Features come in pairs that never fire together. Such a pair can share one direction with opposite signs at no cost: the ReLU removes the negative interference.',
    formula: 'x_{2j}·x_{2j+1} = 0 always',
    state: { n: 4, m: 2, k: 3, pList: [0.3, 0.1, 0.05], decay: 1, model: 'relu', corr: 'anticorrelated',
      lr: 3e-3, batch: 1024, steps: 6000, schedule: 'cosine', sel: 1 },
  },
  {
    id: 'neurons',
    title: 'Neurons: monosemantic to polysemantic',
    blurb: 'A ReLU on the hidden layer makes its basis privileged. Each column in the neuron view is one hidden neuron, stacked with the weights of the features it reads. Dense: one feature per neuron. Sparse: neurons carry several features.',
    formula: 'x′ = ReLU(Wᵀ ReLU(W x) + b),  I_i = 0.75^i',
    state: { n: 10, m: 5, k: 6, pMax: 1, pMin: 0.01, pList: [], decay: 0.75, model: 'relu-hidden', corr: 'none',
      lr: 3e-3, batch: 1024, steps: 8000, schedule: 'cosine', sel: 5 },
  },
  {
    id: 'abs',
    title: 'Computing |x| in superposition',
    blurb: 'The model must output the absolute value of each feature, which takes two ReLU neurons per feature. When features are sparse it computes more of them than it has neuron pairs for.',
    formula: 'y = ReLU(W₂ ReLU(W₁ x) + b) ≈ |x|',
    state: { n: 10, m: 10, k: 4, pList: [1, 0.3, 0.1, 0.03], decay: 0.8, model: 'abs', corr: 'none',
      lr: 3e-3, batch: 1024, steps: 8000, schedule: 'cosine', sel: 3 },
  },
];
