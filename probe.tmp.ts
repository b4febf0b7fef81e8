import { MotoServer } from './shared/local/moto.ts';
import { seedNearFullGroup, backdateMarks } from './shared/local/nlb-scenario.ts';
import { runSweep } from './shared/sweep/sweep.ts';
import { loadConfig } from './shared/config/load.ts';
import { resetClients } from './shared/aws/client.ts';
const moto = await MotoServer.start();
Object.assign(process.env, moto.env(), { POWERTOOLS_LOG_LEVEL: 'SILENT' }); resetClients();
try {
  const g = await seedNearFullGroup(moto, 'nlb-full');
  const show = (r: Awaited<ReturnType<typeof runSweep>>) => { for (const c of r.clusters) for (const f of c.findings.filter((f) => f.check.startsWith('nlb'))) console.log(f.id, f.severity, f.state, f.resource.type, f.resource.id, f.actions.map((a) => `${a.kind}:${a.status}`).join(',')); console.log(JSON.stringify(r.calls.byOperation)); };
  show(await runSweep({ config: { ...loadConfig(), mode: 'dry-run' } }));
  console.log('--- enforce 1'); show(await runSweep({ config: { ...loadConfig(), mode: 'enforce' } }));
  console.log('backdated', await backdateMarks(moto, g.groupId, 3600));
  console.log('--- enforce 2'); show(await runSweep({ config: { ...loadConfig(), mode: 'enforce' } }));
  console.log('--- enforce 3'); show(await runSweep({ config: { ...loadConfig(), mode: 'enforce' } }));
} finally { await moto.stop(); }
