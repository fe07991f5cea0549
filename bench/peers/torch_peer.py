"""What the PyTorch peers (bench/peers/torch_w1.py, torch_w2.py) share: the command line, one
thread, the timing (median of runs of `steps` steps after a warm-up, as the Superpose benchmark
programs time themselves) and the JSON line the suite reads. Each peer keeps its own model,
data and quality measures.
"""
import argparse
import json
import statistics
import time

import torch

import blas_check


def setup(steps, warmup):
    """Parses --runs/--steps/--warmup/--seed/--json; one thread, the seed. Returns the arguments."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--steps", type=int, default=steps)
    ap.add_argument("--warmup", type=int, default=warmup)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    return a


def time_training(train, a):
    """train(warmup), then a.runs timed calls of train(steps): their steps/s. train may return
    the seconds it spent on something other than training (a quality check), which are not
    counted."""
    train(a.warmup)
    rates = []
    for _ in range(a.runs):
        t0 = time.perf_counter()
        untimed = train(a.steps) or 0.0
        rates.append(a.steps / (time.perf_counter() - t0 - untimed))
    return rates


def report(a, workload, rates, quality, quality_text):
    """Prints the result: one JSON line with --json, else one line of text."""
    out = {
        "workload": workload,
        "peer": "pytorch-cpu",
        "version": torch.__version__,
        "threads": torch.get_num_threads(),
        "steps_per_second": round(statistics.median(rates), 1),
        "min": round(min(rates), 1),
        "max": round(max(rates), 1),
        "runs": a.runs,
        "seed": a.seed,
        "steps_trained": a.warmup + a.runs * a.steps,
        **quality,
        "blas": blas_check.describe(),
    }
    if a.json:
        print(json.dumps(out))
    else:
        print(f"{workload} (PyTorch {torch.__version__} CPU, 1 thread, BLAS {out['blas']['library']}): "
              f"{out['steps_per_second']:.0f} steps/s median of {a.runs} runs of {a.steps} steps; "
              f"after {out['steps_trained']} steps {quality_text}")
