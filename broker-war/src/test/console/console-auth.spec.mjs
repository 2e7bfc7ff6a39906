// The console of a broker that asks for tokens: the pages load without one, the console asks for a
// token, keeps it in this tab's session storage only, and shows the topics once it has it.
// Environment: LOGQUEUE_URL, TOKEN (an admin token), TOPIC (a topic that exists), CHROMIUM.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const base = new URL(process.env.LOGQUEUE_URL);
let step = 'launching Chromium';
const check = (name) => {
  step = name;
  console.log(`- ${name}`);
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  check('the pages load without a token, and the console asks for one');
  const answer = await page.goto(new URL('console/', base).href);
  assert.equal(answer.status(), 200);
  const dialog = page.locator('#token');
  await dialog.waitFor({ state: 'visible', timeout: 15000 });
  assert.equal(await page.locator('#topics-table tbody tr').count(), 0, 'nothing shown without a token');

  check('with the token, the topics show');
  await dialog.locator('textarea').fill(process.env.TOKEN);
  await dialog.getByRole('button', { name: 'Use it' }).click();
  await page.locator(`#topics-table tbody tr[data-topic="${process.env.TOPIC}"]`).waitFor({ timeout: 15000 });

  check('the token is kept in this tab only');
  const stored = await page.evaluate(() => ({
    session: sessionStorage.getItem('logqueue.token'),
    local: Object.keys(localStorage).length,
    cookies: document.cookie,
  }));
  assert.equal(stored.session, process.env.TOKEN);
  assert.equal(stored.local, 0);
  assert.equal(stored.cookies, '');
  const other = await browser.newContext();
  const fresh = await other.newPage();
  await fresh.goto(new URL('console/', base).href);
  await fresh.locator('#token').waitFor({ state: 'visible', timeout: 15000 });
  await other.close();
  console.log('console with tokens: all checks passed');
} catch (error) {
  console.error(`FAILED at "${step}": ${error.stack || error}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
