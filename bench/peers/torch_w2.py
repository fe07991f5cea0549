#!/usr/bin/python3
"""Peer benchmark (not a test): W2 sae-synth in PyTorch on the CPU, one thread.

The workload of issue 8 (and the defaults of src/sae/sae_config.hpp): 256 true unit features
(random Gaussian directions) in d=64, each active with probability 5/256 with magnitude U[0,1];
a ReLU SAE (Bricken et al. 2023) with 512 latents, tied init (W_enc = W_decᵀ, unit-norm random
decoder rows), b_dec = data mean, unit-norm decoder kept after every step, loss ‖x − x̂‖² (sum
over d, mean over the batch) + λ Σ f with λ = 0.3 ramped up over 300 steps, Adam lr 1e-3 with
100 warm-up steps and a cosine decay to 0.1·lr over the run, batch 1024. Not here: dead-latent
resampling (src/sae resamples every 1000 steps; it costs little and is rare).

Prints one JSON line with --json: steps_per_second (median of runs of `steps` steps after a
warm-up) and the quality after all training on 8192 held-out samples: L0 (mean firing latents),
FVE (fraction of variance explained), MMCS (mean over true features of the max cosine with any
decoder direction).
"""
import math
import os
import sys

import torch

import torch_peer


def main():
    a = torch_peer.setup(steps=500, warmup=500)
    d, F, L, B = 64, 256, 512, 1024
    lam, lam_warmup, lr, lr_warmup, min_frac = 0.3, 300, 1e-3, 100, 0.1
    total = a.warmup + a.runs * a.steps
    p = 5.0 / F
    U = torch.randn(F, d)
    U /= U.norm(dim=1, keepdim=True)  # (F, d) true feature directions

    def batch(size, gen=None):
        c = torch.rand(size, F, generator=gen) * (torch.rand(size, F, generator=gen) < p)
        return c @ U  # (size, d)

    W_dec = torch.randn(L, d)
    W_dec /= W_dec.norm(dim=1, keepdim=True)
    W_dec = torch.nn.Parameter(W_dec)                  # (L, d), rows unit norm
    W_enc = torch.nn.Parameter(W_dec.detach().t().clone())  # (d, L), tied init
    b_enc = torch.nn.Parameter(torch.zeros(L))
    b_dec = torch.nn.Parameter(batch(8192).mean(0))
    opt = torch.optim.Adam([W_enc, b_enc, W_dec, b_dec], lr=lr)

    def forward(x):
        f = torch.relu((x - b_dec) @ W_enc + b_enc)
        return f, f @ W_dec + b_dec

    t = 0

    def train(steps):
        nonlocal t
        for _ in range(steps):
            if t < lr_warmup:
                cur = lr * (t + 1) / lr_warmup
            else:
                q = min(1.0, (t - lr_warmup) / max(1, total - lr_warmup))
                cur = lr * (min_frac + (1 - min_frac) * 0.5 * (1 + math.cos(math.pi * q)))
            for g in opt.param_groups:
                g["lr"] = cur
            x = batch(B)
            f, xh = forward(x)
            loss = ((x - xh) ** 2).sum(-1).mean() + lam * min(1.0, t / lam_warmup) * f.sum(-1).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            with torch.no_grad():
                W_dec.div_(W_dec.norm(dim=1, keepdim=True))
            t += 1

    rates = torch_peer.time_training(train, a)
    with torch.no_grad():
        x = batch(8192, torch.Generator().manual_seed(1234))
        f, xh = forward(x)
        l0 = float((f > 0).float().sum(-1).mean())
        fve = float(1 - ((x - xh) ** 2).sum() / ((x - x.mean(0)) ** 2).sum())
        Dn = W_dec / W_dec.norm(dim=1, keepdim=True)
        mmcs = float((U @ Dn.t()).max(dim=1).values.mean())
    torch_peer.report(a, "W2 sae-synth", rates, {"l0": l0, "fve": fve, "mmcs": mmcs},
                      f"L0 {l0:.2f} FVE {fve:.3f} MMCS {mmcs:.3f}")

if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
