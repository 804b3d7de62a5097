// Postroom conformance checks: plain Apps Script (V8), no modules, no build step needed.
// `npm run conformance:build` copies this file into dist/conformance/Conformance.js. The SAME file
// runs in two places:
//   - a scratch Apps Script project (push Conformance.js + appsscript.json, run `runConformance`),
//     where it holds the real platform to what the emulator claims;
//   - the Postroom emulator (test/emulator/runtime/conformance.test.ts), which must pass every check.
// Each check throws on failure (`expect*` helpers) and cites the page it rests on. Results are
// written to a "Conformance" sheet (one row per check) and returned as JSON.

var CONFORMANCE_CHECKS = [];

function defineCheck_(name, doc, run) {
  CONFORMANCE_CHECKS.push({ name: name, doc: doc, run: run });
}

function expectEqual_(actual, expected, what) {
  var a = JSON.stringify(actual);
  var e = JSON.stringify(expected);
  if (a !== e) throw new Error(what + ': expected ' + e + ', got ' + a);
}

function expectTrue_(value, what) {
  if (!value) throw new Error(what);
}

/** Runs fn, expects it to throw; returns the error message. */
function expectThrows_(fn, what) {
  try {
    fn();
  } catch (error) {
    return String(error && error.message !== undefined ? error.message : error);
  }
  throw new Error(what + ': expected an error, none was thrown');
}

function conformanceSpreadsheet_() {
  var active = SpreadsheetApp.getActiveSpreadsheet();
  if (active) return active;
  var props = PropertiesService.getScriptProperties();
  var id = props.getProperty('conformance.spreadsheetId');
  if (id) return SpreadsheetApp.openById(id);
  var created = SpreadsheetApp.create('Postroom conformance');
  props.setProperty('conformance.spreadsheetId', created.getId());
  return created;
}

function scratchSheet_() {
  var ss = conformanceSpreadsheet_();
  return ss.getSheetByName('Conformance scratch') || ss.insertSheet('Conformance scratch');
}

// ---- Utilities ---------------------------------------------------------------------------------

defineCheck_(
  'Utilities.computeDigest returns signed bytes',
  'https://developers.google.com/apps-script/reference/utilities/utilities#computeDigest(DigestAlgorithm,String)',
  function () {
    var digest = Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, 'abc');
    expectEqual_(digest.length, 32, 'SHA-256 length');
    // SHA-256("abc") = ba7816bf 8f01cfea ...: 0xba is -70 as a signed byte, 0x78 is 120.
    expectEqual_(digest.slice(0, 4), [-70, 120, 22, -65], 'first bytes');
    for (var i = 0; i < digest.length; i++) expectTrue_(digest[i] >= -128 && digest[i] <= 127, 'byte out of range at ' + i);
  },
);

defineCheck_(
  'Utilities.computeDigest MD5 of UTF-8 text',
  'https://developers.google.com/apps-script/reference/utilities/utilities#computeDigest(DigestAlgorithm,String,Charset)',
  function () {
    var digest = Utilities.computeDigest(Utilities.DigestAlgorithm.MD5, 'abc', Utilities.Charset.UTF_8);
    // MD5("abc") = 90015098 3cd24fb0 d6963f7d 28e17f72
    expectEqual_(digest.slice(0, 4), [-112, 1, 80, -104], 'first bytes');
  },
);

defineCheck_(
  'Utilities.base64EncodeWebSafe keeps = padding',
  'https://developers.google.com/apps-script/reference/utilities/utilities#base64EncodeWebSafe(Byte)',
  function () {
    expectEqual_(Utilities.base64EncodeWebSafe('ab'), 'YWI=', 'web-safe of "ab"');
    expectEqual_(Utilities.base64EncodeWebSafe([-5, -1]), '-_8=', 'web-safe of 0xfb 0xff');
    expectEqual_(Utilities.base64Encode([-5, -1]), '+/8=', 'standard of 0xfb 0xff');
    expectEqual_(Utilities.base64DecodeWebSafe('-_8='), [-5, -1], 'decode web-safe (signed bytes)');
    expectEqual_(Utilities.base64Decode('+/8='), [-5, -1], 'decode standard (signed bytes)');
  },
);

