// Waiting helpers shared by the browser tests: poll until the page shows what a test expects,
// or fail with what it showed last.

/** Waits until the text of `locator` matches `pattern`; returns that text. */
export async function waitForText(locator, pattern, ms) {
  const deadline = Date.now() + ms;
  let text = '';
  while (Date.now() < deadline) {
    text = await locator.innerText().catch(() => '');
    if (pattern.test(text)) return text;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${pattern} never matched; last text: ${text}`);
}

/** Waits until `fn()` resolves to a truthy value (errors count as not yet); returns it. */
export async function waitFor(fn, what, ms) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    last = await fn().catch((e) => e);
    if (last && !(last instanceof Error)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}: never happened (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
}

/** Opens the parameters' drawer (the form controls, the cost model, the measurements). */
export async function openSettings(page) {
  const toggle = page.locator('#settings-toggle');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}
