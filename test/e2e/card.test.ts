// The Gmail add-on home card, run from the built bundle as card actions (30 s limit): what the user sees,
// and that its buttons start the real work elsewhere (a trigger execution) or apply quick controls.

import { renderCard } from '../../emulator/services/card-service';
import { attachment, textPart } from '../../emulator/demo/mime-writer';
import { makePdf } from '../../emulator/demo/binary-files';
import { addMessage, ensureBuilt, openWorkspace, receipts } from './collect/helpers';
import { invoiceRows, sendRows, setupSend } from './send/helpers';

beforeAll(() => ensureBuilt());

const text = (value: unknown) => JSON.stringify(renderCard(value));

describe('the Gmail home card', () => {
  it('shows that nothing ran yet, in French, with a Collect now button', () => {
    const { runner } = openWorkspace({ locale: 'fr' });
    const result = runner.card('onHomepage');
    expect(result.outcome).toBe('completed');
    const card = text(result.value);
    expect(card).toContain('Aucune collecte pour le moment.');
    expect(card).toContain('Collecter maintenant');
    expect(card).toContain('Aucun envoi pour le moment.');
    expect(card).toContain('onCardCollectNow');
  });

  it('"Collect now" answers at once and the collection runs in its own trigger execution', () => {
    const { workspace, runner } = openWorkspace({ locale: 'en' });
    addMessage(workspace, { root: { kind: 'multi', subtype: 'mixed', parts: [textPart('Invoice attached'), attachment('application/pdf', 'INV-1.pdf', makePdf(['INV-1', 'Total 100,00 €']))] } });
    const clicked = runner.card('onCardCollectNow', {});
    expect(clicked.outcome).toBe('completed');
    expect(clicked.counts.virtualMs).toBeLessThan(30_000);
    expect(text(clicked.value)).toContain('Collection started');
    expect(receipts(workspace)).toHaveLength(0);
    expect(workspace.triggers.triggers.map((t) => t.handlerFunction)).toContain('runCollectNow');

    const fired = runner.advanceAndFire(60_000);
    expect(fired.map((r) => [r.fn, r.outcome])).toContainEqual(['runCollectNow', 'completed']);
    expect(receipts(workspace).map((r) => r.original_filename)).toEqual(['INV-1.pdf']);
    const after = text(runner.card('onHomepage').value);
    expect(after).toContain('Last run: ');
    expect(after).toContain('1 receipt');
  });

  it('pauses and resumes a send in progress within the card limit', () => {
    // 10 per minute: 60 invoices take six minutes, longer than one execution.
    const { workspace, runner } = setupSend(invoiceRows(60), { locale: 'en', settings: { maxPerMinute: 10 } });
    const started = runner.rpc('startSend');
    expect(started.outcome).toBe('completed');
    const before = text(runner.card('onHomepage').value);
    expect(before).toMatch(/Sending: \d+ sent, 0 error\(s\) out of 60/);
    expect(before).toContain('"action":"pause"');

    const paused = runner.card('onCardSendControl', { parameters: { action: 'pause' } });
    expect(paused.outcome).toBe('completed');
    const resumedCard = text(runner.card('onHomepage').value);
    expect(resumedCard).toContain('"action":"resume"');

    // A minute later (the last minute's 10 sends no longer hold the pace back), the user resumes.
    workspace.clock.advance(60_000);
    const sentBefore = sendRows(workspace).filter((r) => r.status === 'sent').length;
    const resumed = runner.card('onCardSendControl', { parameters: { action: 'resume' } });
    expect(resumed.outcome).toBe('completed');
    expect(resumed.counts.virtualMs).toBeLessThan(30_000);
    expect(sendRows(workspace).filter((r) => r.status === 'sent').length).toBeGreaterThan(sentBefore);
    expect(text(runner.card('onHomepage').value)).toMatch(/Sending: \d+ sent/);
  });

  it('says clearly, in the user’s language, when a control cannot apply', () => {
    const { runner } = openWorkspace({ locale: 'fr' });
    const result = runner.card('onCardSendControl', { parameters: { action: 'resume' } });
    expect(result.outcome).toBe('completed');
    expect(text(result.value)).toMatch(/Impossible : Aucun envoi en pause à reprendre/);
  });
});
