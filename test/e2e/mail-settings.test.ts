// The mail transport setting through the BUILT bundle's api (google.script.run): where the choice
// comes from (mail settings, else send settings, else REST), saving it, and a refusal in the user's
// language for an unknown transport.

import { join } from 'node:path';
import { Runner } from '../../emulator/runner';
import { Workspace } from '../../emulator/workspace';

const CODE = join(__dirname, '../../dist/Code.js');

function open(locale: string) {
  const workspace = Workspace.create({ locale });
  return { workspace, runner: new Runner(workspace, { scriptPath: CODE, sidebarPath: null }) };
}

describe('getMailSettings / saveMailSettings', () => {
  it('defaults to REST, follows the send settings, and saves a choice of its own', () => {
    const { workspace, runner } = open('en');
    expect(runner.rpc('getMailSettings').value).toEqual({ transport: 'rest', source: 'default', label: 'Gmail REST API (parallel)' });
    const next = new Map(workspace.properties.user.values);
    next.set('postroom.settings.send', JSON.stringify({ subjectTemplate: 'Facture', transport: 'advanced' }));
    workspace.properties.user.commit(next);
    expect(runner.rpc('getMailSettings').value).toEqual({
      transport: 'advanced',
      source: 'send',
      label: 'Advanced Gmail service (one call at a time)',
    });
    expect(runner.rpc('saveMailSettings', { transport: 'rest' }).value).toEqual({
      transport: 'rest',
      source: 'mail',
      label: 'Gmail REST API (parallel)',
    });
    expect(JSON.parse(workspace.properties.user.values.get('postroom.settings.mail')!)).toEqual({ transport: 'rest' });
  });

  it('refuses an unknown transport in French for a French user, and keeps the saved one', () => {
    const { workspace, runner } = open('fr_FR');
    runner.rpc('saveMailSettings', { transport: 'advanced' });
    const refused = runner.rpc('saveMailSettings', { transport: 'smtp' });
    expect(refused.outcome).toBe('threw');
    expect(refused.error?.message).toContain('Le transport de messagerie « smtp » (settings.mail.transport) est inconnu');
    expect(runner.rpc('saveMailSettings', 'rest').error?.message).toContain('doivent être un objet');
    expect(JSON.parse(workspace.properties.user.values.get('postroom.settings.mail')!)).toEqual({ transport: 'advanced' });
    expect(runner.rpc('getMailSettings').value).toEqual({
      transport: 'advanced',
      source: 'mail',
      label: 'Service Gmail avancé (un appel à la fois)',
    });
  });
});
