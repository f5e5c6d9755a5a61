/**
 * Minimal RFC 4180 CSV: parse (quoted fields, doubled quotes, CRLF) and format. Pure; the
 * result files are small enough to read whole.
 */
import type { CsvTable } from './types';

/** Parses CSV text; the first record is the header. Blank trailing lines are ignored. */
export function parseCsv(text: string): CsvTable {
  const records: string[][] = [];
  let rec: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  const endField = () => {
    rec.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    if (!(rec.length === 1 && rec[0] === '')) records.push(rec);
    rec = [];
  };
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n') endRecord();
    else if (c === '\r') {
      if (text[i + 1] !== '\n') endRecord();
    } else field += c;
    i++;
  }
  if (field !== '' || rec.length > 0) endRecord();
  const [columns = [], ...rows] = records;
  return { columns: columns.map((c) => c.trim()), rows };
}

function cell(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Formats a header and rows as CSV. A cell that a spreadsheet would read as a formula
 * (starting with = + - @ and not a number) is prefixed with an apostrophe.
 */
export function toCsv(columns: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const safe = (v: string | number) => (typeof v === 'string' && /^[=+\-@\t\r]/.test(v) && !Number.isFinite(Number(v)) ? `'${v}` : v);
  return [columns, ...rows].map((r) => r.map((v) => cell(safe(v))).join(',')).join('\r\n') + '\r\n';
}

/** Index of a column by any of its accepted names (case-insensitive), or -1. */
export function columnIndex(t: CsvTable, ...names: string[]): number {
  const lower = t.columns.map((c) => c.toLowerCase());
  for (const n of names) {
    const i = lower.indexOf(n.toLowerCase());
    if (i >= 0) return i;
  }
  return -1;
}
