// What of an interviewer reply the candidate heard when it was cut: the provider says how much audio
// played, not which words, so the words are estimated from the speaking rate.

/**
 * The words of `text` that fit in `heardMs` of audio at `msPerChar`: a word the cut fell inside was not
 * heard whole, so it is left out. Nothing played means nothing heard.
 */
export function heardPrefix(text: string, heardMs: number, msPerChar: number): string {
  if (heardMs <= 0) return '';
  const chars = Math.floor(heardMs / msPerChar);
  if (chars >= text.length) return text;
  const cut = /\s/.test(text[chars] ?? ' ') ? text.slice(0, chars) : text.slice(0, chars).replace(/\S+$/, '');
  return cut.trimEnd();
}

