// Searches on strings are not searches over an array.
function grep(text, patterns, users) {
  const lines = text.split('\n');
  const out = [];
  for (const line of text.split('\n')) {
    if (line.includes('ERROR')) out.push(line);
  }
  for (const pattern of patterns) {
    if (text.includes(pattern)) out.push(pattern);
    if (`prefix-${text}`.indexOf(pattern) >= 0) out.push(pattern);
  }
  const header = lines[0].toLowerCase();
  users.forEach((user) => {
    if (header.includes(user.name)) out.push(user);
    if (user.email.trim().toLowerCase().endsWith('.org') && 'abc'.includes(user.code)) out.push(user);
  });
  return out;
}

module.exports = { grep };
