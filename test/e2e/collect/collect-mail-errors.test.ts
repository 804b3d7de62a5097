// The collect job over the MailGateway's typed errors, through the built bundle: a transient error or
// a rate limit on a read is retried within the run (the run ends succeeded, nothing left behind); an
// AuthError stops the run with the user's-language message, and nothing is labelled or lost.

import { makePdf } from '../../../emulator/demo/binary-files';
import { attachment, textPart } from '../../../emulator/demo/mime-writer';
import type { WorkspaceOptions } from '../../../emulator/workspace';
import { addMessage, collect, ensureBuilt, jobRuns, labelsByMessage, openWorkspace, outcome, receipts, type Opened } from './helpers';

beforeAll(ensureBuilt);

function withThreeMessages(options: WorkspaceOptions = {}): Opened {
  const opened = openWorkspace(options);
  for (let n = 1; n <= 3; n++) {
    addMessage(opened.workspace, {
      messageId: `typed-${n}@x`,
      subject: `Facture ${n}`,
      root: { kind: 'multi', subtype: 'mixed', parts: [textPart('x'), attachment('application/pdf', `T-${n}.pdf`, makePdf([`T-${n}`]))] },
    });
  }
  return opened;
}

describe('typed mail errors in a collect run', () => {
  it.each([
    ['backend', 'messages.get'],
    ['unavailable', 'messages.attachments.get'],
    ['rate', 'messages.list'],
    ['backend', 'messages.batchModify'],
  ] as const)('a %s error on %s is retried within the run: succeeded, same outcome as undisturbed', (kind, method) => {
    const clean = withThreeMessages();
    collect(clean);
    const opened = withThreeMessages();
    opened.workspace.gmailCore.injectFault({ kind, methods: [method], times: 2 });
    const result = collect(opened);
    expect(result.error).toBeNull();
    expect(result.results).toHaveLength(1);
    expect(result.summary).toMatchObject({ status: 'succeeded', error: null });
    expect(result.summary!.metrics.errorsCount).toBe(0);
    expect(outcome(opened.workspace)).toEqual(outcome(clean.workspace));
  });

  it.each([
    ['en_US', /^Gmail refused the authorisation \(.+\)\. Open Postroom again and accept its permissions\./],
    ['fr_FR', /^Gmail a refusé l’autorisation \(.+\)\. Rouvrez Postroom et acceptez ses autorisations\./],
  ])('an AuthError stops the run with the user’s-language message (%s)', (locale, message) => {
    const opened = withThreeMessages({ locale });
    opened.workspace.gmailCore.injectFault({ kind: 'auth', methods: ['messages.get'] });
    const result = collect(opened);
    expect(result.error).toBeNull();
    expect(result.summary!.status).toBe('failed');
    expect(result.summary!.error).toMatch(message);
    expect(result.summary!.text).toMatch(message);
    expect(jobRuns(opened.workspace)[0]).toMatchObject({ status: 'failed' });
    expect(String(jobRuns(opened.workspace)[0].summary)).toMatch(message);
    expect(receipts(opened.workspace)).toEqual([]);
    expect(Object.values(labelsByMessage(opened.workspace)).every((m) => m.labels.length === 0 && m.unread)).toBe(true);
    // Once the user has re-authorised, the next run collects everything.
    opened.workspace.gmailCore.clearFaults();
    expect(collect(opened).summary!.status).toBe('succeeded');
    expect(receipts(opened.workspace)).toHaveLength(3);
  });
});
