// The locale a continuing execution writes in: the one the user's properties keep
// (`postroom.send.locale`), which the sidebar's own calls (getSendProgress, planSend, startSend) keep up
// to date, so continueSend and the continuation trigger ask Session nothing.

import { driveSend } from '../../../emulator/commands/send';
import { ensureBuilt, invoiceRows, setupSend } from './helpers';

type View = { progress: { events: string[] } | null };

describe('the locale kept for continuing executions', () => {
  beforeAll(ensureBuilt);

  it('continueSend writes in the locale the sidebar last saw; the next progress call keeps the new one', () => {
    const { workspace, runner } = setupSend(invoiceRows(2), { locale: 'fr' });
    expect(driveSend(runner).error).toBeNull();
    expect(workspace.properties.user.values.get('postroom.send.locale')).toBe('fr');

    // The user switches to English: a continuing execution still speaks French (nothing asked Session)…
    workspace.session.locale = 'en';
    const before = runner.rpc('continueSend').value as View;
    expect(before.progress?.events.join('\n')).toMatch(/envoyé/);

    // …until the sidebar's next call, which speaks English and keeps it.
    const view = runner.rpc('getSendProgress').value as View;
    expect(view.progress?.events.join('\n')).toMatch(/ sent: /);
    expect(workspace.properties.user.values.get('postroom.send.locale')).toBe('en');
    const after = runner.rpc('continueSend').value as View;
    expect(after.progress?.events.join('\n')).toMatch(/ sent: /);
    expect(after.progress?.events.join('\n')).not.toMatch(/envoyé/);
  });
});
