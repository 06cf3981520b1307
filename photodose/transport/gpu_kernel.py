"""The layered Monte Carlo kernel on a CUDA GPU: the random walk of ``_kernel`` as a numba.cuda kernel.

Physics: exactly ``photodose.transport._kernel`` (MCML 1.2, Wang, Jacques & Zheng, Comput. Methods Programs Biomed.
47 (1995) 131-146, with that module's listed deviations): Fresnel reflection all-or-none at every interface with
the critical angle, glass layers crossed in one step, the cancellation-free Henyey-Greenstein inversion, roulette
at w < 1e-4 with survival chance 0.1, the same beams, incidences, entry reflectance (glass first layer included),
tallies, event count and the roulette bookkeeping Rsp + Rd + A + Tt = photons + roulette_net. The pieces the
CPU kernel uses (``_walk``'s launch, entry reflectance, HG cosine, azimuth, spin and tally bins, Fresnel, the
layer constants, xoshiro256**) are compiled for the device from their own Python source (``_gpu_walk``), not
rewritten; only the walk loop itself (atomic tallies, per-thread streams) is written for the GPU.

Parallel layout: batch b of a run (the same batches as the CPU kernel) is walked by ``threads_per_batch`` GPU
threads; thread t takes photons t, t + T, t + 2T, ... of the batch. Each thread draws from its own xoshiro256**
stream, seeded by SplitMix64 from (seed, batch, thread): the CPU kernel's ``seed_state`` of (seed xor
SplitMix64(thread * salt), batch), so thread 0's stream is the CPU kernel's stream of that batch (SplitMix64 maps
0 to 0).
Random numbers are drawn in the CPU kernel's order (the step lengths of a block of ``STEP_BLOCK`` are taken from
a saved copy of the state while the main state skips the block), so with one thread per batch the GPU walks the
very photons of the CPU kernel: the tallies agree to rounding (the test's exact check). Grid tallies are added
with ``cuda.atomic.add`` into the per-batch arrays; a thread's scalar sums are kept in registers and added once.
On a GPU the order of the atomic additions varies from run to run, so repeated runs agree to rounding, not bit
for bit.

Precision: float64 throughout, as the CPU kernel, so that the GPU path equals the CPU reference photon for photon
(the exact test). Data-centre GPUs (A100, H100, H200 class) have dedicated float64 units; consumer GPUs do not,
and there a float32 variant would be faster. Speed not yet measured on a GPU.

CUDA binding: ``numba.cuda``, imported only when a GPU run or the device check is asked for, so importing
photodose never needs CUDA. numba 0.61+ deprecates its built-in CUDA target in favour of NVIDIA's ``numba-cuda``
package (https://numba.readthedocs.io/en/stable/cuda/overview.html); ``numba-cuda`` installs a redirector that
makes ``import numba.cuda`` load it, so this module runs unchanged on either. On a GPU machine install
``numba-cuda[cu12]`` (it brings cuda-bindings and the CUDA 12 toolkit wheels: NVVM, libdevice, nvJitLink); it is
not a photodose dependency because nothing else needs it and the built-in target's simulator
(``NUMBA_ENABLE_CUDASIM=1``) runs the tests without a GPU. Checked without a GPU: the kernel compiles to PTX for
sm_90 with numba 0.68.1's built-in target and with numba-cuda 0.30.4, and the simulator tests pass under both.
"""

from __future__ import annotations

import numpy as np

THREADS_PER_BLOCK = 128          # a multiple of the 32-thread warp; photodose assumption (unsourced), tune on a GPU
TARGET_THREADS = 2**18           # about the resident threads of a 132-SM GPU (2048 each): H100/H200 class


def cuda_device_present() -> bool:
    """True only when numba finds a real CUDA device; False under the simulator, without a driver or on any error."""
    try:
        import numba

        if numba.config.ENABLE_CUDASIM:
            return False
        from numba import cuda

        return bool(cuda.is_available()) and len(cuda.gpus) > 0
    except Exception:   # no driver, a broken driver, no numba.cuda: no device
        return False


def threads_per_batch(batch_photons: np.ndarray) -> int:
    """GPU threads per batch: about ``TARGET_THREADS`` in all, never more than the largest batch's photons."""
    nb = max(1, len(batch_photons))
    largest = int(np.max(batch_photons)) if len(batch_photons) else 1
    return max(1, min(largest, -(-TARGET_THREADS // nb)))


def run_batches_gpu(seed, first_batch, batch_photons, table, start_layer, n_above, rsp_collimated,
                    beam_code, beam_radius_cm, inc_code, cos_half_angle,
                    inv_dz, nz, inv_dr, nr, inv_da, na, radial,
                    sums, layer_sums, a_rz, rd_ra, tt_ra, *, threads_per_batch_override=None):
    """``_kernel.run_batches`` on the GPU: same arguments, and the same host arrays, added into in place.

    ``sums`` (nb, N_SCALARS), ``layer_sums`` (nb, layers), ``a_rz`` (nb, nr, nz), ``rd_ra`` and ``tt_ra``
    (nb, nr, na) are numpy arrays; the kernel adds each batch's raw weights and event count into its slice.
    ``threads_per_batch_override`` (keyword only; default ``threads_per_batch(batch_photons)``) fixes the
    threads per batch: 1 walks exactly the CPU kernel's photons.
    """
    counts = np.ascontiguousarray(batch_photons, dtype=np.int64)
    if len(counts) == 0:
        return
    per_batch = int(threads_per_batch_override or threads_per_batch(counts))
    from numba import cuda

    from ._gpu_walk import walk

    blocks = -(-(len(counts) * per_batch) // THREADS_PER_BLOCK)
    tallies = [cuda.to_device(np.ascontiguousarray(a, dtype=np.float64))
               for a in (sums, layer_sums, a_rz, rd_ra, tt_ra)]
    walk[blocks, THREADS_PER_BLOCK](
        np.uint64(seed), np.int64(first_batch), cuda.to_device(counts), np.int64(per_batch),
        cuda.to_device(np.ascontiguousarray(table, dtype=np.float64)), np.int64(start_layer), float(n_above),
        float(rsp_collimated), np.int64(beam_code), float(beam_radius_cm), np.int64(inc_code), float(cos_half_angle),
        float(inv_dz), np.int64(nz), float(inv_dr), np.int64(nr), float(inv_da), np.int64(na), bool(radial),
        *tallies)
    for host, device in zip((sums, layer_sums, a_rz, rd_ra, tt_ra), tallies):
        host[...] = device.copy_to_host()