defineCheck_(
  'Blob.getBytes returns signed UTF-8 bytes',
  'https://developers.google.com/apps-script/reference/base/blob#getBytes()',
  function () {
    var blob = Utilities.newBlob('é');
    expectEqual_(blob.getBytes(), [-61, -87], 'bytes of "é"');
    expectEqual_(Utilities.newBlob([-61, -87]).getDataAsString(), 'é', 'string from signed bytes');
  },
);

defineCheck_(
  'Utilities.formatDate applies the time zone',
  'https://developers.google.com/apps-script/reference/utilities/utilities#formatDate(Date,String,String)',
  function () {
    var date = new Date(Date.UTC(2026, 0, 15, 8, 5, 0));
    expectEqual_(Utilities.formatDate(date, 'Europe/Paris', 'yyyy-MM-dd HH:mm'), '2026-01-15 09:05', 'Paris in winter');
    expectEqual_(Utilities.formatDate(new Date(Date.UTC(2026, 6, 15, 8, 5, 0)), 'Europe/Paris', 'HH:mm'), '10:05', 'Paris in summer');
    expectEqual_(Utilities.formatDate(date, 'UTC', "yyyy-MM-dd'T'HH:mm:ss"), '2026-01-15T08:05:00', 'UTC');
  },
);

defineCheck_(
  'Utilities.getUuid is a v4 UUID',
  'https://developers.google.com/apps-script/reference/utilities/utilities#getUuid()',
  function () {
    var uuid = Utilities.getUuid();
    expectTrue_(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(uuid), 'not a v4 UUID: ' + uuid);
    expectTrue_(uuid !== Utilities.getUuid(), 'two UUIDs are equal');
  },
);

// ---- Sheets ------------------------------------------------------------------------------------

defineCheck_(
  'Range.getValues returns Apps Script types',
  'https://developers.google.com/apps-script/reference/spreadsheet/range#getValues()',
  function () {
    var sheet = scratchSheet_();
    var range = sheet.getRange(1, 1, 1, 5);
    range.setValues([[42, 'texte', true, new Date(Date.UTC(2026, 0, 15, 12, 0, 0)), '']]);
    SpreadsheetApp.flush();
    var row = range.getValues()[0];
    expectEqual_(typeof row[0], 'number', 'number cell');
    expectEqual_(row[0], 42, 'number value');
    expectEqual_(typeof row[1], 'string', 'string cell');
    expectEqual_(row[2], true, 'boolean cell');
    expectTrue_(row[3] instanceof Date, 'date cell is not a Date: ' + Object.prototype.toString.call(row[3]));
    expectEqual_(row[3].getTime(), Date.UTC(2026, 0, 15, 12, 0, 0), 'date value');
    expectEqual_(row[4], '', 'empty cell');
    var display = range.getDisplayValues()[0];
    for (var i = 0; i < display.length; i++) expectEqual_(typeof display[i], 'string', 'display value ' + i);
    expectEqual_(display[0], '42', 'display of 42');
    expectEqual_(display[2], 'TRUE', 'display of true');
  },
);

defineCheck_(
  'Range.getValues of empty cells is [[""]]',
  'https://developers.google.com/apps-script/reference/spreadsheet/range#getValues()',
  function () {
    var sheet = scratchSheet_();
    expectEqual_(
      sheet.getRange(200, 20, 2, 2).getValues(),
      [
        ['', ''],
        ['', ''],
      ],
      'empty block',
    );
  },
);

