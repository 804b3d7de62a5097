// The Gmail add-on card, run from the built bundle as card actions (30 s each) in the emulator: what the
// user sees in French and English, that its buttons start the real work elsewhere (a trigger execution)
// or apply quick controls, the fresh-install path (a refused first collection says what is missing and
// leaves a failed JobRuns row), the cancel confirmation, escaped text and times in the script's zone.

import { renderCard } from '../../emulator/services/card-service';
import { attachment, textPart } from '../../emulator/demo/mime-writer';
import { makePdf } from '../../emulator/demo/binary-files';
import type { Runner } from '../../emulator/runner';
import type { Workspace } from '../../emulator/workspace';
import { addMessage, ensureBuilt, jobRuns, openWorkspace, receipts, storeSettings, SUPPLIER } from './collect/helpers';
import { invoiceRows, sendRows, setupSend, type ListRow } from './send/helpers';

beforeAll(() => ensureBuilt());

type Json = ReturnType<typeof renderCard>;
/** A card's JSON tree (a CardService object rendered; a part of a rendered tree as it is). */
const tree = (value: unknown): Json =>
  typeof (value as { toJSON?: unknown } | null)?.toJSON === 'function' ? renderCard(value) : (value as Json);
const text = (value: unknown) => JSON.stringify(tree(value));

/** The toast of an action response. */
function toast(value: unknown): string {
  return String((tree(value).notification as { text?: string } | undefined)?.text ?? '');
}

/** Every node of a card tree (depth first). */
function nodes(value: unknown): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      out.push(node as Record<string, unknown>);
      Object.values(node).forEach(walk);
    }
  };
  walk(value);
  return out;
}

/** The text of the widgets a card renders with formatting (TextParagraph, DecoratedText). */
function formattedTexts(value: unknown): string[] {
  return nodes(tree(value))
    .filter((node) => node.type === 'TextParagraph' || node.type === 'DecoratedText')
    .map((node) => String(node.text ?? ''));
}

