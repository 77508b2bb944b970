/**
 * A progress bar on stderr, drawn only when stderr is a terminal (cli-progress);
 * otherwise nothing, so logs and pipes stay clean.
 */
import cliProgress from "cli-progress";
import type { CliIo } from "./io.js";

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

const NONE: Progress = { update() {}, stop() {} };

export function progressBar(io: CliIo, label: string): Progress {
  if (!io.stderrIsTTY || !io.progressStream) return NONE;
  const bar = new cliProgress.SingleBar(
    {
      stream: io.progressStream,
      format: `${label} [{bar}] {percentage}% eta {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
