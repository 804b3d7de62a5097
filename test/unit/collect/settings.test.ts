import { PostroomError } from '../../../src/server/domain/errors';
import {
  adviseSettings,
  checkSettingsCoherence,
  defaultCollectSettings,
  gmailLabelSearchName,
  parseCollectSettings,
} from '../../../src/server/domain/collect';

const script = { addonMode: false };
const addon = { addonMode: true };

function errorOf(input: unknown, options = script): PostroomError {
  try {
    parseCollectSettings(input, options);
  } catch (error) {
    if (error instanceof PostroomError) return error;
    throw error;
  }
  throw new Error('expected parseCollectSettings to throw');
}

describe('parseCollectSettings', () => {
  it('fills every default', () => {
    expect(parseCollectSettings({}, script)).toEqual({
      enabled: false,
      query: 'is:unread has:attachment',
      allowedSenders: [],
      allowedMimeTypes: ['application/pdf', 'image/jpeg', 'image/png'],
      maxSizeBytes: 20 * 1024 * 1024,
      maxAttachmentsPerRun: 200,
      applyLabels: true,
      labelImported: 'Postroom/imported',
      labelQuarantine: 'Postroom/quarantine',
      markAsRead: true,
      dryRun: false,
      rootFolder: 'Postroom',
      requireAuthenticatedSender: true,
      schedule: { kind: 'off' },
    });
    expect(parseCollectSettings(undefined, script)).toEqual(defaultCollectSettings());
    expect(parseCollectSettings(null, script)).toEqual(defaultCollectSettings());
  });

  it('normalises senders and MIME types (case, spaces, aliases, duplicates)', () => {
    const s = parseCollectSettings(
      {
        allowedSenders: [' Factures@Fournisseur.FR ', '@EDF.fr', 'factures@fournisseur.fr'],
        allowedMimeTypes: ['image/JPG', 'application/pdf', 'image/jpeg'],
      },
      script,
    );
    expect(s.allowedSenders).toEqual(['factures@fournisseur.fr', '@edf.fr']);
    expect(s.allowedMimeTypes).toEqual(['image/jpeg', 'application/pdf']);
  });

  it('round-trips through JSON (the settings store)', () => {
    const s = parseCollectSettings({ enabled: true, allowedSenders: ['@x.fr'], schedule: { kind: 'daily', hour: 7 } }, script);
    expect(parseCollectSettings(JSON.parse(JSON.stringify(s)), script)).toEqual(s);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['enabled', { enabled: 'true' }, /^enabled: must be true or false, not the text "true"$/],
    ['query', { query: '' }, /^query: must not be empty/],
    ['query', { query: 'from:a\nfrom:b' }, /^query: must be on one line/],
    ['allowedSenders', { allowedSenders: 'a@b.fr' }, /^allowedSenders: must be a list of text/],
    ['allowedSenders', { allowedSenders: ['jean'] }, /^allowedSenders: "jean" is neither an address/],
    ['allowedSenders', { allowedSenders: ['*@x.fr'] }, /^allowedSenders: "\*@x.fr": write @x.fr/],
    ['allowedSenders', { allowedSenders: ['a@localhost'] }, /^allowedSenders: "a@localhost" has an invalid domain/],
    ['allowedSenders', { allowedSenders: ['a b@x.fr'] }, /^allowedSenders: "a b@x.fr" is not a valid address/],
    ['allowedSenders', { allowedSenders: [''] }, /^allowedSenders: an entry is empty/],
    ['allowedSenders', { allowedSenders: [42] }, /^allowedSenders: item 1 must be text/],
    ['allowedMimeTypes', { allowedMimeTypes: [] }, /^allowedMimeTypes: must list at least one MIME type/],
    ['allowedMimeTypes', { allowedMimeTypes: ['image/*'] }, /^allowedMimeTypes: "image\/\*" is not a MIME type/],
    ['allowedMimeTypes', { allowedMimeTypes: ['pdf'] }, /^allowedMimeTypes: "pdf" is not a MIME type/],
    ['maxSizeBytes', { maxSizeBytes: 0 }, /^maxSizeBytes: must be at least 1 bytes \(got 0\)$/],
    ['maxSizeBytes', { maxSizeBytes: -5 }, /^maxSizeBytes: must be at least 1/],
    ['maxSizeBytes', { maxSizeBytes: 1.5 }, /^maxSizeBytes: must be a whole number of bytes/],
    ['maxSizeBytes', { maxSizeBytes: '20MB' }, /^maxSizeBytes: must be a whole number/],
    ['maxSizeBytes', { maxSizeBytes: 60 * 1024 * 1024 }, /^maxSizeBytes: must be at most 52428800 bytes/],
    ['maxAttachmentsPerRun', { maxAttachmentsPerRun: 0 }, /^maxAttachmentsPerRun: must be at least 1/],
    ['labelImported', { labelImported: '' }, /^labelImported: must name a Gmail label while applyLabels is true$/],
    ['labelQuarantine', { labelQuarantine: '   ' }, /^labelQuarantine: must name a Gmail label/],
    ['labelImported', { labelImported: 'Postroom//x' }, /^labelImported: "Postroom\/\/x" has an empty level/],
    ['labelImported', { labelImported: 'INBOX' }, /^labelImported: "INBOX" is a Gmail system label$/],
    ['labelQuarantine', { labelQuarantine: 'postroom/IMPORTED' }, /^labelQuarantine: must differ from labelImported/],
    ['rootFolder', { rootFolder: 'a/b' }, /^rootFolder: must be one folder name/],
    ['rootFolder', { rootFolder: '' }, /^rootFolder: must name a Drive folder/],
    ['schedule', { schedule: 'hourly' }, /^schedule: must be an object such as \{"kind":"hourly"\}/],
    [
      'schedule',
      { schedule: { kind: 'weekly' } },
      /^schedule: kind must be "off", "everyMinutes", "hourly" or "daily", not the text "weekly"$/,
    ],
    ['schedule', { schedule: { kind: 'everyMinutes', minutes: 2 } }, /^schedule: everyMinutes takes 1, 5, 10, 15 or 30 minutes/],
    ['schedule', { schedule: { kind: 'daily', hour: 24 } }, /^schedule: daily needs an hour from 0 to 23/],
    ['schedule', { schedule: { kind: 'daily' } }, /^schedule: daily needs an hour/],
    ['schedule', { schedule: { kind: 'hourly', minutes: 5 } }, /^schedule: unexpected field "minutes" for kind "hourly"$/],
    ['maxSize', { maxSize: 10 }, /^maxSize: is not a collect setting \(known: enabled, query,/],
  ])('rejects a bad %s, naming the key', (key, input, message) => {
    const error = errorOf(input);
    expect(error.code).toBe('INVALID_SETTING');
    expect(error.details?.key).toBe(key);
    expect(error.message).toMatch(message);
  });

  it('rejects a non-object', () => {
    expect(errorOf([1, 2]).message).toBe('settings: must be an object, not a list');
    expect(errorOf('{}').message).toBe('settings: must be an object, not the text "{}"');
  });

  it('allows empty labels when applyLabels is false', () => {
    expect(parseCollectSettings({ applyLabels: false, labelImported: '', labelQuarantine: '' }, script)).toMatchObject({
      labelImported: '',
      labelQuarantine: '',
    });
  });

  it('accepts each allowed schedule in a script, and refuses sub-hourly ones in an add-on with the reason', () => {
    for (const minutes of [1, 5, 10, 15, 30]) {
      expect(parseCollectSettings({ schedule: { kind: 'everyMinutes', minutes } }, script).schedule).toEqual({
        kind: 'everyMinutes',
        minutes,
      });
      const error = errorOf({ schedule: { kind: 'everyMinutes', minutes } }, addon);
      expect(error.message).toBe(
        'schedule: a published add-on may run at most once per hour (Apps Script refuses more frequent time-driven triggers for add-ons); choose hourly or daily',
      );
    }
    expect(parseCollectSettings({ schedule: { kind: 'hourly' } }, addon).schedule).toEqual({ kind: 'hourly' });
    expect(parseCollectSettings({ schedule: { kind: 'daily', hour: 0 } }, addon).schedule).toEqual({ kind: 'daily', hour: 0 });
    expect(parseCollectSettings({ schedule: { kind: 'daily', hour: 23 } }, addon).schedule).toEqual({ kind: 'daily', hour: 23 });
  });
});

describe('checkSettingsCoherence', () => {
  const good = { ...defaultCollectSettings(), allowedSenders: ['@x.fr'] };
  it('finds nothing wrong with a configured sender list', () => {
    expect(checkSettingsCoherence(good)).toEqual([]);
  });
  it('names every blocking problem of settings built without the parser', () => {
    const bad = {
      ...good,
      allowedSenders: [],
      allowedMimeTypes: [],
      maxSizeBytes: 0,
      labelImported: '',
      labelQuarantine: ' ',
      schedule: { kind: 'everyMinutes' as const, minutes: 5 as const },
    };
    expect(checkSettingsCoherence(bad, addon)).toEqual([
      'allowedMimeTypes: the list is empty, so every attachment would be quarantined',
      'maxSizeBytes: must be greater than 0 (is 0)',
      'labelImported: applyLabels is on but no label is named',
      'labelQuarantine: applyLabels is on but no label is named',
      'allowedSenders: the list is empty, so nobody is collected; add addresses or @domains',
      'schedule: a published add-on may run at most once per hour',
    ]);
  });
  it('flags the same label twice', () => {
    expect(checkSettingsCoherence({ ...good, labelQuarantine: 'postroom/imported' })).toEqual([
      'labelQuarantine: is the same label as labelImported',
    ]);
  });
});

describe('adviseSettings', () => {
  const base = { ...defaultCollectSettings(), allowedSenders: ['@x.fr'] };
  it('says nothing for the defaults', () => {
    expect(adviseSettings(base)).toEqual([]);
  });
  it('warns when markAsRead is off and the query does not exclude imported mail', () => {
    expect(adviseSettings({ ...base, markAsRead: false })).toEqual([expect.stringMatching(/^query: markAsRead is off/)]);
    expect(adviseSettings({ ...base, markAsRead: false, query: 'is:unread has:attachment -label:postroom-imported' })).toEqual([]);
  });
  it('warns about schedules that will not do what the user thinks', () => {
    expect(adviseSettings({ ...base, enabled: true })).toEqual([
      'schedule: collection is enabled but no schedule is set; runs only start by hand',
    ]);
    expect(adviseSettings({ ...base, schedule: { kind: 'hourly' } })).toEqual([
      'enabled: a schedule is set but collection is disabled; scheduled runs will do nothing',
    ]);
    expect(adviseSettings({ ...base, enabled: true, dryRun: true, schedule: { kind: 'hourly' } })).toEqual([
      'dryRun: scheduled runs are dry runs and will store nothing',
    ]);
  });
  it('writes label names the way Gmail search wants them', () => {
    expect(gmailLabelSearchName('Postroom/Reçus importés')).toBe('postroom-reçus-importés');
  });
});
