'use strict';

// Opens the demo page in a real headless Chromium and uses it like a person would: connect, send
// text and binary and see the echoes, see this socket's records, close with a code and see it.
// Usage: node demo-page.test.js <page URL>; CHROMIUM names the browser (default /usr/bin/chromium).
// Exits 0 and prints "demo page test passed", or prints what was missing and the page's log.

const { chromium } = require('playwright-core');

const STEP_TIMEOUT_MS = 20000;

async function main(url) {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
  const page = await browser.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  page.on('pageerror', (err) => console.log('page error:', err.message));
  const log = page.locator('#log');
  const records = page.locator('#records tbody');
  const step = async (what, action) => {
    try {
      await action();
      console.log('ok:', what);
    } catch (err) {
      console.log('FAILED:', what, '\n', err.message.split('\n')[0]);
      console.log('socket log:\n' + (await log.innerText().catch(() => '?')));
      console.log('records:\n' + (await records.innerText().catch(() => '?')));
      throw err;
    }
  };
  try {
    await step('the page loads and prefills the gateway URL', async () => {
      await page.goto(url);
      await page.locator('body[data-ready="true"]').waitFor();
      const wsUrl = await page.locator('#url').inputValue();
      if (!/^ws:\/\/.+:\d+\/ws$/.test(wsUrl)) throw new Error('unexpected URL ' + wsUrl);
    });
    await step('connect: the socket opens and the greeting is echoed', async () => {
      await page.click('#connect');
      await page.locator('#status', { hasText: 'open' }).waitFor();
      await log.locator('li.received', { hasText: '← text: hello from the demo page [demo ' }).waitFor();
    });
    await step('send text: the echo shows', async () => {
      await page.fill('#text', 'text from the browser 你好');
      await page.click('#send-text');
      await log.locator('li.received', { hasText: '← text: text from the browser 你好' }).waitFor();
    });
    await step('send binary: the bytes come back as binary', async () => {
      await page.fill('#text', 'AB');
      await page.click('#send-binary');
      await log.locator('li.received', { hasText: '← binary (2 bytes): 41 42' }).waitFor();
    });
    await step('the connection id and its records in Kafka show', async () => {
      await page.locator('#connection', { hasText: '.' }).waitFor();
      await records.locator('tr.inbound', { hasText: 'wx.socket.open' }).waitFor();
      await records.locator('tr.inbound', { hasText: 'text from the browser' }).waitFor();
      await records.locator('tr.outbound', { hasText: 'text from the browser' }).waitFor();
      await records.locator('tr.inbound', { hasText: 'application/octet-stream' }).waitFor();
    });
    await step('close with a code: the close code and reason show, and the close event is recorded', async () => {
      await page.fill('#close-code', '4321');
      await page.fill('#close-reason', 'done here');
      await page.click('#close');
      await log.locator('li.closed', { hasText: 'closed: code 4321, reason "done here"' }).waitFor();
      await records.locator('tr.inbound', { hasText: 'wx.socket.close' }).waitFor();
    });
    console.log('demo page test passed');
  } finally {
    await browser.close();
  }
}

main(process.argv[2]).then(() => process.exit(0), (err) => {
  console.log(err && err.stack ? err.stack.split('\n')[0] : err);
  process.exit(1);
});
