import type { ResultEventDetail } from '../events/result-events.ts';
import { esc, header, listSection, message, section, type SlackMessage } from './blocks.ts';
import { describeState } from './format.ts';
import { consoleButton, facts, footer, optOut, where, why } from './result-parts.ts';

type Outcome = 'applied' | 'planned' | 'failed';

const HEADLINE: Record<Outcome, string> = {
  applied: '🔧 Repaired',
  planned: '📝 Would repair',
  failed: '❌ Repair failed',
};
const CHANGE_TITLE: Record<Outcome, string> = {
  applied: '*What changed*',
  planned: '*What would change* (nothing was changed)',
  failed: '*What was attempted*',
};
const STATUS_MARK: Record<string, string> = { applied: '✅ applied', planned: '📝 would apply', skipped: '⏭️ skipped', failed: '❌ failed' };

/**
 * "Remediation Applied" / "Planned" / "Failed": what changed (before → after), why, the mode, and how
 * to exempt or undo — the person whose change was reverted learns all of it from one message.
 */
export function renderRemediation(outcome: Outcome, d: ResultEventDetail, eventId: string): SlackMessage {
  const headline = `${HEADLINE[outcome]}${d.mode === 'dry-run' && outcome === 'planned' ? ' (dry-run)' : ''} · ${where(d)}`;
  const changes = d.actions.map((a) => {
    const lines = [`• ${esc(a.summary)} — ${STATUS_MARK[a.status] ?? a.status}${a.reason ? ` (${esc(a.reason)})` : ''}`];
    lines.push(`    before: ${esc(describeState(a.before))}`, `    after:  ${esc(describeState(a.after))}`);
    return lines.join('\n');
  });
  const undo = outcome === 'applied'
    ? 'To undo: add the exemption tag first, then restore the *before* state above — otherwise the next event or sweep repairs it again.'
    : outcome === 'failed'
      ? `Nothing may have changed; the event is retried. To fix by hand: ${esc(d.fixHint)}`
      : `To apply it yourself: ${esc(d.fixHint)}`;
  return message(`${headline}: ${d.title}`, [
    header(headline),
    section(`*${esc(d.title)}*`),
    facts(d),
    listSection(CHANGE_TITLE[outcome], changes.length > 0 ? changes : ['(no action recorded)']),
    why(d),
    optOut(d, undo),
    consoleButton(d),
    footer(d, eventId),
  ]);
}