defineCheck_(
  'Range.setValues refuses wrong dimensions with the platform message',
  'https://developers.google.com/apps-script/reference/spreadsheet/range#setValues(Object)',
  function () {
    var sheet = scratchSheet_();
    var columns = expectThrows_(function () {
      sheet.getRange(1, 1, 1, 2).setValues([[1]]);
    }, 'setValues 1 column into 2');
    expectEqual_(
      columns,
      'The number of columns in the data does not match the number of columns in the range. The data has 1 but the range has 2.',
      'column message',
    );
    var rows = expectThrows_(function () {
      sheet.getRange(1, 1, 2, 1).setValues([[1]]);
    }, 'setValues 1 row into 2');
    expectEqual_(
      rows,
      'The number of rows in the data does not match the number of rows in the range. The data has 1 but the range has 2.',
      'row message',
    );
  },
);

defineCheck_(
  'A string starting with = written with setValue is a formula',
  'https://developers.google.com/apps-script/reference/spreadsheet/range#setValue(Object)',
  function () {
    var sheet = scratchSheet_();
    var cell = sheet.getRange(3, 1);
    cell.setValue('=1+1');
    SpreadsheetApp.flush();
    expectEqual_(cell.getFormula(), '=1+1', 'formula recorded');
    cell.setValue('');
  },
);

// ---- Drive -------------------------------------------------------------------------------------

defineCheck_(
  'Drive iterators: hasNext false, next throws past the end',
  'https://developers.google.com/apps-script/reference/drive/folder-iterator',
  function () {
    var iterator = DriveApp.getFoldersByName('postroom-conformance-no-such-folder-' + Utilities.getUuid());
    expectEqual_(iterator.hasNext(), false, 'hasNext on an empty result');
    var message = expectThrows_(function () {
      iterator.next();
    }, 'next past the end');
    expectTrue_(/iterator has reached the end/.test(message), 'unexpected message: ' + message);
  },
);

defineCheck_(
  'Drive allows two files with the same name in one folder',
  'https://developers.google.com/apps-script/reference/drive/folder#createFile(BlobSource)',
  function () {
    var folder = DriveApp.createFolder('postroom-conformance-' + Utilities.getUuid());
    var a = folder.createFile(Utilities.newBlob('one', 'text/plain', 'same.txt'));
    var b = folder.createFile(Utilities.newBlob('two', 'text/plain', 'same.txt'));
    expectTrue_(a.getId() !== b.getId(), 'two files share an id');
    var found = folder.getFilesByName('same.txt');
    var count = 0;
    while (found.hasNext()) {
      found.next();
      count++;
    }
    expectEqual_(count, 2, 'files named same.txt');
    folder.setTrashed(true);
  },
);

// ---- Script services ---------------------------------------------------------------------------

defineCheck_(
  'ClockTriggerBuilder.everyMinutes accepts only 1, 5, 10, 15, 30',
  'https://developers.google.com/apps-script/reference/script/clock-trigger-builder#everyMinutes(Integer)',
  function () {
    expectThrows_(function () {
      ScriptApp.newTrigger('conformanceNoop').timeBased().everyMinutes(7);
    }, 'everyMinutes(7)');
    ScriptApp.newTrigger('conformanceNoop').timeBased().everyMinutes(5); // accepted (not created)
  },
);

defineCheck_(
  'Triggers: create and delete a time-driven trigger',
  'https://developers.google.com/apps-script/reference/script/script-app#getProjectTriggers()',
  function () {
    var before = ScriptApp.getProjectTriggers().length;
    var trigger = ScriptApp.newTrigger('conformanceNoop')
      .timeBased()
      .after(60 * 60 * 1000)
      .create();
    expectEqual_(ScriptApp.getProjectTriggers().length, before + 1, 'triggers after create');
    expectEqual_(trigger.getHandlerFunction(), 'conformanceNoop', 'handler');
    ScriptApp.deleteTrigger(trigger);
    expectEqual_(ScriptApp.getProjectTriggers().length, before, 'triggers after delete');
  },
);

