// A generated Express file of `lines` lines: one route per 8 lines, each with an N+1 query
// (Post.findAll per user), so that findings are spread over the whole file. Used by the
// editor test (a 5,000-line file stays responsive) and the latency benchmark.

export function bigFile(lines) {
  const handler = (i) => [
    `app.get('/api/users${i}', async (req, res) => {`,
    '  const users = await User.findAll();',
    '  for (const user of users) {',
    '    user.posts = await Post.findAll({ where: { userId: user.id } });',
    '  }',
    '  res.json(users);',
    '});',
    '',
  ];
  const out = ["const express = require('express');", 'const app = express();', ''];
  for (let i = 0; out.length + 8 <= lines - 1; i++) out.push(...handler(i));
  while (out.length < lines - 1) out.push('// end of routes');
  out.push('module.exports = app;');
  return out.join('\n');
}

/**
 * Pastes `text` into the playground's editor as the browser does for Ctrl+V (a `paste` event
 * carrying the text): replaces the whole content. (Playwright's insertText types a huge text
 * through the input pipeline, far slower than any real paste.)
 */
export async function pasteCode(page, text) {
  await page.locator('#code .cm-content').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
    document.querySelector('#code .cm-content').dispatchEvent(event);
  }, text);
}
