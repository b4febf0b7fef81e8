/** Regenerates docs/sweep-report.schema.json from shared/sweep/report-schema.ts (a test checks they match). */
import { writeFileSync } from 'node:fs';
import { sweepReportJsonSchema } from '../shared/sweep/report-schema.ts';

const file = new URL('../docs/sweep-report.schema.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(sweepReportJsonSchema(), null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
