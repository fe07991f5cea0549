#!/usr/bin/python3
"""Peer benchmark (not a test): W3 lm-2x64, training the default language model in PyTorch on
the CPU, one thread.

The same workload as bench/bench_lm.cpp: a decoder-only transformer of GPT-2's shape (Radford
et al. 2019; src/lm/transformer.hpp), 2 layers, d_model 64, 4 heads, context 24, MLP 4x,
pre-LayerNorm, GELU (tanh form), learned positions, tied unembedding, vocab 75 (the toy world's
size), 106,432 parameters; batch 64 x 24 tokens, mean next-token cross-entropy, AdamW lr 3e-3,
weight decay 0.01 on every parameter (as llm.c and Superpose), GPT-2's initialisation. The data
are 8 fixed batches of random tokens, cycled, as bench_lm's (the data does not change a step's
cost; the loss printed is on those random tokens and says nothing about quality). The model is
written plainly, as a PyTorch user would: nn.Embedding, nn.LayerNorm, nn.Linear, causal
attention through F.scaled_dot_product_attention(is_causal=True) when this torch has it
(2.0+), else an explicit softmax of the masked scores.

Prints one JSON line with --json: steps_per_second (median of runs of `steps` steps after a
warm-up; the same 20 + 5 x 100 steps as bench_lm), tokens_per_second, the forward / backward /
AdamW milliseconds per step of the median run (as bench_lm), and what BLAS torch runs on.
"""
import math
import os
import sys
import time

# One thread means one BLAS thread too: Debian's torch 1.13 does not pass set_num_threads(1) on
# to OpenBLAS (pthread build), whose own threads then fight for the cores (measured 2026-11-28,
# load ~7 on 2 cores: 1 step/s without this line, 6 with it). Set before torch loads OpenBLAS.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import torch_peer  # noqa: E402

L, C, H, T, B, V = 2, 64, 4, 24, 64, 75
SDPA = hasattr(F, "scaled_dot_product_attention")


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(C)
        self.c_attn = nn.Linear(C, 3 * C)
        self.c_proj = nn.Linear(C, C)
        self.ln_2 = nn.LayerNorm(C)
        self.c_fc = nn.Linear(C, 4 * C)
        self.mlp_proj = nn.Linear(4 * C, C)
        self.register_buffer("mask", torch.tril(torch.ones(T, T, dtype=torch.bool)), persistent=False)

    def attn(self, x):
        b, t, _ = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (z.view(b, t, H, C // H).transpose(1, 2) for z in (q, k, v))  # (B, H, T, hs)
        if SDPA:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            att = (q @ k.transpose(-2, -1)) / math.sqrt(C // H)
            att = att.masked_fill(~self.mask[:t, :t], float("-inf")).softmax(dim=-1)
            y = att @ v
        return self.c_proj(y.transpose(1, 2).reshape(b, t, C))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class LM(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(V, C)
        self.wpe = nn.Embedding(T, C)
        self.h = nn.ModuleList(Block() for _ in range(L))
        self.ln_f = nn.LayerNorm(C)
        for name, p in self.named_parameters():  # GPT-2's initialisation
            if name.endswith("bias"):
                nn.init.zeros_(p)
            elif p.dim() == 2:
                std = 0.02 / math.sqrt(2 * L) if ("c_proj" in name or "mlp_proj" in name) else 0.02
                nn.init.normal_(p, std=std)

    def forward(self, idx, targets):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        for block in self.h:
            x = block(x)
        logits = self.ln_f(x) @ self.wte.weight.t()  # tied unembedding
        return F.cross_entropy(logits.view(-1, V), targets.view(-1))


def main():
    a = torch_peer.setup(steps=100, warmup=20)
    model = LM()
    n_params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    g = torch.Generator().manual_seed(1)
    windows = [torch.randint(0, V, (B, T + 1), generator=g) for _ in range(8)]
    batches = [(w[:, :-1].contiguous(), w[:, 1:].contiguous()) for w in windows]
    state = {"i": 0, "loss": float("nan")}
    splits = []  # per call of train: (steps/s, forward, backward, AdamW ms per step)

    def train(steps):
        fwd = bwd = upd = 0.0
        t_start = time.perf_counter()
        for _ in range(steps):
            x, y = batches[state["i"] % 8]
            state["i"] += 1
            t0 = time.perf_counter()
            opt.zero_grad(set_to_none=True)
            loss = model(x, y)
            t1 = time.perf_counter()
            loss.backward()
            t2 = time.perf_counter()
            opt.step()
            t3 = time.perf_counter()
            fwd, bwd, upd = fwd + t1 - t0, bwd + t2 - t1, upd + t3 - t2
        splits.append((steps / (time.perf_counter() - t_start), 1e3 * fwd / steps, 1e3 * bwd / steps, 1e3 * upd / steps))
        state["loss"] = float(loss)

    rates = torch_peer.time_training(train, a)
    timed = sorted(splits[1:])  # the warm-up's call excluded; the median run's split, as bench_lm
    _, fwd_ms, bwd_ms, upd_ms = timed[len(timed) // 2]
    med = sorted(rates)[len(rates) // 2]
    torch_peer.report(a, "W3 lm-2x64", rates,
                      {"tokens_per_second": round(med * B * T), "forward_ms": round(fwd_ms, 3),
                       "backward_ms": round(bwd_ms, 3), "update_ms": round(upd_ms, 3), "params": n_params,
                       "attention": "sdpa" if SDPA else "masked softmax", "loss": round(state["loss"], 4)},
                      f"{n_params} parameters, loss on random tokens {state['loss']:.4f}; per step forward "
                      f"{fwd_ms:.2f} ms, backward {bwd_ms:.2f} ms, AdamW {upd_ms:.2f} ms")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
