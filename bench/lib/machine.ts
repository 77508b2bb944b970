/**
 * The machine a benchmark ran on: what every results file records, so a
 * number can be read against the hardware (and the load of a shared box).
 */
import os from "node:os";

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly totalMemGiB: number;
  readonly node: string;
  readonly platform: string;
  /** 1-minute load average when measured: above the core count, wall times include waiting for a core. */
  readonly loadAverage: number;
}

export function machine(): Machine {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    totalMemGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}

export function describeMachine(m: Machine = machine()): string {
  return `${m.cpus} × ${m.cpuModel}, ${m.totalMemGiB} GiB, Node ${m.node}, ${m.platform}; load average ${m.loadAverage} at the start`;
}

/** Peak resident memory of this process so far (MB). */
export function peakRssMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}
