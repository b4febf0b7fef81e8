import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { lazyClient } from './client.ts';

export const sfnClient = lazyClient('SFN', (config) => new SFNClient(config));

/** Starts a state machine execution named `name` (idempotent per name for 90 days: a repeated start is refused). */
export async function startExecution(stateMachineArn: string, name: string, input: unknown): Promise<string> {
  const out = await sfnClient().send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
  return out.executionArn ?? '';
}
