// The gateway operations the send extras added (drafts.list, drafts.get raw, settings.sendAs.list)
// through the REST and the Advanced gateways: the same answers, quota units and per-item outcomes
// (a deleted draft is not_found, alone).

import { gmailDraftEml, PDF_CGV, PNG_1X1 } from '../../fixtures/gmail-draft';
import { KINDS, makeWorld } from './helpers';

describe.each(KINDS)('%s gateway: drafts and send-as', (kind) => {
  it('lists drafts, reads them raw, and lists the send-as addresses', () => {
    const world = makeWorld(1);
    const eml = gmailDraftEml({
      subject: 'Modèle {{key}}',
      text: 'Bonjour',
      html: '<p>Bonjour</p><img src="cid:l">',
      inline: { cid: 'l', filename: 'l.png', bytes: PNG_1X1 },
      attachment: { filename: 'CGV.pdf', bytes: PDF_CGV },
    });
    const draft = world.workspace.mailbox.importExported(new Uint8Array(eml));
    const [{ draftId }] = world.workspace.mailbox.drafts().filter((d) => d.message.id === draft.id);
    world.workspace.mailbox.addSendAs({ email: 'factures@cabinet-durand.fr', displayName: 'Factures' });
    world.workspace.mailbox.addSendAs({ email: 'nouveau@cabinet-durand.fr', verified: false });

    const list = world.run(kind, 'listDrafts', {});
    expect(list.result).toEqual({ ok: true, value: { ids: [draftId], nextPageToken: null } });
    const got = world.run(kind, 'getDrafts', [draftId, 'r999']);
    expect(got.result[0].ok).toBe(true);
    expect(Buffer.from(got.result[0].value.raw.bytes).equals(eml)).toBe(true);
    expect(got.result[0].value.messageId).toBe(draft.id);
    expect(got.result[1]).toMatchObject({ ok: false, error: { kind: 'not_found' } });
    expect(got.usage).toEqual({ calls: 2, units: 10 });

    const sendAs = world.run(kind, 'listSendAs');
    expect(
      sendAs.result.value.map((a: { email: string; isPrimary: boolean; verificationStatus: string }) => [
        a.email,
        a.isPrimary,
        a.verificationStatus,
      ]),
    ).toEqual([
      [world.user, true, 'accepted'],
      ['factures@cabinet-durand.fr', false, 'accepted'],
      ['nouveau@cabinet-durand.fr', false, 'pending'],
    ]);
    expect(sendAs.usage).toEqual({ calls: 1, units: 1 });
    expect(sendAs.emulator.units).toBe(1);
  });
});
