#!/usr/bin/python3
"""Peer benchmark (not a test): the hierarchical data of issue 17 and the BatchTopK and Matryoshka
BatchTopK SAEs in PyTorch on the CPU, one thread, written from the recipes (not translated from
the C++), so that numbers, not bits, can be compared with `superpose sae --data hierarchical`.

Data (src/sae/hierarchical_data.hpp; SynthSAEBench, arXiv 2602.14687): F true features in d dims;
feature i fires with marginal p_i = zipf_min + (zipf_max − zipf_min)((i+1)^-E − F^-E)/(1 − F^-E);
a forest "R,B,DEPTH" laid breadth-first (features 0..R−1 roots, each parent above DEPTH takes
the next B features as children); a child fires only with its parent and siblings exclude each
other (child j with probability p_j / max(p_parent, Σ_siblings p) given its parent); K + 1
contexts, one per sample, scale a root's or free feature's probability by 1 + s·e_ci (loadings
centred over the contexts, max |e| = 1); unit Gaussian directions pushed apart (60 passes at
most) toward a mean max |cos| of the overlap target (0.15 is not reached at 1,024 features in
128 dims: the JSON reports what was); coefficients |N(mean, std)|.

SAEs (arXiv 2503.17547; SAELens 6.x batchtopk_sae.py, matryoshka_batchtopk_sae.py): tied init
(W_enc = W_decᵀ, unit random decoder columns, b_dec = data mean), BatchTopK (the k·B largest
positive pre-activations of the batch), aux-k (α 1/32, 64 dead latents, dead after 500 steps
without firing), θ = EMA (0.99) of the batch's smallest kept value for inference, unit-norm
decoder (gradient projected, columns renormalised), Adam with warm-up (100) and cosine decay
to 0.1·lr; Matryoshka adds Σ over the prefixes of ‖x − x̂_{0:w}‖² (widths L/16, L/4 unless
--prefixes).

Metrics on held-out samples (SynthSAEBench's definitions; src/sae/ground_truth_metrics.hpp):
L0, FVE, MCC (Hungarian one-to-one matching of decoder columns and true features on |cos|, mean
|cos|), per-latent precision/recall/F1 of firing against its best true feature by |cos|, means
over all latents.

Prints one JSON line with --json: steps_per_second (training only), and the metrics per arch.
"""
import argparse
import json
import math
import time

import numpy as np
import torch


