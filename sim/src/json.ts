/**
 * The BFF's exact JSON (big integers kept as digits, compact unescaped output), so the simulators
 * read and write ids exactly as the platforms do. `bff` exports only `channels/*` so far, hence
 * the path into its sources; see the README's note on `bff/lib/*`.
 */
export { jsonNumber, parseJsonExact, RawJsonNumber, stringifyJsonExact } from 'bff/lib/json-exact';
