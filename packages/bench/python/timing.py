"""The peers' timing loop, one for every bench script in this folder."""
import time


def time_runs(run, warmup, runs):
    """Calls run() `warmup` times, then `runs` times more: each timed call's wall and CPU milliseconds."""
    for _ in range(warmup):
        run()
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        run()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return wall, cpu
