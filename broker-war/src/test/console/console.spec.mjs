// The console as an operator uses it, in Debian's headless Chromium driven by Playwright. ConsoleIT
// starts a broker, produces to TOPIC, registers consumers, then runs this script; any failed check
// ends it with exit status 1 and says which.
//
// Environment: LOGQUEUE_URL (the broker), TOPIC (produced to, with consumers), LAGGING (the id of
// TOPIC's consumer furthest behind), CHROMIUM (the browser), SCREENSHOTS (a folder).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const base = new URL(process.env.LOGQUEUE_URL);
const topic = process.env.TOPIC;
const lagging = Number(process.env.LAGGING);
const shots = process.env.SCREENSHOTS;
mkdirSync(shots, { recursive: true });

async function api(method, path, body) {
  const response = await fetch(new URL(path, base), {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

async function produce(name, messages) {
  const producer = (await api('POST', 'producer/register', { topic: name })).json.producer_id;
  const answer = await api('POST', 'producer/produce', { topic: name, producer_id: producer, messages });
  assert.equal(answer.status, 200, JSON.stringify(answer.json));
  return answer.json.offsets;
}

async function topicDetails(name) {
  return (await api('GET', `topics/${name}`)).json.topic;
}

let step = 'launching Chromium';
function check(name) {
  step = name;
  console.log(`- ${name}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
const problems = [];
const alerts = [];
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 820 } });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.push(`console error: ${message.text()}`);
    }
  });
  page.on('dialog', async (dialog) => {
    alerts.push(dialog.message());
    await dialog.dismiss();
  });
  const row = (name) => page.locator(`#topics-table tbody tr[data-topic="${name}"]`);
  const messagesCell = (name) => row(name).locator('td[data-field="messages"]');

  check('the console loads at /console and lists the topic the test produced to');
  const answer = await page.goto(new URL('console', base).href);
  assert.equal(answer.status(), 200);
  assert.match(answer.headers()['content-security-policy'] || '', /script-src 'self'/);
  assert.ok(page.url().endsWith('/console/'), `redirected to the folder: ${page.url()}`);
  await row(topic).waitFor({ timeout: 15000 });
  const before = (await topicDetails(topic)).messages;
  assert.equal(await messagesCell(topic).textContent(), before.toLocaleString('en-US'));

  check('its count rises without a reload when more is produced');
  await page.evaluate(() => {
    window.notReloaded = true;
  });
  await produce(topic, Array.from({ length: 40 }, (_, i) => `more ${i}`));
  const after = (before + 40).toLocaleString('en-US');
  await page.waitForFunction(
    ([name, text]) => document.querySelector(`#topics-table tr[data-topic="${name}"] td[data-field="messages"]`)?.textContent === text,
    [topic, after],
    { timeout: 10000 },
  );
  assert.equal(await page.evaluate(() => window.notReloaded), true, 'the page was not reloaded');
  await page.screenshot({ path: join(shots, 'console-topics.png') });

  check('consumers are sorted by lag, the one furthest behind first');
  await page.click('nav a[data-view="consumers"]');
  const consumerRows = page.locator('#consumers-table tbody tr');
  await consumerRows.first().waitFor();
  assert.equal(Number(await consumerRows.first().getAttribute('data-consumer')), lagging);
  const lags = await page.$$eval('#consumers-table tbody td[data-field="lag"]', (cells) =>
    cells.map((cell) => Number(cell.textContent.replaceAll(',', ''))),
  );
  assert.ok(lags.length >= 3, `three consumers at least: ${lags}`);
  assert.deepEqual(lags, [...lags].sort((a, b) => b - a), 'lags from the largest down');
  await page.screenshot({ path: join(shots, 'console-consumers.png') });

  check('a message of HTML is shown as its text, and runs nothing');
  const hostile = ['<script>alert(1)</script>', '<img src=x onerror="alert(2)">'];
  await produce(topic, hostile);
  await page.click('nav a[data-view="topics"]');
  await row(topic).getByRole('button', { name: 'Browse' }).click();
  await page.locator('#messages').waitFor({ state: 'visible' });
  const script = page.locator('#messages-table td.text', { hasText: hostile[0] });
  await script.waitFor({ timeout: 10000 });
  assert.equal(await script.textContent(), hostile[0]);
  assert.equal(await page.locator('#messages-table td.text', { hasText: hostile[1] }).textContent(), hostile[1]);
  assert.equal(await page.locator('#messages-table script, #messages-table img').count(), 0, 'no element made of a message');
  const newest = await page.$$eval('#messages-table tbody tr', (rows) => rows.map((r) => Number(r.dataset.offset)));
  assert.deepEqual(newest, [...newest].sort((a, b) => b - a), 'newest first');
  await page.waitForTimeout(500);
  assert.deepEqual(alerts, [], 'no alert ran');
  await page.screenshot({ path: join(shots, 'console-messages.png') });

  check('browsing by offset shows that range, newest first');
  const form = page.locator('#browse-form');
  await form.locator('input[name="from"][value="offset"]').check();
  await form.locator('input[name="offset"]').fill('3');
  await form.locator('input[name="max"]').fill('2');
  await form.getByRole('button', { name: 'Show' }).click();
  await page.waitForFunction(() => document.querySelectorAll('#messages-table tbody tr').length === 2
    && document.querySelector('#messages-table tbody tr').dataset.offset === '4');
  const byOffset = await page.$$eval('#messages-table tbody tr', (rows) => rows.map((r) => Number(r.dataset.offset)));
  assert.deepEqual(byOffset, [4, 3]);

  check('browsing by time starts at the first message appended at or after it');
  const all = (await api('GET', `topics/${topic}/messages?offset=0&max=1000`)).json.records;
  const second = Math.floor(all[all.length - 1].timestamp / 1000) * 1000; // the input takes seconds
  const first = all.find((r) => r.timestamp >= second).offset;
  const local = new Date(second - new Date(second).getTimezoneOffset() * 60000).toISOString().slice(0, 19);
  await form.locator('input[name="from"][value="time"]').check();
  await form.locator('input[name="time"]').fill(local);
  await form.locator('input[name="max"]').fill('1000');
  await form.getByRole('button', { name: 'Show' }).click();
  await page.waitForFunction(
    (offset) => Array.from(document.querySelectorAll('#messages-table tbody tr')).at(-1)?.dataset.offset === String(offset),
    first,
  );

  check('a test message sent from the console is appended to the topic');
  await page.locator('#produce-form input[name="message"]').fill('sent from the console');
  await page.locator('#produce-form').getByRole('button', { name: 'Send' }).click();
  await page.locator('#notice.ok', { hasText: `Sent to ${topic}` }).waitFor();
  const last = (await api('GET', `topics/${topic}/messages?max=1`)).json.records[0];
  assert.equal(last.message, 'sent from the console');

  check('a topic created in the console has the retention given');
  await page.click('nav a[data-view="topics"]');
  const create = page.locator('#create-form');
  await create.locator('input[name="name"]').fill('made-in-console');
  await create.locator('input[name="retention"]').fill('2h');
  await create.locator('input[name="bytes"]').fill('512MiB');
  await create.getByRole('button', { name: 'Create' }).click();
  await row('made-in-console').waitFor();
  const made = await topicDetails('made-in-console');
  assert.equal(made.retention_ms, 7200000);
  assert.equal(made.retention_bytes, 512 * 1024 * 1024);
  assert.equal(await row('made-in-console').locator('td').nth(5).textContent(), '2 h, 512 MiB');

  check('deleting a topic asks to confirm, then it is gone');
  await row('made-in-console').getByRole('button', { name: 'Delete made-in-console' }).click();
  const dialog = page.locator('#confirm');
  await dialog.waitFor({ state: 'visible' });
  const ok = dialog.getByRole('button', { name: 'Delete' });
  assert.equal(await ok.isDisabled(), true, 'not before the name is typed');
  await page.screenshot({ path: join(shots, 'console-delete.png') });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  assert.equal((await api('GET', 'topics/made-in-console')).status, 200, 'cancel deletes nothing');
  await row('made-in-console').getByRole('button', { name: 'Delete made-in-console' }).click();
  await dialog.locator('input[name="word"]').fill('made-in-console');
  await ok.click();
  await row('made-in-console').waitFor({ state: 'detached' });
  const gone = await api('GET', 'topics/made-in-console');
  assert.equal(gone.status, 404);
  assert.equal(gone.json.error, 'topic_not_found');

  check('nothing went wrong in the page');
  assert.deepEqual(problems, []);
  assert.deepEqual(alerts, []);
  console.log('console: all checks passed');
} catch (error) {
  console.error(`FAILED at "${step}": ${error.stack || error}`);
  if (problems.length) {
    console.error(`page problems: ${problems.join('\n')}`);
  }
  process.exitCode = 1;
} finally {
  await browser.close();
}
