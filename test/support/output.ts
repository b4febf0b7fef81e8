/** Runs fn with stdout and stderr captured (Powertools writes logs and EMF metrics there); never throws. */
export async function captureOutput(fn: () => Promise<unknown>): Promise<{ stdout: string; stderr: string; error?: unknown }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((c: unknown) => { stdout += String(c); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((c: unknown) => { stderr += String(c); return true; }) as typeof process.stderr.write;
  let error: unknown;
  try {
    await fn();
  } catch (e) {
    error = e;
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  return { stdout, stderr, ...(error === undefined ? {} : { error }) };
}

/** The JSON objects written one per line (EMF metrics, structured logs). */
export function jsonLines(text: string): Record<string, any>[] {
  return text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, any>);
}