# ---- data ---------------------------------------------------------------------------------------
class Hierarchical:
    def __init__(self, a, gen):
        F, d, K = a.features, a.dim, a.correlation_rank
        self.F, self.d, self.K, self.s = F, d, K, a.correlation_strength
        self.mag = (a.magnitude_mean, a.magnitude_std)
        i = np.arange(F, dtype=np.float64)
        last = F ** -a.zipf_exponent
        self.p = a.zipf_min + (a.zipf_max - a.zipf_min) * ((i + 1) ** -a.zipf_exponent - last) / (1 - last)
        R, Bn, depth = (int(v) for v in a.hierarchy.split(","))
        self.parent = np.full(F, -1)
        self.children = [[] for _ in range(F)]
        level, nxt = list(range(min(R, F))), min(R, F)
        self.levels = []  # parents level by level (top-down)
        for _ in range(depth):
            below = []
            for par in level:
                for _ in range(Bn):
                    if nxt >= F:
                        break
                    self.parent[nxt] = par
                    self.children[par].append(nxt)
                    below.append(nxt)
                    nxt += 1
            self.levels.append([q for q in level if self.children[q]])
            level = below
        self.r = self.p.copy()
        for q in range(F):
            kids = self.children[q]
            if kids:
                tot = max(self.p[q], self.p[kids].sum())
                self.r[kids] = self.p[kids] / tot
        self.independent = torch.tensor(np.nonzero(self.parent < 0)[0])
        e = torch.randn(K + 1, F, generator=gen, dtype=torch.float64)
        if K > 0:
            e = e - e.mean(0, keepdim=True)
            e = e / e.abs().max(0, keepdim=True).values
        else:
            e = torch.zeros(1, F, dtype=torch.float64)
        pt = torch.tensor(self.p)
        self.q = (pt[None, :] * (1 + self.s * e)).clamp(0, 1).float()  # (K + 1, F)
        # Directions: unit Gaussian, then gradient steps on ½ Σ max(0, |cos| − 0.8 t)² until the
        # mean max |cos| ≤ t.
        U = torch.randn(d, F, generator=gen)
        U = U / U.norm(dim=0, keepdim=True)
        t = a.overlap
        for _ in range(60):
            G = U.T @ U
            G.fill_diagonal_(0)
            self.overlap = G.abs().max(0).values.mean().item()
            if self.overlap <= t:
                break
            M = (G.abs() - 0.8 * t).clamp(min=0) * G.sign()
            # Each column's push averaged over its offending pairs: a plain sum (hundreds of
            # pairs at 1,024 features in 128 dims) overshoots and collapses the directions.
            U = U - 0.5 * (U @ M) / (M != 0).sum(0).clamp(min=1)
            U = U / U.norm(dim=0, keepdim=True)
        G = U.T @ U
        G.fill_diagonal_(0)
        self.overlap = G.abs().max(0).values.mean().item()
        self.U = U  # (d, F)
        # Per level: parents (P,), their children padded (P, Bmax), cumulative r.
        self.level_tables = []
        for parents in self.levels:
            bmax = max(len(self.children[q]) for q in parents)
            kid = torch.zeros(len(parents), bmax, dtype=torch.long)
            cum = torch.full((len(parents), bmax), 2.0)
            for n, q in enumerate(parents):
                ks = self.children[q]
                kid[n, :len(ks)] = torch.tensor(ks)
                cum[n, :len(ks)] = torch.tensor(np.cumsum(self.r[ks]), dtype=torch.float32)
            self.level_tables.append((torch.tensor(parents), kid, cum))

    def sample(self, B, gen):
        """X (B, d) and the firing coefficients (B, F) (0: silent)."""
        ctx = torch.randint(0, self.K + 1, (B,), generator=gen)
        fires = torch.zeros(B, self.F, dtype=torch.bool)
        ind = self.independent
        fires[:, ind] = torch.rand(B, len(ind), generator=gen) < self.q[ctx][:, ind]
        for parents, kid, cum in self.level_tables:
            on = fires[:, parents]  # (B, P)
            u = torch.rand(B, len(parents), generator=gen)
            pick = (u[:, :, None] >= cum[None]).sum(-1)  # index of the chosen child, bmax: none
            ok = on & (pick < kid.shape[1])
            b_idx, p_idx = ok.nonzero(as_tuple=True)
            fires[b_idx, kid[p_idx, pick[b_idx, p_idx]]] = True
        c = (self.mag[0] + self.mag[1] * torch.randn(B, self.F, generator=gen)).abs() * fires
        return c @ self.U.T, c


