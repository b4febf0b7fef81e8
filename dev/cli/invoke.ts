import { readFile } from 'node:fs/promises';
import { pathToFileURL, fileURLToPath } from 'node:url';
import type { Context } from 'aws-lambda';
import { GuardrailsError } from '../../shared/errors.ts';
import { recordFailure } from '../../shared/lambda/failures.ts';
import { FUNCTIONS, QUEUE_FED, type FunctionName } from './functions.ts';
import { asSqsEvent, lambdaContext } from './lambda-context.ts';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

export class UsageError extends GuardrailsError {
  constructor(message: string) {
    super('Usage', message);
  }
}

export async function readEvent(source: string): Promise<unknown> {
  let text: string;
  try {
    text = source === '-' ? await readStdin() : await readFile(source, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read event ${source}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new GuardrailsError('InvalidEvent', `event ${source} is not valid JSON: ${(err as Error).message}`);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function functionDir(name: FunctionName): string {
  return fileURLToPath(new URL(`../../functions/${name}/`, import.meta.url));
}

/** Runs a function's handler exactly as Lambda would: its module (middleware included), an event, a context. */
export async function invokeFunction(name: string, event: unknown): Promise<unknown> {
  if (!FUNCTIONS.includes(name as FunctionName)) {
    throw new UsageError(`unknown function "${name}"; one of: ${FUNCTIONS.join(', ')}`);
  }
  const fn = name as FunctionName;
  const mod = (await import(pathToFileURL(`${functionDir(fn)}handler.ts`).href)) as { handler: Handler };
  const payload = QUEUE_FED.has(fn) && !isSqs(event) ? asSqsEvent([event], `${fn}-queue`) : event;
  const result = await mod.handler(payload, lambdaContext(fn));
  const failures = (result as { batchItemFailures?: { itemIdentifier?: string }[] } | undefined)?.batchItemFailures;
  if (Array.isArray(failures) && failures.length > 0) {
    // The last line names each record and why it failed (the same error the function logged), not just a count.
    const records = failures.map((f) => {
      const why = f.itemIdentifier ? recordFailure(f.itemIdentifier) : undefined;
      return { messageId: f.itemIdentifier ?? '?', ...(why ? { error: why.error, message: why.message } : { message: 'see the function\'s log lines for this messageId' }) };
    });
    throw new GuardrailsError('BatchItemFailures', `${failures.length} record(s) failed: ${records.map((r) => `${r.messageId}: ${'error' in r ? `${r.error}: ` : ''}${r.message}`).join('; ')}`, { records });
  }
  return result;
}

function isSqs(event: unknown): boolean {
  return Array.isArray((event as { Records?: unknown })?.Records);
}
