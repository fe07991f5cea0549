#!/usr/bin/python3
"""Peer benchmark (not a test): W1 toy-20x5 in PyTorch on the CPU, one thread.

The same workload as bench/bench_toy.cpp: ReLU-output toy model (Elhage et al. 2022), n=20
features, m=5 hidden, 7 instances with feature probability {1, 0.3, 0.1, 0.03, 0.01, 0.003,
0.001}, importance 0.7^i, batch 1024, AdamW lr 1e-3 (weight decay 0.01, the toy config's
default), Xavier-normal W and zero b. The loss per instance is the importance-weighted squared
error summed over features, mean over the batch; the objective is the sum over instances.
The model is written as the paper's colab writes it (einsum over instances), which is how a
PyTorch user would write it.

Prints one JSON line with --json: steps_per_second (median of runs of `steps` steps after a
warm-up), loss_after (sum over instances of the loss on 8192 fresh samples after all training:
warm-up + runs x steps, the same count as bench_toy), and what BLAS torch runs on.
"""
import os
import sys

import torch

import torch_peer


def main():
    a = torch_peer.setup(steps=400, warmup=400)
    n, m, K, B = 20, 5, 7, 1024
    prob = torch.tensor([1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001]).view(1, K, 1)
    importance = (0.7 ** torch.arange(n, dtype=torch.float32)).view(1, 1, n)
    W = torch.nn.Parameter(torch.randn(K, m, n) * (2.0 / (n + m)) ** 0.5)
    b = torch.nn.Parameter(torch.zeros(K, n))
    opt = torch.optim.AdamW([W, b], lr=1e-3, weight_decay=0.01)

    def batch(size, gen=None):
        x = torch.rand(size, K, n, generator=gen)
        on = torch.rand(size, K, n, generator=gen) <= prob
        return torch.where(on, x, torch.zeros(()))

    def loss_of(x):
        h = torch.einsum("bkn,kmn->bkm", x, W)
        out = torch.relu(torch.einsum("bkm,kmn->bkn", h, W) + b)
        per_instance = (importance * (x - out) ** 2).sum(-1).mean(0)  # (K)
        return per_instance

    def train(steps):
        for _ in range(steps):
            x = batch(B)
            loss = loss_of(x).sum()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()

    rates = torch_peer.time_training(train, a)
    with torch.no_grad():
        g = torch.Generator().manual_seed(1234)
        loss_after = float(loss_of(batch(8192, g)).sum())
    torch_peer.report(a, "W1 toy-20x5", rates, {"loss_after": loss_after}, f"loss {loss_after:.4g}")

if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
