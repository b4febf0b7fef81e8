/**
 * Runs one sweep function invocation (the event on stdin) in this fresh process, as a Lambda execution
 * environment would, and prints its peak resident memory: the fan-out bench measures a batch and the start.
 */
import { handler } from '../../../functions/sweep/handler.ts';
import { lambdaContext } from '../../cli/lambda-context.ts';

const chunks: Buffer[] = [];
for await (const c of process.stdin) chunks.push(c as Buffer);
await handler(JSON.parse(Buffer.concat(chunks).toString('utf8')), lambdaContext('sweep', 900_000));
console.log(JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS }));
