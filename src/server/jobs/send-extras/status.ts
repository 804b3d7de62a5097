// What the progress view adds for the send extras: the scheduled send (with its label "Envoi
// programmé le … à …"), the bounces counted for the run shown, and the chosen draft and From.

import type { Locale } from '../../domain/i18n';
import { bouncedCount } from './bounces';
import { readChoices, type SendExtrasDeps } from './deps';
import { readSchedule, viewSchedule, type ScheduleView } from './schedule';

export interface SendProgressExtras {
  scheduled: ScheduleView | null;
  /** Rows of the shown run that bounced after they were sent. */
  bounced: number;
  draft: { draftId: string; subject: string } | null;
  from: string;
}

export function sendProgressExtras(deps: SendExtrasDeps, runId: string | null, locale: Locale): SendProgressExtras {
  const choices = readChoices(deps.store);
  return {
    scheduled: viewSchedule(readSchedule(deps), locale),
    bounced: runId ? bouncedCount(deps, runId) : 0,
    draft: choices.draft ? { draftId: choices.draft.draftId, subject: choices.draft.subject } : null,
    from: choices.from,
  };
}
