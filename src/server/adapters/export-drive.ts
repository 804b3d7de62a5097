// Adapter: the export's Drive port, by the Drive API v3 through UrlFetchApp with the script's token:
// one request where DriveApp needs several calls (a folder found: folder, search, hasNext, next,
// getId; a file read: folder, search, hasNext, next, getBlob), and several requests in one fetchAll
// where they can go together (the snapshot and the manifest read; a batch file created with the
// manifest rewritten), so an execution cut short after a few calls still makes its progress. Attachment
// uploads go through the shared FileStore (parallel multipart uploads); a file is trashed by DriveApp
// (File.setTrashed), the one thing the emulated Drive API does not take.
// https://developers.google.com/workspace/drive/api/reference/rest/v3/files
// https://developers.google.com/apps-script/reference/drive/file#setTrashed(Boolean)

import { errorMessage, isExecutionOver } from '../domain/errors';
import { utf8Encode } from '../domain/encoding';
import type { FileStore } from '../ports/files';
import type { ExportFileInfo, ExportFiles } from '../ports/export-files';
import { driveFileStore, driveFileUrl } from './drive';
import {
  createSubfolder,
  DRIVE_FILES_URL,
  downloadText,
  findFilesWithSha256,
  findSubfolderId,
  readSameNameAnswer,
  replaceContent,
  sameNameQueryUrl,
} from './drive-lookup';
import { MULTIPART_MAX_BYTES, multipartUploadRequest, readUploadReply } from './drive-upload';
import { rideWithNextGmailBatch } from './gmail/rest-client';
import { scriptToken } from './oauth';

const DRIVE_UPLOAD_FILES_URL = 'https://www.googleapis.com/upload/drive/v3/files';
/** A batch file's create tried this many times while Drive refuses it for now (429), pausing between. */
const CREATE_ATTEMPTS = 3;
const CREATE_PAUSE_MS = 1000;

type Request = GoogleAppsScript.URL_Fetch.URLFetchRequest;

function mediaGet(id: string): Request {
  return {
    url: `${DRIVE_FILES_URL}/${encodeURIComponent(id)}?alt=media`,
    method: 'get',
    headers: { Authorization: `Bearer ${scriptToken()}` },
    muteHttpExceptions: true,
  };
}

function mediaUpdate(id: string, text: string, mimeType: string): Request {
  return {
    url: `${DRIVE_UPLOAD_FILES_URL}/${encodeURIComponent(id)}?uploadType=media&fields=id`,
    method: 'patch',
    contentType: mimeType,
    payload: text,
    headers: { Authorization: `Bearer ${scriptToken()}` },
    muteHttpExceptions: true,
  };
}

function fileInfo(id: string, name: string, size: number): ExportFileInfo {
  return { id, name, size, url: driveFileUrl(id) };
}

