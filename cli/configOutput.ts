/** How `pulumi config` prints (pkg/cmd/pulumi/ui and sdk/go/common/util/cmdutil), and the closest-key hint. */

/** One `pulumi config --json` entry (config.go configValueJSON: value omitted for a blinded secret). */
export interface JsonEntry {
    value?: string;
    objectValue?: unknown;
    secret: boolean;
}

/**
 * cmdutil.Table.Render: each column padded to its widest cell plus a two-space gap, the last column unpadded; a
 * cell with line breaks takes one line per part (normalizedRows).
 */
export function configTable(headers: string[], rows: string[][]): string[] {
    const lines: string[][] = [headers];
    for (const row of rows) {
        const parts = row.map((cell) => cell.split("\n"));
        const height = Math.max(...parts.map((p) => p.length));
        for (let i = 0; i < height; i++) lines.push(parts.map((p) => p[i] ?? ""));
    }
    const widths = headers.map((_, c) => Math.max(...lines.map((l) => [...l[c]].length)));
    return lines.map((l) =>
        l
            .map((cell, c) =>
                c < l.length - 1 ? cell.padEnd(widths[c] + cell.length - [...cell].length) + "  " : cell,
            )
            .join(""),
    );
}

/**
 * JSON as the CLI prints it, indented by two spaces: listing uses ui.FprintJSON (SetEscapeHTML(false)), `get`
 * json.MarshalIndent (escapes <, > and &); Go escapes U+2028 and U+2029 in both.
 */
export function configJson(value: unknown, escapeHTML: boolean): string {
    let s = JSON.stringify(value, null, 2)
        .replace(/\u2028/g, "\\u2028")
        .replace(/\u2029/g, "\\u2029");
    if (escapeHTML) s = s.replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
    return s;
}

/** The candidate with the smallest edit distance to `word`, ignoring case. */
export function closest(word: string, candidates: string[]): string {
    const distance = (a: string, b: string): number => {
        const row = Array.from({ length: b.length + 1 }, (_, j) => j);
        for (let i = 1; i <= a.length; i++) {
            let diagonal = row[0];
            row[0] = i;
            for (let j = 1; j <= b.length; j++) {
                const above = row[j];
                row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.length];
    };
    const w = word.toLowerCase();
    return candidates.reduce((best, c) => (distance(w, c.toLowerCase()) < distance(w, best.toLowerCase()) ? c : best));
}
