// Conformance tests for Session, MailApp's quota, HtmlService, CardService and Logger/console.
// https://developers.google.com/apps-script/reference/base/session
// https://developers.google.com/apps-script/reference/mail/mail-app#getRemainingDailyQuota()
// https://developers.google.com/apps-script/reference/html/html-service#createHtmlOutputFromFile(String)
// https://developers.google.com/apps-script/reference/card-service/card-service
// https://developers.google.com/apps-script/reference/base/logger

import { Execution } from '../../../emulator/runtime/execution';
import { createSession } from '../../../emulator/services/session';
import { createMailApp } from '../../../emulator/services/mail-app';
import { createHtmlService } from '../../../emulator/services/html-service';
import { CARD_ERRORS, createCardService, renderCard } from '../../../emulator/services/card-service';
import { createLogger, type LogEntry } from '../../../emulator/services/logger';
import { newContext } from './helpers';

describe('Session: users, locale, time zone', () => {
  it('answers what it was configured with', () => {
    const session = createSession(newContext(), { activeUserEmail: 'compta@cabinet.fr', locale: 'fr', scriptTimeZone: 'Europe/Paris' });
    expect(session.getActiveUser().getEmail()).toBe('compta@cabinet.fr');
    expect(session.getEffectiveUser().getEmail()).toBe('compta@cabinet.fr');
    expect(session.getActiveUserLocale()).toBe('fr');
    expect(session.getScriptTimeZone()).toBe('Europe/Paris');
    expect(session.getTemporaryActiveUserKey()).toBe(
      createSession(newContext(), { activeUserEmail: 'compta@cabinet.fr' }).getTemporaryActiveUserKey(),
    );
  });
  it('an active user withheld by the platform is the empty string', () => {
    const session = createSession(newContext(), { activeUserEmail: '', effectiveUserEmail: 'owner@cabinet.fr' });
    expect(session.getActiveUser().getEmail()).toBe('');
    expect(session.getEffectiveUser().getEmail()).toBe('owner@cabinet.fr');
  });
});

describe('MailApp.getRemainingDailyQuota reads the workspace quotas', () => {
  it('follows the recipients left', () => {
    let left = 100;
    const mail = createMailApp({ remainingRecipients: () => left }, newContext());
    expect(mail.getRemainingDailyQuota()).toBe(100);
    left = 3;
    expect(mail.getRemainingDailyQuota()).toBe(3);
    expect(() => (mail as unknown as { sendEmail(): void }).sendEmail()).toThrow('Not emulated: MailApp.sendEmail');
  });
});

describe("HtmlService: files of the project, and Apps Script's error for a missing one", () => {
  it('serves a named file with or without .html, and records title and size', () => {
    const html = createHtmlService({ Sidebar: '<p>hi</p>' }, newContext());
    const output = html.createHtmlOutputFromFile('Sidebar.html').setTitle('Postroom').setWidth(300);
    expect(output.getContent()).toBe('<p>hi</p>');
    expect(output.getTitle()).toBe('Postroom');
    expect(output.getWidth()).toBe(300);
    expect(html.createHtmlOutput('<b>x</b>').append('!').getContent()).toBe('<b>x</b>!');
  });
  it('a missing file throws "No HTML file named X was found."', () => {
    const html = createHtmlService({}, newContext());
    expect(() => html.createHtmlOutputFromFile('Dialog')).toThrow('No HTML file named Dialog was found.');
  });
});

describe('CardService builds a JSON tree tests and the preview can read', () => {
  it('renders header, sections, widgets, buttons and actions', () => {
    const cs = createCardService(newContext());
    const action = cs.newAction().setFunctionName('onCollectNow').setParameters({ label: 'Postroom/imported' });
    const card = cs
      .newCardBuilder()
      .setHeader(cs.newCardHeader().setTitle('Postroom').setSubtitle('3 reçus'))
      .addSection(
        cs
          .newCardSection()
          .setHeader('Collecte')
          .addWidget(cs.newDecoratedText().setTopLabel('Dernière collecte').setText('15/01/2026 09:00'))
          .addWidget(cs.newTextParagraph().setText('<b>2</b> nouveaux'))
          .addWidget(cs.newButtonSet().addButton(cs.newTextButton().setText('Collecter').setOnClickAction(action))),
      )
      .build();
    expect(renderCard(card)).toEqual({
      type: 'Card',
      header: { type: 'CardHeader', title: 'Postroom', subtitle: '3 reçus' },
      sections: [
        {
          type: 'CardSection',
          header: 'Collecte',
          widgets: [
            { type: 'DecoratedText', topLabel: 'Dernière collecte', text: '15/01/2026 09:00' },
            { type: 'TextParagraph', text: '<b>2</b> nouveaux' },
            {
              type: 'ButtonSet',
              buttons: [
                {
                  type: 'TextButton',
                  text: 'Collecter',
                  onClickAction: { type: 'Action', functionName: 'onCollectNow', parameters: { label: 'Postroom/imported' } },
                },
              ],
            },
          ],
        },
      ],
    });
  });
  it('an action response carries navigation and notification', () => {
    const cs = createCardService(newContext());
    const next = cs
      .newCardBuilder()
      .addSection(cs.newCardSection().addWidget(cs.newTextParagraph().setText('ok')))
      .build();
    const response = cs
      .newActionResponseBuilder()
      .setNavigation(cs.newNavigation().pushCard(next))
      .setNotification(cs.newNotification().setText('Collecte lancée'))
      .build();
    const tree = renderCard(response) as {
      navigation: { steps: Array<{ pushCard: { sections: unknown[] } }> };
      notification: { text: string };
    };
    expect(tree.notification.text).toBe('Collecte lancée');
    expect(tree.navigation.steps[0].pushCard.sections).toHaveLength(1);
  });
  it('refuses a card without a section and non-string action parameters', () => {
    const cs = createCardService(newContext());
    expect(() => cs.newCardBuilder().setHeader(cs.newCardHeader().setTitle('x')).build()).toThrow(CARD_ERRORS.noSection);
    expect(() => cs.newAction().setParameters({ n: 1 as unknown as string })).toThrow(CARD_ERRORS.parameters);
  });
  it('a built card does not change when its builder does', () => {
    const cs = createCardService(newContext());
    const section = cs.newCardSection().addWidget(cs.newTextParagraph().setText('a'));
    const card = cs.newCardBuilder().addSection(section).build();
    section.addWidget(cs.newTextParagraph().setText('b'));
    expect((renderCard(card) as { sections: Array<{ widgets: unknown[] }> }).sections[0].widgets).toHaveLength(1);
  });
});

describe('Logger and console write to the per-execution log list', () => {
  it('records level, formatted text, virtual time and execution id', () => {
    const ctx = newContext();
    const logs: LogEntry[] = [];
    const { Logger, console } = createLogger(logs, ctx);
    ctx.execution = new Execution(4, 1, 'rpc', 'f', ctx.clock.now());
    Logger.log('Collected %s receipts in %d ms', 'three', 12);
    console.warn('quota', { left: 3 });
    console.error(new Error('boom').message);
    expect(logs.map((l) => [l.level, l.message, l.executionId])).toEqual([
      ['Logger', 'Collected three receipts in 12 ms', 4],
      ['warn', 'quota { left: 3 }', 4],
      ['error', 'boom', 4],
    ]);
    expect(Logger.getLog()).toBe('Collected three receipts in 12 ms');
    expect(logs[0].at).toBe(ctx.clock.now());
  });
});
