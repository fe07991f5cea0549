"""Which BLAS the peer's torch really runs on (bench/peers/torch_w*.py).

Debian's python3-torch links the generic libblas.so.3, which the alternatives system points at
netlib's reference BLAS (slow, ~20x) unless libopenblas0-pthread is installed. torch's own
build info says only "generic", so look at what the process has loaded and time a 512^3 matmul
on one thread (OpenBLAS: well over 50 GFLOP/s on a modern core; reference BLAS: a few).
"""
import time

import torch


def _loaded_blas():
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                if "blas" in path or "lapack" in path:
                    libs.add(path)
    except OSError:
        pass
    return sorted(libs)


def describe():
    torch.set_num_threads(1)
    a = torch.rand(512, 512)
    b = torch.rand(512, 512)
    for _ in range(2):
        a @ b
    reps, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < 0.3:
        a @ b
        reps += 1
    gflops = 2 * 512 ** 3 * reps / (time.perf_counter() - t0) * 1e-9
    loaded = _loaded_blas()
    lib = "openblas" if any("openblas" in p for p in loaded) else ("reference/netlib" if loaded else "unknown")
    return {"library": lib, "loaded": loaded, "matmul_512_gflops": round(gflops, 1)}


if __name__ == "__main__":
    print(describe())
