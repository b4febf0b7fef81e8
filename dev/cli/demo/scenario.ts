import type { DemoContext } from './context.ts';

/** One story the demo tells; each capability adds its own file and one line in index.ts. */
export interface DemoScenario {
  title: string;
  run(ctx: DemoContext): Promise<void>;
}
