import { sdkClients } from '../../../shared/aws/client.ts';
import { captureBus, type BusCapture, type CapturedEvent } from '../../local/bus-capture.ts';
import { MotoServer } from '../../local/moto.ts';
import { LocalRouter, type RoutedEvent } from '../../local/router.ts';
import { loadTemplate, selfRoleArns } from '../../local/template.ts';
import { invokeFunction } from '../invoke.ts';
import { withStdoutOnStderr } from '../output.ts';

export const DEMO_BUS = 'eks-guardrails-bus';

/** A local account with the template's rules in place, the project's bus, and a queue that records what was published. */
export class DemoContext {
  readonly moto: MotoServer;
  readonly router: LocalRouter;
  private readonly capture: BusCapture;

  private constructor(moto: MotoServer, router: LocalRouter, capture: BusCapture) {
    this.moto = moto;
    this.router = router;
    this.capture = capture;
  }

  static async start(): Promise<DemoContext> {
    const moto = await MotoServer.start();
    const template = loadTemplate();
    Object.assign(process.env, moto.env(), {
      GUARDRAILS_MODE: 'enforce',
      GUARDRAILS_EVENT_BUS: DEMO_BUS,
      GUARDRAILS_SELF_ROLE_ARN: selfRoleArns(template).join(','),
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR',
      // The functions' EMF metric lines would bury the demo's story; `invoke` shows them.
      POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    });
    sdkClients.clear();
    // The project's bus, with everything eks-guardrails publishes captured so the demo can show it.
    const capture = await captureBus(moto, DEMO_BUS);
    const router = await LocalRouter.fromTemplate(moto, { template, busName: DEMO_BUS });
    return new DemoContext(moto, router, capture);
  }

  /** Sends CloudTrail-shaped events through the template's rules and runs each function they reach, as Lambda would. */
  async deliver(events: Record<string, unknown>[]): Promise<{ routed: RoutedEvent; result?: unknown; error?: string }[]> {
    const routed = await this.router.route(events);
    const out: { routed: RoutedEvent; result?: unknown; error?: string }[] = [];
    for (const r of routed) {
      try {
        out.push({ routed: r, result: await withStdoutOnStderr(() => invokeFunction(r.functionName, r.event)) });
      } catch (err) {
        out.push({ routed: r, error: (err as Error).message });
      }
    }
    return out;
  }

  /** Result events published on the project's bus since the last call. */
  published(): Promise<CapturedEvent[]> {
    return this.capture.drain();
  }

  async stop(): Promise<void> {
    await this.moto.stop();
  }
}