# ---- SAEs ---------------------------------------------------------------------------------------
class Sae:
    def __init__(self, d, L, k, widths, mean, gen):
        W = torch.randn(d, L, generator=gen)
        W = W / W.norm(dim=0, keepdim=True)
        self.W_dec = W.clone().requires_grad_()      # (d, L)
        self.W_enc = W.T.clone().requires_grad_()    # (L, d)
        self.b_enc = torch.zeros(L, requires_grad=True)
        self.b_dec = mean.clone().requires_grad_()
        self.params = [self.W_enc, self.b_enc, self.W_dec, self.b_dec]
        self.k, self.L, self.widths = k, L, widths
        self.theta = None
        self.since = torch.zeros(L)

    def pre(self, X):
        return (X - self.b_dec) @ self.W_enc.T + self.b_enc

    def loss(self, X, alpha=1 / 32, aux_k=64, dead_window=500):
        B = X.shape[0]
        z = self.pre(X)
        zr = z.relu()
        flat = zr.flatten()
        top = torch.topk(flat, self.k * B)
        keep = top.values > 0
        f = torch.zeros_like(flat).scatter(0, top.indices[keep], top.values[keep]).view_as(z)
        with torch.no_grad():
            if keep.any():
                t = top.values[keep].min().item()
                self.theta = t if self.theta is None else 0.99 * self.theta + 0.01 * t
            fired = (f > 0).any(0)
            self.since = torch.where(fired, torch.zeros_like(self.since), self.since + 1)
        x_hat = f @ self.W_dec.T + self.b_dec
        loss = ((x_hat - X) ** 2).sum(-1).mean()
        for w in self.widths[:-1]:
            inner = f[:, :w] @ self.W_dec[:, :w].T + self.b_dec
            loss = loss + ((inner - X) ** 2).sum(-1).mean()
        dead = self.since >= dead_window
        if dead.any():
            e = (X - x_hat).detach()
            zd = zr[:, dead]
            kk = min(aux_k, int(dead.sum()))
            td = torch.topk(zd, kk, dim=-1)
            fd = torch.zeros_like(zd).scatter(-1, td.indices, td.values)
            loss = loss + alpha * ((fd @ self.W_dec[:, dead].T - e) ** 2).sum(-1).mean()
        return loss

    @torch.no_grad()
    def encode(self, X):
        z = self.pre(X)
        return torch.where(z > self.theta, z, torch.zeros_like(z))


def lr_at(t, steps, lr, warmup=100, min_frac=0.1):
    if t < warmup:
        return lr * (t + 1) / warmup
    prog = (t - warmup) / max(1, steps - warmup)
    return lr * (min_frac + (1 - min_frac) * 0.5 * (1 + math.cos(math.pi * min(1.0, prog))))


def train(sae, data, a, gen):
    opt = torch.optim.Adam(sae.params, lr=a.lr)
    t0 = time.perf_counter()
    for t in range(a.steps):
        X, _ = data.sample(a.batch, gen)
        for g in opt.param_groups:
            g["lr"] = lr_at(t, a.steps, a.lr)
        opt.zero_grad()
        loss = sae.loss(X)
        loss.backward()
        with torch.no_grad():
            W, G = sae.W_dec, sae.W_dec.grad
            G -= W * (W * G).sum(0, keepdim=True)
        opt.step()
        with torch.no_grad():
            sae.W_dec /= sae.W_dec.norm(dim=0, keepdim=True)
    return a.steps / (time.perf_counter() - t0)


# ---- metrics ------------------------------------------------------------------------------------
def hungarian_max(S):
    """A one-to-one assignment of rows to columns maximising Σ S (rows ≤ columns): the O(n²m)
    shortest augmenting path method, rows inner loop vectorised. Returns col_of_row."""
    n, m = S.shape
    C = -S
    u, v = np.zeros(n + 1), np.zeros(m + 1)
    p = np.zeros(m + 1, dtype=np.int64)  # p[j]: row (1-based) assigned to column j
    way = np.zeros(m + 1, dtype=np.int64)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = np.full(m + 1, np.inf)
        used = np.zeros(m + 1, dtype=bool)
        while True:
            used[j0] = True
            i0 = p[j0]
            cur = C[i0 - 1] - u[i0] - v[1:]
            free = ~used[1:]
            better = free & (cur < minv[1:])
            minv[1:][better] = cur[better]
            way[1:][better] = j0
            cand = np.where(free, minv[1:], np.inf)
            j1 = int(np.argmin(cand)) + 1
            delta = cand[j1 - 1]
            u[p[used]] += delta
            v[used] -= delta
            minv[1:][free] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    col_of_row = np.full(n, -1)
    for j in range(1, m + 1):
        if p[j]:
            col_of_row[p[j] - 1] = j - 1
    return col_of_row