export function driveExportFiles(files: FileStore = driveFileStore()): ExportFiles {
  function create(folderId: string, name: string, text: string, mimeType: string): ExportFileInfo {
    const bytes = utf8Encode(text);
    const [created] = files.createFiles([{ folderId, name, bytes, mimeType }]);
    if (!created.ok) throw new Error(`Drive files.create (${name}): ${created.error}`);
    return fileInfo(created.file.id, name, bytes.length);
  }

  return {
    folderIn(parentId, name, create) {
      const found = findSubfolderId(parentId, name);
      if (found || !create) return found;
      return createSubfolder(parentId, name);
    },
    folderUrl: (folderId) => `https://drive.google.com/drive/folders/${folderId}`,
    findFile(folderId, name) {
      const [found] = findFilesWithSha256(folderId, name);
      return found ? fileInfo(found.id, name, found.size) : null;
    },
    readTexts(ids) {
      if (!ids.length) return [];
      let answers: Array<GoogleAppsScript.URL_Fetch.HTTPResponse | null>;
      try {
        answers = UrlFetchApp.fetchAll(ids.map(mediaGet));
      } catch (error) {
        if (isExecutionOver(error)) throw error;
        answers = ids.map(() => null);
      }
      // A read that failed is read again alone (downloadText tries it again while it may change).
      return ids.map((id, i) => {
        const answer = answers[i];
        const status = answer ? answer.getResponseCode() : 0;
        if (status >= 200 && status < 300) return (answer as GoogleAppsScript.URL_Fetch.HTTPResponse).getContentText('UTF-8');
        if (status === 404) return null;
        return downloadText(id);
      });
    },
    askFile(folderId, name) {
      let outcome: { response: GoogleAppsScript.URL_Fetch.HTTPResponse } | { error: string } | null = null;
      const takeBack = rideWithNextGmailBatch({
        build: (token) => ({
          url: sameNameQueryUrl(folderId, name),
          method: 'get',
          headers: { Authorization: `Bearer ${token}` },
          muteHttpExceptions: true,
        }),
        deliver: (delivered) => (outcome = delivered),
      });
      return () => {
        takeBack();
        const got = outcome as { response: GoogleAppsScript.URL_Fetch.HTTPResponse } | { error: string } | null;
        const status = got && 'response' in got ? got.response.getResponseCode() : 0;
        // Not carried, or carried and failed: looked up alone (tried again while the answer may change).
        const [found] =
          got && 'response' in got && status >= 200 && status < 300
            ? readSameNameAnswer(status, got.response.getContentText())
            : findFilesWithSha256(folderId, name);
        return found ? fileInfo(found.id, name, found.size) : null;
      };
    },
    askText(id) {
      let outcome: { response: GoogleAppsScript.URL_Fetch.HTTPResponse } | { error: string } | null = null;
      const takeBack = rideWithNextGmailBatch({
        build: () => mediaGet(id),
        deliver: (delivered) => (outcome = delivered),
      });
      return () => {
        takeBack();
        const got = outcome as { response: GoogleAppsScript.URL_Fetch.HTTPResponse } | { error: string } | null;
        const status = got && 'response' in got ? got.response.getResponseCode() : 0;
        if (got && 'response' in got && status >= 200 && status < 300) return got.response.getContentText('UTF-8');
        if (status === 404) return null;
        // Not carried, or carried and failed: read alone (tried again while the answer may change).
        return downloadText(id);
      };
    },
    putText(folderId, name, text, mimeType, knownId) {
      const id = knownId ?? findFilesWithSha256(folderId, name)[0]?.id ?? null;
      if (id === null) return create(folderId, name, text, mimeType);
      replaceContent(id, text, mimeType);
      return fileInfo(id, name, utf8Encode(text).length);
    },
    createText(folderId, name, text, mimeType, alongside) {
      const bytes = utf8Encode(text);
      if (bytes.length > MULTIPART_MAX_BYTES) {
        // Too big for one multipart request: DriveApp's createFile (files.ts), then the rewrite alone.
        const file = create(folderId, name, text, mimeType);
        if (alongside) replaceContent(alongside.id, alongside.text, alongside.mimeType);
        return { file, alongsideDone: true };
      }
      let rewrite = alongside;
      let last = '';
      for (let attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
        if (attempt > 1) Utilities.sleep(CREATE_PAUSE_MS * (attempt - 1));
        const requests = [multipartUploadRequest({ folderId, name, bytes, mimeType })];
        if (rewrite) requests.push(mediaUpdate(rewrite.id, rewrite.text, rewrite.mimeType));
        let answers: GoogleAppsScript.URL_Fetch.HTTPResponse[] | null = null;
        try {
          answers = UrlFetchApp.fetchAll(requests);
        } catch (error) {
          if (isExecutionOver(error)) throw error;
          last = errorMessage(error);
        }
        const outcome = answers ? readUploadReply(answers[0].getResponseCode(), answers[0].getContentText()) : null;
        if (outcome?.ok) {
          const rewritten = rewrite && answers ? answers[1].getResponseCode() : 200;
          return { file: fileInfo(outcome.id, name, bytes.length), alongsideDone: !!alongside && rewritten >= 200 && rewritten < 300 };
        }
        if (outcome) last = outcome.error;
        // In doubt (no answer, a 5xx): stored if Drive has it with these bytes; else it is the caller's
        // (its intent finds it again later), never sent twice here. Refused for now (429): sent again.
        if (!outcome || outcome.maybeCreated) {
          const [found] = findFilesWithSha256(folderId, name);
          if (found && found.size === bytes.length) return { file: fileInfo(found.id, name, found.size), alongsideDone: false };
          break;
        }
        if (outcome.status !== 429) break;
        if (rewrite && answers && answers[1].getResponseCode() >= 200 && answers[1].getResponseCode() < 300) rewrite = null;
      }
      throw new Error(`Drive files.create (${name}): ${last}`);
    },
    upload(items) {
      return files
        .createFiles(items)
        .map((outcome) =>
          outcome.ok ? { ok: true as const, file: fileInfo(outcome.file.id, outcome.file.name, outcome.file.size) } : outcome,
        );
    },
    trashById(id) {
      DriveApp.getFileById(id).setTrashed(true);
    },
  };
}
