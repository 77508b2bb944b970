/**
 * A small Prometheus registry (text exposition format 0.0.4): counters,
 * gauges and histograms with labels, enough for /metrics. No dependency and
 * no per-request allocation beyond one label key string.
 */
import { type IntervalHistogram, monitorEventLoopDelay } from "node:perf_hooks";

type Labels = Readonly<Record<string, string>>;

function labelKey(labels: Labels): string {
  const names = Object.keys(labels).sort();
  return names.map((n) => `${n}="${escapeLabel(labels[n] as string)}"`).join(",");
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function braces(key: string, extra?: string): string {
  const inner = [key, extra].filter((s) => s !== undefined && s.length > 0).join(",");
  return inner.length > 0 ? `{${inner}}` : "";
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

interface Metric {
  readonly name: string;
  readonly help: string;
  readonly type: "counter" | "gauge" | "histogram";
  render(): string[];
}

export class Counter implements Metric {
  readonly type = "counter";
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }
  render(): string[] {
    return [...this.values].map(([key, value]) => `${this.name}${braces(key)} ${formatNumber(value)}`);
  }
}

export class Gauge implements Metric {
  readonly type = "gauge";
  private readonly values = new Map<string, number>();
  /** Called before rendering, to refresh values that are cheaper to read than to track. */
  collect: (() => void) | undefined;
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  set(labels: Labels, value: number): void {
    this.values.set(labelKey(labels), value);
  }
  reset(): void {
    this.values.clear();
  }
  render(): string[] {
    this.collect?.();
    return [...this.values].map(([key, value]) => `${this.name}${braces(key)} ${formatNumber(value)}`);
  }
}

export class Histogram implements Metric {
  readonly type = "histogram";
  private readonly series = new Map<string, { counts: Float64Array; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {}
  observe(labels: Labels, value: number): void {
    const key = labelKey(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { counts: new Float64Array(this.buckets.length), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    for (let i = 0; i < this.buckets.length; i++) {
      if (value <= this.buckets[i]!) {
        s.counts[i]!++;
        break;
      }
    }
    s.sum += value;
    s.count++;
  }
  render(): string[] {
    const lines: string[] = [];
    for (const [key, s] of this.series) {
      let cumulative = 0;
      for (let i = 0; i < this.buckets.length; i++) {
        cumulative += s.counts[i]!;
        lines.push(`${this.name}_bucket${braces(key, `le="${formatNumber(this.buckets[i]!)}"`)} ${cumulative}`);
      }
      lines.push(`${this.name}_bucket${braces(key, 'le="+Inf"')} ${s.count}`);
      lines.push(`${this.name}_sum${braces(key)} ${formatNumber(s.sum)}`);
      lines.push(`${this.name}_count${braces(key)} ${s.count}`);
    }
    return lines;
  }
}

export class MetricsRegistry {
  private readonly metrics: Metric[] = [];

  counter(name: string, help: string): Counter {
    return this.add(new Counter(name, help));
  }
  gauge(name: string, help: string): Gauge {
    return this.add(new Gauge(name, help));
  }
  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    return this.add(new Histogram(name, help, buckets));
  }
  private add<M extends Metric>(metric: M): M {
    this.metrics.push(metric);
    return metric;
  }

  /** The text exposition format. */
  render(): string {
    const out: string[] = [];
    for (const m of this.metrics) {
      out.push(`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.type}`, ...m.render());
    }
    return `${out.join("\n")}\n`;
  }
}

/** The service's metrics. */
export interface ServiceMetrics {
  readonly registry: MetricsRegistry;
  readonly requests: Counter;
  readonly latency: Histogram;
  readonly eventsIngested: Counter;
  readonly eventDuplicates: Counter;
  readonly modelAge: Gauge;
  readonly fitDuration: Histogram;
  readonly fitsRunning: Gauge;
  /** 1 on the instance that runs the retrain policy (of several sharing a store), else 0. */
  readonly retrainLeader: Gauge;
  readonly memory: Gauge;
  readonly answerCache: Counter;
  readonly eventLoopDelay: Gauge;
}

export function createServiceMetrics(): ServiceMetrics {
  const registry = new MetricsRegistry();
  const memory = registry.gauge("kindred_process_memory_bytes", "Memory of the process by kind (rss, heapUsed).");
  memory.collect = () => {
    const m = process.memoryUsage();
    memory.set({ kind: "rss" }, m.rss);
    memory.set({ kind: "heap_used" }, m.heapUsed);
    memory.set({ kind: "external" }, m.external);
  };
  // Event-loop delay since the previous scrape (perf_hooks, 10 ms resolution): a long synchronous stretch (an
  // fsync, a burst of computed answers, a model swap) shows in p99 and max. Enabled at the first scrape, so an
  // app that is never scraped (tests, the library) runs no monitor.
  let loop: IntervalHistogram | undefined;
  const resolutionMs = 10;
  // The histogram records the whole timer interval: the delay is what exceeds the resolution.
  const delay = (ns: number) => Math.max(0, ns / 1e6 - resolutionMs) / 1000;
  const eventLoopDelay = registry.gauge(
    "kindred_event_loop_delay_seconds",
    "Event-loop delay since the previous scrape of /metrics, by quantile (0.5, 0.99, 1 = max); reset on each scrape.",
  );
  eventLoopDelay.collect = () => {
    if (!loop) {
      loop = monitorEventLoopDelay({ resolution: resolutionMs });
      loop.enable();
      return;
    }
    if (loop.count > 0) {
      eventLoopDelay.set({ quantile: "0.5" }, delay(loop.percentile(50)));
      eventLoopDelay.set({ quantile: "0.99" }, delay(loop.percentile(99)));
      eventLoopDelay.set({ quantile: "1" }, delay(loop.max));
    }
    loop.reset();
  };
  return {
    registry,
    requests: registry.counter("kindred_http_requests_total", "HTTP requests by method, route and status."),
    latency: registry.histogram(
      "kindred_http_request_duration_seconds",
      "HTTP request latency by method and route.",
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    ),
    eventsIngested: registry.counter("kindred_events_ingested_total", "Events appended to the log, by channel."),
    eventDuplicates: registry.counter("kindred_events_duplicate_total", "Events ignored as duplicates of an eventId."),
    modelAge: registry.gauge("kindred_model_age_seconds", "Age of the active model of each algorithm."),
    fitDuration: registry.histogram(
      "kindred_fit_duration_seconds",
      "Duration of model fits by algorithm and outcome.",
      [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
    ),
    fitsRunning: registry.gauge("kindred_fits_running", "Model fits running now."),
    retrainLeader: registry.gauge(
      "kindred_retrain_leader",
      "1 when this instance runs the retrain policy (one instance of those sharing a store does), else 0.",
    ),
    memory,
    answerCache: registry.counter(
      "kindred_answer_cache_total",
      "Recommendation answers served from the cache (hit), served past their time to live while recomputed in the background (stale), or computed (miss).",
    ),
    eventLoopDelay,
  };
}
