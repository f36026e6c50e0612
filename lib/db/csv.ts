// Parses one line of SQL*Plus `SET MARKUP CSV ON QUOTE ON` output: fields separated by commas,
// strings in double quotes with "" for a quote, NULL as an empty field. Every column the
// suite selects is text (TO_CHAR'd), so by default an unquoted non-empty field means the
// line is not a data row at all (a stray message), and null is returned.

export function parseCsvLine(line: string, opts: { allowUnquoted?: boolean } = {}): string[] | null {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= line.length) return null; // unterminated quote: not a CSV data line
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            v += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += line[i++];
      }
      out.push(v);
    } else {
      const j = line.indexOf(',', i);
      const raw = j < 0 ? line.slice(i) : line.slice(i, j);
      if (raw.includes('"')) return null;
      if (raw.trim() !== '' && !opts.allowUnquoted) return null;
      out.push(raw.trim());
      i = j < 0 ? line.length : j;
    }
    if (i >= line.length) return out;
    if (line[i] !== ',') return null;
    i++;
    if (i === line.length) {
      out.push('');
      return out;
    }
  }
}