def metrics(sae, data, gen, n):
    X, c = data.sample(n, gen)
    f = sae.encode(X)
    x_hat = f @ sae.W_dec.T + sae.b_dec
    fve = 1 - ((X - x_hat) ** 2).sum() / ((X - X.mean(0)) ** 2).sum()
    W = (sae.W_dec / sae.W_dec.norm(dim=0, keepdim=True)).detach()
    cos = (W.T @ data.U).abs().numpy()  # (L, F)
    rows_latents = cos.shape[0] <= cos.shape[1]
    S = cos if rows_latents else cos.T
    match = hungarian_max(S.astype(np.float64))
    mcc = float(np.mean(S[np.arange(S.shape[0]), match]))
    best = cos.argmax(1)  # each latent's best true feature
    fire = (f > 0).numpy()
    true = (c > 0).numpy()[:, best]
    tp = (fire & true).sum(0)
    prec = np.where(fire.sum(0) > 0, tp / np.maximum(fire.sum(0), 1), 0.0)
    rec = np.where(true.sum(0) > 0, tp / np.maximum(true.sum(0), 1), 0.0)
    f1 = np.where(prec + rec > 0, 2 * prec * rec / np.maximum(prec + rec, 1e-12), 0.0)
    return {"l0": round(float((f > 0).sum(1).float().mean()), 3), "fve": round(float(fve), 4),
            "mcc": round(mcc, 4), "precision": round(float(prec.mean()), 4),
            "recall": round(float(rec.mean()), 4), "f1": round(float(f1.mean()), 4)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--features", type=int, default=1024)
    ap.add_argument("--dim", type=int, default=128)
    ap.add_argument("--zipf-exponent", type=float, default=0.5)
    ap.add_argument("--zipf-max", type=float, default=0.4)
    ap.add_argument("--zipf-min", type=float, default=5e-4)
    ap.add_argument("--hierarchy", default="32,4,3")
    ap.add_argument("--correlation-rank", type=int, default=8)
    ap.add_argument("--correlation-strength", type=float, default=0.5)
    ap.add_argument("--overlap", type=float, default=0.15)
    ap.add_argument("--magnitude-mean", type=float, default=1.0)
    ap.add_argument("--magnitude-std", type=float, default=0.25)
    ap.add_argument("--latents", type=int, default=256)
    ap.add_argument("--k", type=int, default=8)
    ap.add_argument("--prefixes", default="")
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=512)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--archs", default="batchtopk,matryoshka")
    ap.add_argument("--eval", type=int, default=4096)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(a.seed)
    data = Hierarchical(a, gen)
    X, c = data.sample(8192, gen)
    out = {"peer": "pytorch-cpu", "version": torch.__version__, "threads": 1, "seed": a.seed,
           "data": {"features": a.features, "dim": a.dim, "hierarchy": a.hierarchy,
                    "true_l0": round(float((c > 0).sum(1).float().mean()), 3),
                    "mean_max_overlap": round(data.overlap, 4)},
           "runs": []}
    L = a.latents
    for arch in a.archs.split(","):
        if arch == "matryoshka":
            widths = [int(w) for w in a.prefixes.split(",")] if a.prefixes else [w for w in (L // 16, L // 4) if w >= 1]
            widths.append(L)
        else:
            widths = [L]
        sae = Sae(a.dim, L, a.k, widths, X.mean(0), gen)
        rate = train(sae, data, a, gen)
        m = metrics(sae, data, torch.Generator().manual_seed(a.seed + 1000), a.eval)
        out["runs"].append({"arch": arch, "k": a.k, "widths": widths, "steps_per_second": round(rate, 1), **m})
        if not a.json:
            print(f"{arch:11s} k={a.k} L0 {m['l0']:.2f} FVE {m['fve']:.3f} MCC {m['mcc']:.3f} "
                  f"P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f}  {rate:.1f} steps/s", flush=True)
    if a.json:
        print(json.dumps(out))


if __name__ == "__main__":
    main()