defineCheck_(
  'LockService: tryLock / hasLock / releaseLock',
  'https://developers.google.com/apps-script/reference/lock/lock#tryLock(Integer)',
  function () {
    var lock = LockService.getScriptLock();
    expectEqual_(lock.hasLock(), false, 'hasLock before');
    expectEqual_(lock.tryLock(1000), true, 'tryLock of a free lock');
    expectEqual_(lock.hasLock(), true, 'hasLock after tryLock');
    lock.releaseLock();
    expectEqual_(lock.hasLock(), false, 'hasLock after release');
  },
);

defineCheck_(
  'LockService.getDocumentLock is null outside a container',
  'https://developers.google.com/apps-script/reference/lock/lock-service#getDocumentLock()',
  function () {
    var container = SpreadsheetApp.getActiveSpreadsheet();
    var lock = LockService.getDocumentLock();
    if (container) expectTrue_(lock !== null, 'document lock in a container-bound script');
    else expectEqual_(lock, null, 'document lock of a standalone script');
  },
);

defineCheck_(
  'PropertiesService: missing key is null, values are strings',
  'https://developers.google.com/apps-script/reference/properties/properties#getProperty(String)',
  function () {
    var props = PropertiesService.getUserProperties();
    expectEqual_(props.getProperty('postroom.conformance.missing.' + Utilities.getUuid()), null, 'missing key');
    props.setProperty('postroom.conformance.number', 42);
    expectEqual_(props.getProperty('postroom.conformance.number'), '42', 'a number is stored as a string');
    props.deleteProperty('postroom.conformance.number');
  },
);

defineCheck_(
  'PropertiesService: a value over 9 KB is refused',
  'https://developers.google.com/apps-script/guides/services/quotas#current_limitations',
  function () {
    var props = PropertiesService.getUserProperties();
    props.setProperty('postroom.conformance.big', new Array(8 * 1024 + 1).join('a')); // 8 KB fits
    props.deleteProperty('postroom.conformance.big');
    expectThrows_(function () {
      props.setProperty('postroom.conformance.big', new Array(10 * 1024 + 1).join('a'));
    }, '10 KB value');
    expectEqual_(props.getProperty('postroom.conformance.big'), null, 'nothing stored after the refusal');
  },
);

defineCheck_(
  'CacheService: put / get / remove, missing is null',
  'https://developers.google.com/apps-script/reference/cache/cache#get(String)',
  function () {
    var cache = CacheService.getScriptCache();
    var key = 'postroom.conformance.' + Utilities.getUuid();
    expectEqual_(cache.get(key), null, 'missing key');
    cache.put(key, 'valeur', 60);
    expectEqual_(cache.get(key), 'valeur', 'after put');
    cache.remove(key);
    expectEqual_(cache.get(key), null, 'after remove');
  },
);

defineCheck_('Session: time zone and locale are strings', 'https://developers.google.com/apps-script/reference/base/session', function () {
  expectEqual_(typeof Session.getScriptTimeZone(), 'string', 'script time zone');
  expectEqual_(typeof Session.getActiveUserLocale(), 'string', 'locale');
  expectTrue_(/@/.test(Session.getEffectiveUser().getEmail()), 'effective user email');
});

// ---- Gmail -------------------------------------------------------------------------------------

var CONFORMANCE_PDF_ = '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n';

/** Sends one message to the user with a PDF attachment, waits until search finds it, returns the thread. */
function conformanceMessage_() {
  var cache = CONFORMANCE_STATE_;
  if (cache.thread) return cache;
  var token = 'postroomconf' + Utilities.getUuid().replace(/-/g, '').slice(0, 12);
  var me = Session.getEffectiveUser().getEmail();
  GmailApp.sendEmail(me, 'Conformance ' + token, 'Postroom conformance check ' + token, {
    attachments: [Utilities.newBlob(CONFORMANCE_PDF_, 'application/pdf', 'conformance.pdf')],
  });
  for (var attempt = 0; attempt < 15; attempt++) {
    var threads = GmailApp.search('subject:' + token);
    if (threads.length > 0) {
      cache.token = token;
      cache.thread = threads[0];
      return cache;
    }
    Utilities.sleep(2000); // real Gmail indexes a new message after a moment
  }
  throw new Error('the message sent to self never appeared in search');
}

