import type { SlackMessage } from './blocks.ts';
import { renderFinding } from './finding.ts';
import { renderRemediation } from './remediation.ts';
import type { NotifyEvent } from './schema.ts';
import { renderSweep } from './sweep-message.ts';

/** The Block Kit message for one event: pure, so the same event always gives the same message. */
export function renderMessage(event: NotifyEvent): SlackMessage {
  switch (event.kind) {
    case 'sweep': return renderSweep(event.detail, event.id);
    case 'finding': return renderFinding(event.detail, event.id);
    default: return renderRemediation(event.kind, event.detail, event.id);
  }
}
