// Drives the portal in real headless Chromium: log in (a wrong password
// first), book a cluster, get the refusal for an impossible one, look at the
// calendar, and keep a screenshot. Prints the refusal text for the caller.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const url = process.env.PORTAL_URL;
const shot = process.env.SCREENSHOT;
const key = process.env.SSH_KEY;

// What the fake vm-server's virsh says of a domain (tests/fakehost).
function domainState(vm) {
  for (const host of fs.readdirSync(process.env.HOSTS)) {
    const file = path.join(process.env.HOSTS, host, 'state', 'domain', vm);
    if (fs.existsSync(file)) {
      return fs.readFileSync(file, 'utf8').split('\n')[0];
    }
  }
  return 'no domain';
}

// Presses a node's button, then reloads until the page says the action is
// done (the portal's worker carries it out at once; 30 s at most).
async function press(page, action, node) {
  const row = `table[data-name=c1] tr[data-node=${node}]`;
  await Promise.all([page.waitForLoadState('load'),
    page.click(`${row} button[aria-label="${action} ${node}"]`)]);
  assert.match(await page.textContent('[role=status]'),
    new RegExp(`^c1 ${node}: ${action} requested; the portal carries it out now$`));
  for (let i = 0; i < 60; i++) {
    if (/ (done|failed)/.test(await page.textContent(`${row} .last`))) break;
    await page.waitForTimeout(500);
    await page.reload();
  }
  return { last: await page.textContent(`${row} .last`), power: await page.textContent(`${row} .power`) };
}

async function book(page, name) {
  await page.fill('#name', name);
  await page.fill('#start', '2027-01-04T09:00:00Z');
  await page.fill('#end', '2027-01-10T00:00:00Z');
  await page.fill('#nodes', '2');
  await page.fill('#sshkey', key);
  await Promise.all([page.waitForLoadState('load'), page.click('#book button[type=submit]')]);
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    await page.goto(url + '/');
    assert.match(page.url(), /\/login$/, 'no session: the login page');

    await page.fill('#user', 'alice');
    await page.fill('#password', 'not-her-password');
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
    assert.equal(await page.textContent('[role=alert]'), 'wrong user name or password');

    await page.fill('#user', 'alice');
    await page.fill('#password', process.env.ALICE_PASSWORD);
    await Promise.all([page.waitForURL(url + '/'), page.click('button[type=submit]')]);
    assert.equal(await page.textContent('#who'), 'alice');
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'vcluster_session');
    assert.ok(session && session.httpOnly && session.sameSite === 'Strict', 'strict HttpOnly session');
    // The form offers the installed rolls and appliances.
    assert.ok(await page.isChecked('#rolls input[value=base]'));
    assert.ok(await page.isChecked('#appliances input[value=compute]'));

    await book(page, 'e2e1');
    assert.match(await page.textContent('[role=status]'), /^booked e2e1 from 2027-01-04T09:00:00Z; root password of its frontend \(shown once, kept nowhere\): [A-Za-z0-9]{19}$/);
    assert.equal(await page.textContent('tr[data-name=e2e1] .state'), 'scheduled');

    // The calendar picture loads (an SVG the session may fetch) and shows e2e1.
    await page.waitForFunction(() => {
      const img = document.querySelector('#calendar');
      return img && img.complete && img.naturalWidth > 0;
    });
    const svg = await page.evaluate(async () =>
      (await fetch(document.querySelector('#calendar').src)).text());
    assert.match(svg, /<svg/);
    assert.match(svg, /e2e1 \(alice\)/);

    // Only one public address: the same period again cannot fit.
    await book(page, 'e2e2');
    const refusal = await page.textContent('[role=alert]');
    assert.match(refusal, /^refused: .*earliest start that fits: 2027-01-10T00:00:00Z/);
    assert.equal(await page.inputValue('#name'), 'e2e2', 'the form keeps what was typed');
    assert.equal(await page.locator('tr[data-name=e2e2]').count(), 0);

    // c1 is built: its nodes, each with its buttons.
    const compute = 'table[data-name=c1] tr[data-node=compute-0-0]';
    assert.equal(await page.textContent(`${compute} .power`), 'on');
    assert.equal(domainState('c1-compute-0-0'), 'running');
    let after = await press(page, 'off', 'compute-0-0');
    assert.equal(after.last, 'off done: shut down cleanly');
    assert.equal(after.power, 'off');
    assert.equal(domainState('c1-compute-0-0'), 'shut off');
    assert.equal(domainState('c1-frontend'), 'running', 'only the node pressed');
    after = await press(page, 'on', 'compute-0-0');
    assert.equal(after.last, 'on done: powered on');
    assert.equal(after.power, 'on');
    assert.equal(domainState('c1-compute-0-0'), 'running');

    await page.waitForFunction(() => document.querySelector('#calendar').naturalWidth > 0);
    await page.screenshot({ path: shot, fullPage: true });
    console.log(refusal);
  } finally {
    await browser.close();
  }
})().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
