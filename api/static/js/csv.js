// CSV built in the browser as text, the way the server's reports write it (api/reports.py): RFC 4180 with
// CRLF, a BOM so that Excel on a Chinese Windows reads UTF-8, and a cell that begins like a formula
// (= + - @, a tab or a carriage return) prefixed with ' so that a spreadsheet shows it as text.

const FORMULA_START = ["=", "+", "-", "@", "\t", "\r"];

// One cell as text: a formula's start disarmed, quoted when it holds a quote, a comma or a line break.
export function csvCell(value) {
  let text = value === null || value === undefined ? "" : String(value);
  if (FORMULA_START.some((start) => text.startsWith(start))) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

// Rows (arrays of values, the header first) as the text of a CSV file, BOM included.
export function csvText(rows) {
  return `\ufeff${rows.map((row) => row.map(csvCell).join(",")).join("\r\n")}\r\n`;
}

// Offer `text` to the user as the file `name`.
export function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
