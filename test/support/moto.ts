import { after, before, beforeEach } from 'node:test';
import { sdkClients } from '../../shared/aws/client.ts';
import { callLog } from '../../shared/aws/calls.ts';
import { MotoServer } from '../../dev/local/moto.ts';
import { containerCaches } from '../../shared/state/cache.ts';

const GUARDRAILS_ENV = Object.keys(process.env).filter((k) => k.startsWith('GUARDRAILS_'));

/**
 * One local AWS account (moto) for a test file: started before its tests, reset before each (with a cold
 * container: `containerCaches.clear()`), stopped after.
 * When moto is missing the tests fail — loudly, with how to install it — they never pass silently.
 */
export function useMoto(env: Record<string, string> = {}): { readonly moto: MotoServer } {
  const holder = {} as { moto: MotoServer };
  before(async () => {
    holder.moto = await MotoServer.start();
    for (const k of GUARDRAILS_ENV) delete process.env[k];
    Object.assign(process.env, holder.moto.env(), { POWERTOOLS_LOG_LEVEL: 'SILENT' }, env);
    sdkClients.clear();
  });
  beforeEach(async () => {
    await holder.moto.reset();
    // A fresh account is a cold container too: nothing cached from the last test's account (credentials, quota…).
    containerCaches.clear();
    callLog.reset();
  });
  after(async () => {
    await holder.moto?.stop();
  });
  return holder;
}

export { withEnv } from '../../dev/local/env.ts';
