// A1 notation for the emulated Sheets: "B3", "A1:C10", "A:A", "2:2", "Sheet1!A1:B2", "'My tab'!A1".
// https://developers.google.com/sheets/api/guides/concepts#cell

export interface GridRange {
  /** 1-based */
  row: number;
  column: number;
  numRows: number;
  numColumns: number;
}

export interface ParsedA1 {
  sheetName: string | null;
  /** null bounds mean "to the end of the sheet" (whole columns or rows). */
  startRow: number | null;
  startColumn: number | null;
  endRow: number | null;
  endColumn: number | null;
}

export function columnToLetters(column: number): string {
  let letters = '';
  let n = column;
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

export function lettersToColumn(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

const CELL = /^\$?([A-Za-z]*)\$?(\d*)$/;

/** Parses A1 notation; returns null when it is not A1 (the caller throws Apps Script's error). */
export function parseA1(notation: string): ParsedA1 | null {
  let text = notation.trim();
  let sheetName: string | null = null;
  const bang = text.lastIndexOf('!');
  if (bang >= 0) {
    sheetName = text.slice(0, bang);
    if (sheetName.startsWith("'") && sheetName.endsWith("'")) sheetName = sheetName.slice(1, -1).replace(/''/g, "'");
    text = text.slice(bang + 1);
  }
  const [startText, endText, extra] = text.split(':');
  if (extra !== undefined || !startText) return null;
  const start = CELL.exec(startText);
  const end = endText === undefined ? start : CELL.exec(endText);
  if (!start || !end) return null;
  const startColumn = start[1] ? lettersToColumn(start[1]) : null;
  const startRow = start[2] ? Number(start[2]) : null;
  const endColumn = end[1] ? lettersToColumn(end[1]) : null;
  const endRow = end[2] ? Number(end[2]) : null;
  if (startColumn === null && startRow === null) return null;
  if (endText === undefined && (startColumn === null || startRow === null)) return null;
  if (startRow === 0 || endRow === 0) return null;
  return { sheetName, startRow, startColumn, endRow, endColumn };
}

/** The A1 notation of a grid range, as Range.getA1Notation gives it ("A1", "A1:C3"). */
export function toA1(range: GridRange): string {
  const start = `${columnToLetters(range.column)}${range.row}`;
  if (range.numRows === 1 && range.numColumns === 1) return start;
  return `${start}:${columnToLetters(range.column + range.numColumns - 1)}${range.row + range.numRows - 1}`;
}
