import { MotoServer } from '../../local/moto.ts';

/**
 * Runs a bench against a fresh local account: moto started, this process's AWS environment pointed at it
 * with Powertools' logs silenced (then `vars`; undefined unsets), fresh SDK clients, and moto stopped however
 * the bench ends. The environment stays set (`npm run bench` runs the benches one after another, each setting
 * what it needs). Import the product's modules inside `bench`, once the environment is set: the functions'
 * logger reads its level when it is created.
 */
export async function onLocalAccount(vars: Record<string, string | undefined>, bench: (moto: MotoServer) => Promise<void>): Promise<void> {
  const moto = await MotoServer.start();
  try {
    Object.assign(process.env, moto.env(), { POWERTOOLS_LOG_LEVEL: 'SILENT' });
    for (const [k, v] of Object.entries(vars)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    (await import('../../../shared/aws/client.ts')).sdkClients.clear();
    await bench(moto);
  } finally {
    await moto.stop();
  }
}
