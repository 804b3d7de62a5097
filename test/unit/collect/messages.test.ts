import {
  emptyMetrics,
  formatCollectSummary,
  pluralCategory,
  reasonLabel,
  statusLabel,
  translateCollect,
} from '../../../src/server/domain/collect';

const m = (receiptsCreated: number, quarantined: number, duplicatesSkipped: number, errorsCount = 0) => ({
  ...emptyMetrics(),
  receiptsCreated,
  quarantined,
  duplicatesSkipped,
  errorsCount,
});

describe('formatCollectSummary', () => {
  it('speaks French with French plurals', () => {
    expect(formatCollectSummary('fr', m(12, 2, 3))).toBe('12 justificatifs importés, 2 en quarantaine, 3 doublons ignorés');
    expect(formatCollectSummary('fr', m(1, 0, 1))).toBe('1 justificatif importé, 0 en quarantaine, 1 doublon ignoré');
    expect(formatCollectSummary('fr', m(0, 0, 0, 2))).toBe('0 justificatif importé, 0 en quarantaine, 0 doublon ignoré, 2 erreurs');
  });
  it('speaks English', () => {
    expect(formatCollectSummary('en', m(12, 2, 3))).toBe('12 receipts imported, 2 quarantined, 3 duplicates skipped');
    expect(formatCollectSummary('en', m(1, 1, 0, 1))).toBe('1 receipt imported, 1 quarantined, 0 duplicates skipped, 1 error');
  });
  it('says when it was a dry run or continues', () => {
    expect(formatCollectSummary('fr', m(2, 0, 0), { dryRun: true })).toBe(
      'Simulation (rien n’a été écrit) : 2 justificatifs importés, 0 en quarantaine, 0 doublon ignoré',
    );
    expect(formatCollectSummary('en', m(2, 0, 0), { pending: true })).toBe(
      '2 receipts imported, 0 quarantined, 0 duplicates skipped; more to collect, continuing',
    );
  });
});

describe('labels', () => {
  it('name reasons and statuses in both languages', () => {
    expect(reasonLabel('fr', 'magic_mismatch')).toBe('contenu différent du type annoncé');
    expect(reasonLabel('en', 'drive_link')).toBe('Drive link instead of a file');
    expect(statusLabel('fr', 'dry_run')).toBe('Simulation');
    expect(translateCollect('fr', 'alreadyRunning', { since: '10:02' })).toBe('Une collecte est déjà en cours (depuis 10:02).');
  });
  it('pluralise 0 as singular in French only', () => {
    expect([pluralCategory('fr', 0), pluralCategory('fr', 1), pluralCategory('fr', 2)]).toEqual(['one', 'one', 'other']);
    expect([pluralCategory('en', 0), pluralCategory('en', 1), pluralCategory('en', 2)]).toEqual(['other', 'one', 'other']);
  });
});