var CONFORMANCE_STATE_ = {};

function countThreads_(query) {
  return GmailApp.search(query).length;
}

defineCheck_('Gmail search operators on a message sent to self', 'https://support.google.com/mail/answer/7190', function () {
  var sent = conformanceMessage_();
  var t = sent.token;
  expectEqual_(countThreads_('subject:' + t + ' has:attachment'), 1, 'has:attachment');
  expectEqual_(countThreads_('subject:' + t + ' filename:pdf'), 1, 'filename:pdf');
  expectEqual_(countThreads_('subject:' + t + ' filename:png'), 0, 'filename:png');
  expectEqual_(countThreads_('subject:' + t + ' -has:attachment'), 0, 'negated has:attachment');
  expectEqual_(countThreads_('subject:' + t + ' newer_than:1d'), 1, 'newer_than:1d');
  expectEqual_(countThreads_('subject:' + t + ' older_than:1d'), 0, 'older_than:1d');
  expectEqual_(countThreads_('{subject:' + t + ' subject:zzzpostroomnothing}'), 1, '{ } alternatives');
  expectEqual_(countThreads_('subject:' + t + ' OR subject:zzzpostroomnothing'), 1, 'OR');
  expectEqual_(countThreads_('subject:(' + t + ' zzzpostroomnothing)'), 0, 'grouped AND in subject');
  expectEqual_(countThreads_('in:sent subject:' + t), 1, 'in:sent');
  expectEqual_(countThreads_('from:me subject:' + t), 1, 'from:me');
  expectEqual_(countThreads_('subject:' + t + ' larger:10M'), 0, 'larger:10M');
  var message = sent.thread.getMessages()[0];
  var messageId = message.getHeader('Message-ID').replace(/[<>]/g, '');
  expectEqual_(countThreads_('rfc822msgid:' + messageId), 1, 'rfc822msgid:');
});

defineCheck_(
  'GmailMessage.getAttachments returns the PDF with its bytes',
  'https://developers.google.com/apps-script/reference/gmail/gmail-message#getAttachments()',
  function () {
    var message = conformanceMessage_().thread.getMessages()[0];
    var attachments = message.getAttachments();
    expectEqual_(attachments.length, 1, 'attachments');
    expectEqual_(attachments[0].getName(), 'conformance.pdf', 'name');
    expectEqual_(attachments[0].getContentType(), 'application/pdf', 'content type');
    expectEqual_(attachments[0].getDataAsString(), CONFORMANCE_PDF_, 'bytes');
  },
);

defineCheck_(
  'Gmail API attachmentId changes between messages.get calls',
  'https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages.attachments/get',
  function () {
    var id = conformanceMessage_().thread.getMessages()[0].getId();
    function attachmentIdOf(message) {
      var stack = [message.payload];
      while (stack.length) {
        var part = stack.pop();
        if (part.body && part.body.attachmentId) return part.body.attachmentId;
        (part.parts || []).forEach(function (child) {
          stack.push(child);
        });
      }
      throw new Error('no attachmentId in the payload');
    }
    var first = attachmentIdOf(Gmail.Users.Messages.get('me', id));
    var second = attachmentIdOf(Gmail.Users.Messages.get('me', id));
    expectTrue_(first !== second, 'attachmentId was stable: ' + first);
    var body = Gmail.Users.Messages.Attachments.get('me', id, second);
    expectTrue_(body.size > 0, 'attachment body size');
  },
);

defineCheck_(
  'GmailThread.moveToArchive / moveToInbox change INBOX on the thread, seen by the Gmail API',
  'https://developers.google.com/apps-script/reference/gmail/gmail-thread#moveToArchive()',
  function () {
    var thread = conformanceMessage_().thread;
    var id = thread.getMessages()[0].getId();
    thread.moveToArchive();
    expectEqual_(thread.refresh().isInInbox(), false, 'isInInbox after moveToArchive');
    expectEqual_(
      (Gmail.Users.Messages.get('me', id, { format: 'minimal' }).labelIds || []).indexOf('INBOX'),
      -1,
      'INBOX label after moveToArchive',
    );
    thread.moveToInbox();
    expectTrue_(
      (Gmail.Users.Messages.get('me', id, { format: 'minimal' }).labelIds || []).indexOf('INBOX') >= 0,
      'INBOX label after moveToInbox',
    );
  },
);

