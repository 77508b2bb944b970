/**
 * Where the CLI reads and writes: the process by default, buffers in tests
 * (which call `main(argv, io)` in-process). stdout carries results only
 * (with `--json`, exactly one JSON document); progress and logs go to stderr.
 */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** True when stderr is a terminal: progress bars are drawn only then. */
  readonly stderrIsTTY: boolean;
  /** The stream progress bars draw on (a terminal), when there is one. */
  readonly progressStream?: NodeJS.WriteStream;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    stderrIsTTY: process.stderr.isTTY === true,
    progressStream: process.stderr,
  };
}

/** An io that remembers what was written (tests, and embedding the CLI in a program). */
export function bufferIo(env: Record<string, string | undefined> = {}): CliIo & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    env,
    stderrIsTTY: false,
    stdout(text: string) {
      io.out += text;
    },
    stderr(text: string) {
      io.err += text;
    },
  };
  return io;
}
