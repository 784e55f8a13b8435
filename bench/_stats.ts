export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/**
 * Times `op` `runs` times, one after another; p50 and p99 in ms. `yieldBetween` gives the event loop a turn before
 * each run, as calls arriving by IPC get (to see stalls, which calls chained in one turn would hide).
 */
export async function latencies(runs: number, op: (i: number) => Promise<unknown>, yieldBetween = false) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (yieldBetween) await new Promise((resolve) => setImmediate(resolve));
    const start = performance.now();
    await op(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return { p50: round(percentile(times, 50)), p99: round(percentile(times, 99)) };
}