/** What a formatted card text shows, when it holds no markup: its entities decoded. */
function shown(formatted: string): string {
  return formatted.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function buttons(
  value: unknown,
): Array<{ text: string; functionName?: string; parameters?: Record<string, string>; disabled?: boolean; url?: string }> {
  return nodes(tree(value))
    .filter((node) => node.type === 'TextButton')
    .map((node) => ({
      text: String(node.text),
      functionName: (node.onClickAction as { functionName?: string } | undefined)?.functionName,
      parameters: (node.onClickAction as { parameters?: Record<string, string> } | undefined)?.parameters,
      disabled: node.disabled as boolean | undefined,
      url: (node.openLink as { url?: string } | undefined)?.url,
    }));
}

function collectButton(value: unknown) {
  return buttons(value).find((b) => b.functionName === 'onCardCollectNow');
}

function home(runner: Runner): Json {
  const result = runner.card('onHomepage');
  expect(result.outcome).toBe('completed');
  return tree(result.value);
}

function invoiceMessage(workspace: Workspace, name = 'INV-1.pdf'): string {
  return addMessage(workspace, {
    root: {
      kind: 'multi',
      subtype: 'mixed',
      parts: [textPart('Invoice attached'), attachment('application/pdf', name, makePdf([name, 'Total 100,00 €']))],
    },
  });
}

const WORDS = {
  fr: {
    never: 'Aucune collecte pour le moment.',
    couldNot: 'Impossible : ',
    collectNow: 'Collecter maintenant',
    noSend: 'Aucun envoi pour le moment.',
    missing: 'Collecte non lancée : aucun expéditeur autorisé n’est configuré',
    failedAt: 'Dernière collecte : Échec, 15/01/2026 09:00',
    started: 'Collecte lancée',
    startedDry: 'Simulation lancée',
    requested: 'Collecte demandée à 15/01/2026 09:00',
    running: 'Une collecte est en cours (depuis 15/01/2026 09:00).',
    busy: 'Une collecte est déjà en cours ; son résultat s’affichera ici.',
    last: 'Dernière collecte : Terminée',
    dryLast: 'Dernière collecte : Simulation',
    openLog: 'Ouvrir le journal',
    badMax: 'Impossible : Nombre maximum : saisissez un nombre entier de 1 à 10000.',
    planned: 'Un envoi est prêt : 30 facture(s) prévue(s)',
    start: 'Démarrer l’envoi',
    sendStarted: /^Envoi démarré : \d+ envoyée\(s\) pour l’instant/,
    sending: /Envoi en cours : \d+ envoyée\(s\), 0 erreur\(s\) sur 30/,
    pace: /\d+ e-mails\/min, encore \d+ min environ/,
    finished: /Terminé : 30 envoyée\(s\), 0 erreur\(s\) sur 30 \(100 %\)/,
    confirmTitle: 'Annuler l’envoi ?',
    confirmYes: 'Oui, annuler l’envoi',
    confirmNo: 'Non, continuer',
    cancelled: 'Annulé',
    prepare: 'Pour préparer un envoi',
    refreshed: 'À jour (15/01/2026 09:00).',
    unknownAction: 'Impossible : Action inconnue « explode ».',
  },
  en: {
    never: 'No collection yet.',
    couldNot: 'Could not do it: ',
    collectNow: 'Collect now',
    noSend: 'No send yet.',
    missing: 'Collection not started: no allowed sender is set',
    failedAt: 'Last run: Failed, 15/01/2026 09:00',
    started: 'Collection started',
    startedDry: 'Dry run started',
    requested: 'Collection requested at 15/01/2026 09:00',
    running: 'A collection is running (since 15/01/2026 09:00).',
    busy: 'A collection is already under way; its result will show here.',
    last: 'Last run: Succeeded',
    dryLast: 'Last run: Dry run',
    openLog: 'Open the log',
    badMax: 'Could not do it: Maximum items: enter a whole number from 1 to 10000.',
    planned: 'A send is ready: 30 invoice(s) planned',
    start: 'Start sending',
    sendStarted: /^Sending started: \d+ sent so far/,
    sending: /Sending: \d+ sent, 0 error\(s\) out of 30/,
    pace: /\d+ emails\/min, about \d+ min left/,
    finished: /Finished: 30 sent, 0 error\(s\) out of 30 \(100 %\)/,
    confirmTitle: 'Cancel the send?',
    confirmYes: 'Yes, cancel the send',
    confirmNo: 'No, keep it',
    cancelled: 'Cancelled',
    prepare: 'To prepare a send',
    refreshed: 'Up to date (15/01/2026 09:00).',
    unknownAction: 'Could not do it: Unknown action “explode”.',
  },
} as const;

describe.each(['fr', 'en'] as const)('the Gmail home card (%s)', (locale) => {
  const w = WORDS[locale];

  it('shows that nothing ran yet, with Collect now, its dry-run switch and the way to prepare a send', () => {
    const { runner } = openWorkspace({ locale });
    const card = home(runner);
    const texts = formattedTexts(card).join('\n');
    expect(texts).toContain(w.never);
    expect(texts).toContain(w.noSend);
    expect(texts).toContain(w.prepare);
    expect(collectButton(card)).toMatchObject({ text: w.collectNow });
    expect(collectButton(card)?.disabled).toBeUndefined();
    expect(
      nodes(card).some((node) => node.type === 'SelectionInput' && node.selectionType === 'SWITCH' && node.fieldName === 'collectDryRun'),
    ).toBe(true);
  });

  it('fresh install: Collect now says what is missing in the user’s words and leaves a failed JobRuns row', () => {
    const { workspace, runner } = openWorkspace({ locale }, null);
    const clicked = runner.card('onCardCollectNow', {});
    expect(clicked.outcome).toBe('completed');
    expect(clicked.counts.virtualMs).toBeLessThan(30_000);
    expect(toast(clicked.value)).toContain(w.missing);
    // Nothing was scheduled that could only fail.
    expect(workspace.triggers.triggers.map((t) => t.handlerFunction)).not.toContain('runCollectNow');
    const runs = jobRuns(workspace);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ job: 'collect', status: 'failed', receipts_created: 0 });
    expect(String(runs[0].summary)).toContain(w.missing);
    const card = home(runner);
    const texts = formattedTexts(card).join('\n');
    expect(texts).toContain(w.failedAt);
    expect(texts).toContain(w.missing);
    expect(texts).not.toContain(w.never);
    // Once a sender is allowed, the same button collects.
    storeSettings(workspace, { allowedSenders: [SUPPLIER] });
    invoiceMessage(workspace);
    expect(toast(runner.card('onCardCollectNow', {}).value)).toContain(w.started);
    runner.advanceAndFire(60_000);
    expect(receipts(workspace)).toHaveLength(1);
    expect(jobRuns(workspace).map((r) => r.status)).toEqual(['failed', 'succeeded']);
  });

  it('fresh install: the trigger and the sidebar record the refusal too, without crashing the trigger', () => {
    const { workspace, runner } = openWorkspace({ locale }, null);
    const fired = runner.invoke('runCollectNow', [], 'trigger');
    expect(fired.outcome).toBe('completed');
    const called = runner.rpc('collectFromGmail', {});
    expect(called.outcome).toBe('threw');
    expect(called.error?.message).toContain(w.missing);
    const runs = jobRuns(workspace);
    expect(runs.map((r) => [r.job, r.status])).toEqual([
      ['collect', 'failed'],
      ['collect', 'failed'],
    ]);
    for (const run of runs) expect(String(run.summary)).toContain(w.missing);
  });

  it('Collect now answers at once, disables itself until the run is over, then shows the result and its log', () => {
    const { workspace, runner } = openWorkspace({ locale });
    invoiceMessage(workspace);
    const clicked = runner.card('onCardCollectNow', {});
    expect(clicked.outcome).toBe('completed');
    expect(clicked.counts.virtualMs).toBeLessThan(30_000);
    expect(toast(clicked.value)).toContain(w.started);
    expect(receipts(workspace)).toHaveLength(0);
    expect(workspace.triggers.triggers.map((t) => t.handlerFunction)).toContain('runCollectNow');
    // The redrawn card: requested, the button disabled; a second click is not a second run.
    const redrawn = (tree(clicked.value).navigation as { steps: Array<{ updateCard?: unknown }> }).steps.find(
      (s) => s.updateCard,
    )?.updateCard;
    expect(formattedTexts(redrawn).join('\n')).toContain(w.requested);
    expect(collectButton(redrawn)?.disabled).toBe(true);
    expect(collectButton(home(runner))?.disabled).toBe(true);

    const fired = runner.advanceAndFire(60_000);
    expect(fired.map((r) => [r.fn, r.outcome])).toContainEqual(['runCollectNow', 'completed']);
    expect(receipts(workspace).map((r) => r.original_filename)).toEqual(['INV-1.pdf']);
    const after = home(runner);
    expect(formattedTexts(after).join('\n')).toContain(w.last);
    // With its duration.
    expect(formattedTexts(after).join('\n')).toMatch(/09:00 \(\d+ s\)/);
    expect(collectButton(after)?.disabled).toBeUndefined();
    const log = buttons(after).find((b) => b.text === w.openLog);
    expect(log?.url).toBe(String(jobRuns(workspace)[0].log_url));
    expect(log?.url).toMatch(/^https:\/\/drive\.google\.com\//);
  });

  it('while a collection runs, the card says since when, the button is disabled and a click starts nothing', () => {
    const { workspace, runner } = openWorkspace({ locale });
    invoiceMessage(workspace);
    let during: Json | null = null;
    let clickedMeanwhile: unknown = null;
    const run = runner.invoke('runCollectNow', [], 'trigger', {
      during: [
        {
          atCall: 30,
          run: () => {
            during = home(runner);
            clickedMeanwhile = runner.card('onCardCollectNow', {}).value;
          },
        },
      ],
    });
    expect(run.outcome).toBe('completed');
    expect(during).not.toBeNull();
    expect(formattedTexts(during).join('\n')).toContain(w.running);
    expect(collectButton(during)?.disabled).toBe(true);
    expect(toast(clickedMeanwhile)).toBe(w.busy);
    expect(workspace.triggers.triggers.map((t) => t.handlerFunction)).not.toContain('runCollectNow');
    expect(jobRuns(workspace)).toHaveLength(1);
  });

  it('when no trigger can be installed, Collect now says Google’s reason and leaves nothing waiting', () => {
    const { workspace, runner } = openWorkspace({ locale });
    expect(
      runner.evaluate("(() => { for (let i = 0; i < 20; i++) ScriptApp.newTrigger('other' + i).timeBased().everyHours(1).create(); })()")
        .outcome,
    ).toBe('completed');
    const clicked = runner.card('onCardCollectNow', {});
    expect(clicked.outcome).toBe('completed');
    expect(toast(clicked.value)).toBe(
      `${w.couldNot}This script has too many triggers. Triggers must be deleted from the script before more can be added.`,
    );
    const card = home(runner);
    expect(collectButton(card)?.disabled).toBeUndefined();
    expect(formattedTexts(card).join('\n')).toContain(w.never);
    expect(workspace.triggers.triggers.map((t) => t.handlerFunction)).not.toContain('runCollectNow');
  });

  it('Collect now with the dry-run switch writes nothing and says so', () => {
    const { workspace, runner } = openWorkspace({ locale });
    invoiceMessage(workspace);
    const clicked = runner.card('onCardCollectNow', {
      commonEventObject: { formInputs: { collectDryRun: { stringInputs: { value: ['true'] } } } },
    });
    expect(toast(clicked.value)).toContain(w.startedDry);
    runner.advanceAndFire(60_000);
    expect(receipts(workspace)).toHaveLength(0);
    expect(jobRuns(workspace).map((r) => r.status)).toEqual(['dry_run']);
    expect(formattedTexts(home(runner)).join('\n')).toContain(w.dryLast);
  });

  it('Collect now with a bad maximum says so and schedules nothing; a good one limits the run', () => {
    const { workspace, runner } = openWorkspace({ locale });
    invoiceMessage(workspace, 'A.pdf');
    invoiceMessage(workspace, 'B.pdf');
    const bad = runner.card('onCardCollectNow', { formInput: { collectMaxItems: 'douze' } });
    expect(bad.outcome).toBe('completed');
    expect(toast(bad.value)).toBe(w.badMax);
    expect(workspace.triggers.triggers.map((t) => t.handlerFunction)).not.toContain('runCollectNow');
    runner.card('onCardCollectNow', { formInput: { collectMaxItems: '1' } });
    runner.advanceAndFire(60_000);
    expect(receipts(workspace)).toHaveLength(1);
  });

  it('starts a send planned in the sidebar within the card limit; the trigger finishes it', () => {
    // 10 per minute: 30 invoices take three minutes, longer than one card action.
    const { workspace, runner } = setupSend(invoiceRows(30), { locale, settings: { maxPerMinute: 10 } });
    expect(runner.rpc('planSend', {}).outcome).toBe('completed');
    const planned = home(runner);
    expect(formattedTexts(planned).join('\n')).toContain(w.planned);
    expect(buttons(planned).find((b) => b.functionName === 'onCardSendStart')?.text).toBe(w.start);

    const started = runner.card('onCardSendStart', {});
    expect(started.outcome).toBe('completed');
    expect(started.counts.virtualMs).toBeLessThan(30_000);
    expect(toast(started.value)).toMatch(w.sendStarted);
    const sentNow = sendRows(workspace).filter((r) => r.status === 'sent').length;
    expect(sentNow).toBeGreaterThan(0);
    expect(sentNow).toBeLessThan(30);
    const sending = formattedTexts(home(runner)).join('\n');
    expect(sending).toMatch(w.sending);
    expect(sending).toMatch(w.pace);

    runner.runUntilIdle({ maxExecutions: 20 });
    expect(sendRows(workspace).filter((r) => r.status === 'sent')).toHaveLength(30);
    const done = home(runner);
    expect(formattedTexts(done).join('\n')).toMatch(w.finished);
    expect(buttons(done).some((b) => b.functionName === 'onCardSendControl')).toBe(false);
  });

  it('asks before cancelling a send; "no" keeps it going, "yes" cancels it', () => {
    // 60 invoices at 10 per minute: the sidebar's first chunk (4.5 min) leaves some to send.
    const { workspace, runner } = setupSend(invoiceRows(60), { locale, settings: { maxPerMinute: 10 } });
    runner.rpc('startSend');
    const before = sendRows(workspace).filter((r) => r.status === 'sent').length;
    const cancel = buttons(home(runner)).find((b) => b.text === (locale === 'fr' ? 'Annuler' : 'Cancel'));
    expect(cancel?.functionName).toBe('onCardSendCancelConfirm');

    const asked = runner.card('onCardSendCancelConfirm', {});
    expect(asked.outcome).toBe('completed');
    const pushed = (tree(asked.value).navigation as { steps: Array<{ pushCard?: unknown }> }).steps[0].pushCard;
    expect(text(pushed)).toContain(w.confirmTitle);
    expect(buttons(pushed).map((b) => b.text)).toEqual([w.confirmYes, w.confirmNo]);
    expect(String(JSON.stringify(runner.rpc('getSendProgress').value))).toContain('"state":"running"');

    // "No": back to the home card, the send untouched.
    const no = runner.card('onCardBack', {});
    expect(text(no.value)).toContain('popToRoot');
    expect(String(JSON.stringify(runner.rpc('getSendProgress').value))).toContain('"state":"running"');
    // A cancel without the confirmation (an old card) asks again instead of cancelling.
    const unconfirmed = runner.card('onCardSendControl', { parameters: { action: 'cancel' } });
    expect(text(unconfirmed.value)).toContain(w.confirmTitle);
    expect(String(JSON.stringify(runner.rpc('getSendProgress').value))).toContain('"state":"running"');

    const yes = buttons(pushed).find((b) => b.text === w.confirmYes);
    const confirmed = runner.card(String(yes?.functionName), { parameters: yes?.parameters });
    expect(confirmed.outcome).toBe('completed');
    expect(confirmed.counts.virtualMs).toBeLessThan(30_000);
    expect(toast(confirmed.value)).toBe(w.cancelled);
    expect(String(JSON.stringify(runner.rpc('getSendProgress').value))).toContain('"state":"cancelled"');
    const after = sendRows(workspace);
    expect(after.filter((r) => r.status === 'sent').length).toBeGreaterThanOrEqual(before);
    expect(after.filter((r) => r.status === 'pending').length).toBeGreaterThan(0);
    runner.runUntilIdle({ maxExecutions: 5 });
    expect(sendRows(workspace).filter((r) => r.status === 'sent').length).toBeLessThan(60);
  });

  it('says, in the user’s words, when an action cannot apply, and refreshes with the time of the script’s zone', () => {
    const { runner } = openWorkspace({ locale });
    const unknown = runner.card('onCardSendControl', { parameters: { action: 'explode' } });
    expect(unknown.outcome).toBe('completed');
    expect(toast(unknown.value)).toBe(w.unknownAction);
    const notPlanned = runner.card('onCardSendStart', {});
    expect(toast(notPlanned.value)).toContain(w.prepare);
    expect(toast(runner.card('onCardRefresh', {}).value)).toBe(w.refreshed);
  });
});

