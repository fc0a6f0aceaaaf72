// Searches no Map or Set can answer: substring and prefix matches, ranges, inequality.
function match(files, terms, tokens, slots) {
  const hits = [];
  for (const [file, content] of Object.entries(files)) {
    const lower = content.toLowerCase();
    if (terms.some((t) => lower.includes(t.toLowerCase()))) hits.push(file);
  }
  for (const token of tokens) {
    token.ambiguous = tokens.some((other) => other !== token && other.key.slice(0, 4) === token.key.slice(0, 4));
    token.slot = slots.find((s) => s.start <= token.at && token.at < s.end);
  }
  return hits;
}

module.exports = { match };
