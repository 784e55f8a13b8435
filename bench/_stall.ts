// The main thread's longest stall while some work runs: a 1 ms ticker's worst lateness, with the main thread's own
// CPU time in that interval (on a busy machine a late tick may be other processes' doing: little CPU of ours means
// it was theirs), and the longest garbage-collection pause, so a stall of our code can be told from the collector's.
import { PerformanceObserver } from 'node:perf_hooks';

export interface StallRun<T> {
  result: T;
  ms: number;
  maxStallMs: number;
  /** The main thread's CPU time in the interval that stalled longest. */
  maxStallCpuMs: number;
  maxGcMs: number;
}

export async function withStallMeter<T>(work: () => Promise<T>): Promise<StallRun<T>> {
  let maxGcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) maxGcMs = Math.max(maxGcMs, entry.duration);
  });
  gc.observe({ entryTypes: ['gc'] });
  let maxStallMs = 0;
  let maxStallCpuMs = 0;
  let lastTick = performance.now();
  let lastCpu = process.threadCpuUsage();
  const ticker = setInterval(() => {
    const now = performance.now();
    const cpu = process.threadCpuUsage(lastCpu);
    const late = now - lastTick - 1;
    if (late > maxStallMs) {
      maxStallMs = late;
      maxStallCpuMs = (cpu.user + cpu.system) / 1000;
    }
    lastTick = now;
    lastCpu = process.threadCpuUsage();
  }, 1);
  const start = performance.now();
  try {
    const result = await work();
    const ms = performance.now() - start;
    // One more tick, so that a stall at the very end (work that never left the microtask queue) is seen too.
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { result, ms, maxStallMs, maxStallCpuMs, maxGcMs };
  } finally {
    clearInterval(ticker);
    gc.disconnect();
  }
}