describe.each(['fr', 'en'] as const)('the card’s export section (%s)', (locale) => {
  const w = {
    fr: {
      none: 'Aucun export pour le moment.',
      button: 'Exporter',
      started: /^Export lancé : /,
      folder: 'Ouvrir le dossier d’export',
      done: /3 messages exportés/,
    },
    en: {
      none: 'No export yet.',
      button: 'Export',
      started: /^Export started: /,
      folder: 'Open the export folder',
      done: /3 messages exported/,
    },
  }[locale];

  it('exports the messages of the search typed in the card, the button disabled while it runs, then links the folder', () => {
    const { workspace, runner } = openWorkspace({ locale });
    for (const name of ['A.pdf', 'B.pdf', 'C.pdf']) invoiceMessage(workspace, name);
    addMessage(workspace, { from: 'Autre <news@autre.example>', root: textPart('Newsletter') });
    const before = home(runner);
    expect(formattedTexts(before).join('\n')).toContain(w.none);
    const exportButton = (card: unknown) => buttons(card).find((b) => b.functionName === 'onCardExportStart');
    expect(exportButton(before)).toMatchObject({ text: w.button });
    expect(nodes(before).some((node) => node.type === 'TextInput' && node.fieldName === 'exportQuery')).toBe(true);

    const clicked = runner.card('onCardExportStart', { formInput: { exportQuery: 'from:fournisseur-verre.fr' } });
    expect(clicked.outcome).toBe('completed');
    expect(clicked.counts.virtualMs).toBeLessThan(30_000);
    expect(toast(clicked.value)).toMatch(w.started);
    expect(exportButton(home(runner))?.disabled).toBe(true);

    runner.runUntilIdle({ maxExecutions: 20 });
    const after = home(runner);
    expect(formattedTexts(after).join('\n')).toMatch(w.done);
    expect(exportButton(after)?.disabled).toBeUndefined();
    const folder = buttons(after).find((b) => b.text === w.folder);
    expect(folder?.url).toMatch(/^https:\/\/drive\.google\.com\//);
    expect(jobRuns(workspace).map((r) => [r.job, r.status])).toContainEqual(['export', 'succeeded']);
  });

  it('a search the export refuses is said in the user’s words and starts nothing', () => {
    const { runner } = openWorkspace({ locale });
    const clicked = runner.card('onCardExportStart', { formInput: { exportQuery: 'x'.repeat(5000) } });
    expect(clicked.outcome).toBe('completed');
    expect(toast(clicked.value)).toMatch(
      locale === 'fr' ? /^Impossible : query .*2000 caractères/ : /^Could not do it: query .*2000 characters/,
    );
    expect(formattedTexts(home(runner)).join('\n')).toContain(w.none);
  });
});

describe('the card when its state cannot be read', () => {
  it.each([
    [
      'fr',
      'Postroom n’a pas pu lire son état pour le moment : Une valeur enregistrée par Postroom (postroom.collect.lastRun) n’est plus lisible',
    ],
    ['en', 'Postroom could not read its state just now: A value Postroom stored (postroom.collect.lastRun) cannot be read any more'],
  ] as const)('shows the error in the user’s words (%s) with Refresh, instead of failing', (locale, words) => {
    const { workspace, runner } = openWorkspace({ locale });
    const values = new Map(workspace.properties.user.values);
    values.set('postroom.collect.lastRun', '{broken');
    workspace.properties.user.commit(values);
    const card = home(runner);
    expect(formattedTexts(card).join('\n')).toContain(words);
    expect(buttons(card).map((b) => b.functionName)).toEqual(['onCardRefresh']);
  });
});

describe('the card’s times', () => {
  it('are in the script’s time zone, never UTC', () => {
    const { runner } = openWorkspace({ locale: 'en', timeZone: 'America/New_York' }, null);
    runner.card('onCardCollectNow', {});
    // 08:00 UTC is 03:00 in New York in January.
    expect(formattedTexts(home(runner)).join('\n')).toContain('Last run: Failed, 15/01/2026 03:00');
  });
});

describe('text from a sheet, a mailbox or an error on the card', () => {
  const HOSTILE = ['<a href="https://evil.example/">pay here</a>', '<b>URGENT</b>', '<font color="#ff0000">red</font>'];

  function expectEscaped(value: unknown, originals: string[]): void {
    const texts = formattedTexts(value);
    for (const formatted of texts) expect(formatted).not.toMatch(/<[a-z/]/i);
    const all = texts.map(shown).join('\n');
    for (const original of originals) expect(all).toContain(original);
  }

  it('shows a send list’s keys and file names as text, never as a link or formatting', () => {
    // 10 per minute: the first chunk sends some rows; the card shows the last one's event.
    const rows: ListRow[] = invoiceRows(60).map((row, i) => ({
      ...row,
      key: `${HOSTILE[i % 3]}CCT${i}`,
      attachments: `${HOSTILE[(i + 1) % 3]}-${i}.pdf`,
    }));
    const files = rows.map((row, i) => ({ name: row.attachments, bytes: new Uint8Array(makePdf([`Facture ${i}`])) }));
    const { runner } = setupSend(rows, { locale: 'fr', settings: { maxPerMinute: 10 }, files });
    expect(runner.rpc('startSend').outcome).toBe('completed');
    const card = home(runner);
    const event = formattedTexts(card)
      .map(shown)
      .find((t) => t.startsWith('✅ Email'));
    expect(event).toBeDefined();
    const row = rows.find((r) => event?.includes(`${r.key} - ${r.attachments}`));
    expect(row).toBeDefined();
    expectEscaped(card, [row!.key, row!.attachments]);
  });

  it('shows an error quoting a bad setting as text', () => {
    const { workspace, runner } = openWorkspace({ locale: 'en' }, null);
    storeSettings(workspace, { allowedSenders: [HOSTILE[0]], labelImported: HOSTILE[1] });
    const clicked = runner.card('onCardCollectNow', {});
    expect(clicked.outcome).toBe('completed');
    const card = home(runner);
    const texts = formattedTexts(card).map(shown).join('\n');
    expect(texts).toContain('Collection not started');
    expectEscaped(card, []);
    // The message quotes the value the user typed: it is shown, as text.
    expect(texts).toMatch(/evil\.example|URGENT/);
  });

  it('keeps an ampersand as the user wrote it', () => {
    const rows = invoiceRows(60).map((row) => ({ ...row, key: `A&B <${row.key}>` }));
    const { runner } = setupSend(rows, { locale: 'en', settings: { maxPerMinute: 10 } });
    runner.rpc('startSend');
    const texts = formattedTexts(home(runner));
    expect(texts.join('\n')).toMatch(/A&amp;B &lt;CCT\d+&gt;/);
    expect(texts.map(shown).join('\n')).toMatch(/A&B <CCT\d+>/);
  });
});
