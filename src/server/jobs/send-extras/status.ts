// What the progress view adds for the send extras: the scheduled send (with its label "Envoi
// programmé le … à …"), the bounces counted for the run shown, and the chosen draft and From.

import type { Locale } from '../../domain/i18n';
import { bouncedCount } from './bounces';
import type { SendSettings } from '../../domain/send/settings';
import { readDraftPrint, type SendExtrasDeps } from './deps';
import { readSchedule, viewSchedule, type ScheduleView } from './schedule';

export interface SendProgressExtras {
  scheduled: ScheduleView | null;
  /** Rows of the shown run that bounced after they were sent. */
  bounced: number;
  draft: { draftId: string; subject: string } | null;
  from: string;
}

export function sendProgressExtras(
  deps: SendExtrasDeps,
  settings: SendSettings | null,
  runId: string | null,
  locale: Locale,
): SendProgressExtras {
  const draftId = settings?.draftId ?? '';
  return {
    scheduled: viewSchedule(readSchedule(deps), locale),
    bounced: runId ? bouncedCount(deps, runId) : 0,
    draft: draftId ? { draftId, subject: readDraftPrint(deps.store, draftId)?.subject ?? '' } : null,
    from: settings?.sendFrom ?? '',
  };
}

/** A planned send that is scheduled reads as its schedule ("Envoi programmé le … à …") wherever its state is shown (sidebar, card). */
export function withScheduleLabel<P extends { jobId: string; state: string; stateLabel: string }>(
  progress: P | null,
  extras: SendProgressExtras,
): P | null {
  if (!progress || !extras.scheduled || progress.state !== 'planned' || progress.jobId !== extras.scheduled.runId) return progress;
  return { ...progress, stateLabel: extras.scheduled.label };
}
