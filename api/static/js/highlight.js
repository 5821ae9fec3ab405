// Search matches marked in what was written: a text and a query are compared in the normalised form the
// service searches on (graph/text.py: full-width folded, traditional as simplified, whitespace dropped),
// and each match is marked on the characters it came from, so a query in traditional script marks the
// simplified name it found. The marks are <mark> elements around text nodes: nothing is parsed as HTML.
import { h } from "./dom.js";
import { T2S_PAIRS } from "./t2s.js";

const SIMPLIFIED = new Map();
{
  const chars = [...T2S_PAIRS];
  for (let i = 0; i + 1 < chars.length; i += 2) SIMPLIFIED.set(chars[i], chars[i + 1]);
}
const SPACE = /\s/u;

// One character as matched: full-width ASCII and the ideographic space folded, then simplified.
function fold(char) {
  const code = char.codePointAt(0);
  if (code >= 0xff01 && code <= 0xff5e) return String.fromCodePoint(code - 0xfee0);
  if (code === 0x3000) return " ";
  return SIMPLIFIED.get(char) || char;
}

// The normalised text, and for each of its code units where in `text` the character it comes from starts
// and ends.
function normalised(text) {
  let form = "";
  const starts = [];
  const ends = [];
  let at = 0;
  for (const char of text) {
    const folded = fold(char);
    if (!SPACE.test(folded)) {
      form += folded;
      for (let i = 0; i < folded.length; i++) {
        starts.push(at);
        ends.push(at + char.length);
      }
    }
    at += char.length;
  }
  return { form, starts, ends };
}

// The normalised form of a query, as the service matches it.
export function normalise(text) {
  return normalised(text || "").form;
}

// `text` as nodes, every match of the query `wanted` (normalised, from `normalise`) in a <mark>.
export function marked(text, wanted) {
  const written = text || "";
  if (!wanted) return [written];
  const { form, starts, ends } = normalised(written);
  const nodes = [];
  let shown = 0;
  for (let found = form.indexOf(wanted); found >= 0; found = form.indexOf(wanted, found + wanted.length)) {
    const start = starts[found];
    const end = ends[found + wanted.length - 1];
    if (start > shown) nodes.push(written.slice(shown, start));
    nodes.push(h("mark", {}, written.slice(start, end)));
    shown = end;
  }
  if (shown < written.length) nodes.push(written.slice(shown));
  return nodes;
}
