/** Plain terminal output: colour only on a TTY, and never on CI logs. */
const useColour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && !process.env.CI;
const paint = (code: number) => (s: string) => (useColour ? `\x1b[${code}m${s}\x1b[0m` : s);

export const style = {
  bold: paint(1),
  dim: paint(2),
  red: paint(31),
  green: paint(32),
  yellow: paint(33),
  cyan: paint(36),
};

export function heading(text: string): void {
  console.log(`\n${style.bold(style.cyan(`━━ ${text} `.padEnd(78, '━')))}`);
}

export function step(text: string): void {
  console.log(`${style.dim('›')} ${text}`);
}

export function item(label: string, value: string): void {
  console.log(`    ${style.dim(label.padEnd(12))} ${value}`);
}

/** Runs fn with everything it writes to stdout sent to stderr (Lambda logs must not mix with a JSON result). */
export async function withStdoutOnStderr<T>(fn: () => Promise<T>): Promise<T> {
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  try {
    return await fn();
  } finally {
    process.stdout.write = original;
  }
}
