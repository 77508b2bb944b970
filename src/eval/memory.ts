/**
 * Memory measurement for evaluation jobs. A fit in a worker thread shares the
 * process's RSS with every other thread, so each job samples its own
 * isolate: V8 heap in use plus external memory (typed-array buffers), at
 * every point it can (start, each epoch, after fit, after scoring), and
 * reports the peak it saw. `processPeakMB` is the whole process's peak RSS.
 */
import { getHeapStatistics } from "node:v8";

const MB = 1024 * 1024;

export class MemoryProbe {
  private peak = 0;

  constructor() {
    this.sample();
  }

  /** Records the isolate's current use; cheap enough to call per epoch. */
  sample(): void {
    const h = getHeapStatistics();
    const bytes = h.used_heap_size + ((h as { external_memory?: number }).external_memory ?? 0);
    if (bytes > this.peak) this.peak = bytes;
  }

  get peakMB(): number {
    return this.peak / MB;
  }
}

/** Peak resident set size of the whole process so far, in MB. */
export function processPeakMB(): number {
  return (process.resourceUsage().maxRSS * 1024) / MB;
}
