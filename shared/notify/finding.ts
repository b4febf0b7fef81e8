import type { ResultEventDetail } from '../events/result-events.ts';
import { esc, header, message, section, type SlackMessage } from './blocks.ts';
import { describeState } from './format.ts';
import { consoleButton, facts, footer, optOut, where, why } from './result-parts.ts';

/** "Finding": reported, nothing changed (report mode, exempt, or a check that never fixes by itself). */
export function renderFinding(d: ResultEventDetail, eventId: string): SlackMessage {
  const headline = `${d.mode === 'exempt' ? '🔕 Finding (exempt)' : '🔎 Finding'} · ${where(d)}`;
  const evidence = Object.keys(d.evidence).length > 0 ? `\n*Evidence:* ${esc(describeState(d.evidence, 1500))}` : '';
  return message(`${headline}: ${d.title}`, [
    header(headline),
    section(`*${esc(d.title)}*`),
    facts(d),
    section(`*Suggested fix* (nothing was changed)\n${esc(d.fixHint)}${evidence}`),
    why(d),
    optOut(d),
    consoleButton(d),
    footer(d, eventId),
  ]);
}
