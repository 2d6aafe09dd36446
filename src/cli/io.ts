/** Where a command writes: results to stdout, everything else to stderr. Injected for tests. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stderr is a terminal (progress is shown only then). */
  stderrIsTTY: boolean;
  now(): Date;
}

/** The process's own streams. */
export function processIo(): CliIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    now: () => new Date(),
  };
}