defineCheck_(
  'MailApp.sendEmail(message) lands in Sent and takes one recipient from the daily quota',
  'https://developers.google.com/apps-script/reference/mail/mail-app#sendEmail(Object)',
  function () {
    var token = 'postroommail' + Utilities.getUuid().replace(/-/g, '').slice(0, 12);
    var before = MailApp.getRemainingDailyQuota();
    MailApp.sendEmail({
      to: Session.getEffectiveUser().getEmail(),
      subject: 'Conformance ' + token,
      body: 'MailApp ' + token,
      htmlBody: '<p>MailApp <b>' + token + '</b></p>',
    });
    expectEqual_(MailApp.getRemainingDailyQuota(), before - 1, 'remaining daily quota');
    for (var attempt = 0; attempt < 15; attempt++) {
      var threads = GmailApp.search('in:sent subject:' + token);
      if (threads.length > 0) {
        CONFORMANCE_STATE_.mailAppThread = threads[0];
        expectEqual_(threads[0].getMessages()[0].getPlainBody().trim(), 'MailApp ' + token, 'plain body');
        return;
      }
      Utilities.sleep(2000);
    }
    throw new Error('the MailApp message never appeared in Sent');
  },
);

defineCheck_(
  'Blob.getAs("application/pdf") of HTML gives a PDF named with .pdf',
  'https://developers.google.com/apps-script/reference/base/blob#getAs(String)',
  function () {
    var pdf = Utilities.newBlob('<p>Facture F-001</p>', 'text/html', 'facture.2026.html').getAs('application/pdf');
    expectEqual_(pdf.getContentType(), 'application/pdf', 'content type');
    expectEqual_(pdf.getName(), 'facture.2026.pdf', 'name');
    expectEqual_(pdf.getDataAsString().slice(0, 5), '%PDF-', 'PDF header');
  },
);

function conformanceNoop() {}

function cleanUpConformance_() {
  if (CONFORMANCE_STATE_.thread) CONFORMANCE_STATE_.thread.moveToTrash();
  if (CONFORMANCE_STATE_.mailAppThread) CONFORMANCE_STATE_.mailAppThread.moveToTrash();
}

/** Runs every check; writes one row per check into the "Conformance" sheet; returns the results. */
function runConformance() {
  var results = [];
  for (var i = 0; i < CONFORMANCE_CHECKS.length; i++) {
    var check = CONFORMANCE_CHECKS[i];
    try {
      check.run();
      results.push({ name: check.name, ok: true, detail: '', doc: check.doc });
    } catch (error) {
      results.push({
        name: check.name,
        ok: false,
        detail: String(error && error.message !== undefined ? error.message : error),
        doc: check.doc,
      });
    }
  }
  try {
    cleanUpConformance_();
  } catch (error) {
    results.push({ name: 'clean-up', ok: false, detail: String(error && error.message), doc: '' });
  }
  var ss = conformanceSpreadsheet_();
  var sheet = ss.getSheetByName('Conformance') || ss.insertSheet('Conformance');
  var rows = [['check', 'result', 'detail', 'documentation']].concat(
    results.map(function (r) {
      return [r.name, r.ok ? 'PASS' : 'FAIL', r.detail, r.doc];
    }),
  );
  sheet.getRange(1, 1, rows.length, 4).setValues(rows);
  var failed = results.filter(function (r) {
    return !r.ok;
  }).length;
  Logger.log('Postroom conformance: ' + (results.length - failed) + ' passed, ' + failed + ' failed');
  return { passed: results.length - failed, failed: failed, results: results };
}
