/**
 * Escaping for the HTML report. Every string that comes from a scenario or a result file
 * (names, labels, descriptions, sources) goes through `esc` before it reaches markup, and the
 * inlined data goes through `jsonForScript`, so neither can open a tag or close the script.
 */

/** Text for HTML element content and double-quoted attribute values. */
export function esc(s: unknown): string {
  return String(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * JSON for a `<script type="application/json">` element: `<`, `>` and `&` as \u escapes (so
 * `</script>` or `<!--` in a string cannot end or confuse the element), and the line separators
 * JavaScript once refused inside strings. JSON.parse of the element's text gives the value back.
 */
export function jsonForScript(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
