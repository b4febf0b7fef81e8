import type { Context } from 'aws-lambda';
import { lambdaContext } from '../../dev/cli/lambda-context.ts';

/** Calls a handler module's `handler` as Lambda would. */
export async function invokeHandler<R = unknown>(handler: (event: unknown, context: Context) => Promise<unknown>, event: unknown, name = 'test'): Promise<R> {
  return (await handler(event, lambdaContext(name))) as R;
}
