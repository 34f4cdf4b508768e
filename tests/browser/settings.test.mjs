// The settings screen and the sending domains (issue 17): scripts/run.sh serves a fresh RUN_DIR
// (outbox transport) whose domain checks ask this test's own DNS server (dnsmasq on a loopback
// port, massmailing.dns.resolver), never the internet. A group administrator (massmailing.admin)
// is refused a bad value naming the field, adds the sending domain paniers.test and sees the
// records to publish; the check fails naming the missing DKIM record; the test publishes the
// records in its dnsmasq (restarted with the new configuration); the check passes, the domain is
// offered as sender, and a campaign sent from it is DKIM-signed (RSA and Ed25519) with the
// generated keys, which python3-dkim verifies against the test's DNS server. The keys are rotated:
// the old ones sign until a check sees the new ones in the DNS. Then the host's
// administrator sets the SMTP transport to a local server with a wrong password: "test the
// connection" fails at AUTH, and the password is in no page and no log.
// Screenshots: tests/browser/screenshots/settings-*.png.
//
//   node tests/browser/settings.test.mjs     (scripts/test.sh runs it after npm ci)

import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, foodGroup, runTest, startServer, crmhost, launchBrowser, screenshot, check, checkEqual, pathOf, freePort, onCleanup, log, submit, logIn, logOut, enableModule } from './lib.mjs';

const MODULE = 'massmailing';
const DOMAIN = 'paniers.test';
const ADMIN = { login: 'gestionnaire', password: 'gestionnaire-mot-de-passe' };
const SMTP_PASSWORD = 'Tr3s-Secret-Pa55word';
const TARGET = 'members.not_ordered_next_distribution';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A dnsmasq of the test's own: answers for DOMAIN only (local=), from a conf file it rewrites. */
async function startDns() {
    const dir = mkdtempSync(path.join(process.env.CRMHOST_TEST_TMP || tmpdir(), 'settings-dns-'));
    const port = await freePort();
    const conf = path.join(dir, 'dnsmasq.conf');
    let child = null;
    const run = async (records) => {
        if (child) {
            const gone = new Promise((r) => child.once('exit', r));
            child.kill('SIGTERM');
            await gone;
        }
        const lines = ['no-resolv', 'no-hosts', 'no-poll', 'bind-interfaces', 'listen-address=127.0.0.1', `port=${port}`, 'user=root',
            `local=/${DOMAIN}/`, 'log-queries', ...records];
        writeFileSync(conf, lines.join('\n') + '\n');
        child = spawn('dnsmasq', ['--keep-in-foreground', `--conf-file=${conf}`, '--pid-file=', '--log-facility=-'], { stdio: ['ignore', 'ignore', 'pipe'] });
        let errors = '';
        child.stderr.on('data', (d) => { errors += d.toString(); });
        // Listening once it answers.
        for (let i = 0; i < 50; i++) {
            try {
                await promisify(execFile)('/usr/bin/python3', ['-c', `import dns.resolver as r; x=r.Resolver(configure=False); x.nameservers=['127.0.0.1']; x.port=${port}; x.lifetime=1\ntry: x.resolve('nothing.${DOMAIN}','TXT')\nexcept r.NXDOMAIN: pass`]);
                return;
            } catch (err) {
                await sleep(100);
            }
        }
        throw new Error(`dnsmasq did not answer on port ${port}: ${errors}`);
    };
    onCleanup(async () => {
        if (child) child.kill('SIGTERM');
        rmSync(dir, { recursive: true, force: true });
    });
    await run([]);
    return { port, publish: run };
}

/** A TXT record for dnsmasq's conf: the text in strings of at most 255 bytes. */
function txtRecord(name, value) {
    const parts = [];
    for (let i = 0; i < value.length; i += 255) parts.push(`"${value.slice(i, i + 255)}"`);
    return `txt-record=${name},${parts.join(',')}`;
}

/** tests/delivery/smtp_server.py (aiosmtpd): AUTH accepts only mailer / "s3cret pass". */
async function startSmtp() {
    const dir = mkdtempSync(path.join(process.env.CRMHOST_TEST_TMP || tmpdir(), 'settings-smtp-'));
    const child = spawn('/usr/bin/python3', [path.join(REPO_ROOT, 'tests/delivery/smtp_server.py'), dir], { stdio: 'ignore' });
    onCleanup(async () => {
        child.kill('SIGTERM');
        rmSync(dir, { recursive: true, force: true });
    });
    for (let i = 0; i < 100; i++) {
        if (existsSync(path.join(dir, 'ports'))) return Number(readFileSync(path.join(dir, 'ports'), 'utf8').split(' ')[0]);
        await sleep(100);
    }
    throw new Error('smtp_server.py wrote no ports file');
}

runTest('settings', async (t) => {
    const dns = await t.step('start the test\'s DNS server (dnsmasq on a loopback port, no record yet)', () => startDns());
    const server = await t.step('scripts/run.sh serves, its domain checks asking that DNS server', () =>
        startServer({ config: { 'massmailing.dns.resolver': `127.0.0.1:${dns.port}` } }));
    t.server = server;
    const { baseUrl } = server;
    const food = await t.step('find the demo food group', () => foodGroup(server));
    const home = `${baseUrl}/g/${food.id}/${MODULE}/`;

    await t.step('create a group administrator (massmailing.admin) with crmhost user add', () =>
        crmhost(server, 'user', 'add', '--login', ADMIN.login, '--password', ADMIN.password, '--group', food.id,
            '--right', 'massmailing.admin', '--right', 'massmailing.compose', '--right', 'massmailing.send', '--right', 'massmailing.approve'));

    const { page } = await t.step('launch chromium', () => launchBrowser());
    t.page = page;

    await t.step(`the host's administrator enables ${MODULE} for ${food.name}`, async () => {
        await logIn(page, baseUrl, server);
        await enableModule(page, baseUrl, food.id);
        await logOut(page);
    });

    await t.step(`${ADMIN.login} opens the group's settings from the menu`, async () => {
        await logIn(page, baseUrl, ADMIN);
        await page.goto(home);
        await submit(page, `nav a[href$="/${MODULE}/settings"]`);
        checkEqual(pathOf(page), `/g/${food.id}/${MODULE}/settings`, 'the settings page');
        for (const name of ['tracking', 'tracking.ip', 'bounce.domain', 'pacing.max_per_hour', 'time_zone', 'country', 'channel.email', 'channel.sms', 'channel.push'])
            checkEqual(await page.locator(`.mm-setting[data-setting="${name}"]`).count(), 1, `the field ${name}`);
        checkEqual(await page.locator('.mm-setting[data-setting="transport"]').count(), 0, 'no transport for a group (the host\'s)');
        checkEqual(await page.locator('#setting-channel-sms option').allInnerTexts().then((o) => o.join(',')), 'off', 'SMS listed, off only');
        await screenshot(page, 'settings-1-group');
    });

    await t.step('a bad value is refused, naming the field, and nothing is saved', async () => {
        await page.fill('#setting-pacing-max_per_hour', 'lots');
        await page.fill('#setting-country', 'FR');
        await page.fill('#setting-time_zone', 'Mars/Olympus');
        await submit(page, '#save');
        check((await page.locator('.field-error[data-field="time_zone"]').innerText()).startsWith('time_zone: it must be a time zone'), 'an unknown zone refused, naming the field', await page.locator('main').innerText());
        const error = page.locator('.field-error[data-field="pacing.max_per_hour"]');
        checkEqual(await error.count(), 1, 'an error under the pacing field');
        check((await error.innerText()).startsWith('pacing.max_per_hour: it must be a whole number'), 'the error naming the field', await error.innerText());
        checkEqual(await page.locator('#no-changes').count(), 1, 'no change recorded (the country neither)');
        await screenshot(page, 'settings-2-refused');
        await page.fill('#setting-pacing-max_per_hour', '500');
        await page.fill('#setting-time_zone', 'Europe/Brussels');
        await page.selectOption('#setting-tracking-ip', 'hash');
        await submit(page, '#save');
        checkEqual(await page.locator('#notice').count(), 1, 'the notice after saving');
        const changes = await page.locator('#changes tbody tr').evaluateAll((rows) => rows.map((r) => r.innerText.replace(/\s+/g, ' ').trim()));
        check(changes.some((r) => r.includes(`${ADMIN.login} pacing.max_per_hour 0 500`)), 'the pacing change (who, old, new) in the list', changes.join(' | '));
        check(changes.some((r) => r.includes('country FR')) && changes.some((r) => r.includes('tracking.ip keep hash')), 'the country and IP privacy changes', changes.join(' | '));
        await screenshot(page, 'settings-3-saved');
    });

    let records;
    await t.step(`add the sending domain ${DOMAIN}: the records to publish`, async () => {
        await submit(page, '#sender-domains');
        await page.fill('#domain', 'not a domain');
        await submit(page, '#add');
        check((await page.locator('#domain-error').innerText()).startsWith('domain:'), 'a bad domain refused, naming the field', await page.locator('main').innerText());
        await page.fill('#domain', DOMAIN);
        await submit(page, '#add');
        checkEqual(await page.locator('#domain-status').getAttribute('data-status'), 'pending', 'a new domain waits for its records');
        records = await page.locator('#records tbody tr').evaluateAll((rows) => rows.map((r) => ({
            kind: r.dataset.kind, name: r.querySelector('.record-name').textContent, type: r.children[2].textContent, value: r.querySelector('.record-value').textContent,
        })));
        checkEqual(records.map((r) => r.kind).join(' '), 'dkim dkim_ed25519 spf dmarc', 'the records to publish');
        check(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]{300,}$/.test(records[0].value), 'an RSA-2048 DKIM key', records[0].value);
        check(/^mm\d{6}r\._domainkey\.paniers\.test$/.test(records[0].name), 'the DKIM record\'s name', records[0].name);
        check(/^v=DKIM1; k=ed25519; p=/.test(records[1].value), 'an Ed25519 DKIM key', records[1].value);
        checkEqual(records[2].value, 'v=spf1 a mx ~all', 'the SPF record');
        check(records[3].name === `_dmarc.${DOMAIN}` && records[3].value.startsWith('v=DMARC1; p=none'), 'the DMARC suggestion', JSON.stringify(records[3]));
        await screenshot(page, 'settings-4-records');
    });

    await t.step('the domain is not offered as sender yet', async () => {
        await page.goto(`${home}campaigns/new`);
        const domains = await page.locator('#sender_domain option').allInnerTexts();
        check(!domains.includes(DOMAIN), `${DOMAIN} not among the sender domains`, domains.join(', '));
        await page.goBack();
    });

    await t.step('with only SPF and DMARC published, the check fails naming the missing DKIM record', async () => {
        await dns.publish(records.filter((r) => !r.kind.startsWith('dkim')).map((r) => txtRecord(r.name, r.value)));
        await submit(page, '#check');
        checkEqual(await page.locator('#domain-status').getAttribute('data-status'), 'pending', 'still pending');
        const dkim = page.locator('#checks li[data-kind="dkim"]');
        checkEqual(await dkim.getAttribute('class'), 'failed', 'the DKIM check failed');
        check((await dkim.innerText()).includes(`missing: no DKIM record at ${records[0].name}`), 'the missing DKIM record named', await dkim.innerText());
        checkEqual(await page.locator('#checks li[data-kind="spf"]').getAttribute('class'), 'ok', 'SPF found');
        await screenshot(page, 'settings-5-check-fails');
    });

    await t.step('the records published in the test\'s dnsmasq, the check passes', async () => {
        await dns.publish(records.map((r) => txtRecord(r.name, r.value)));
        await submit(page, '#check');
        const classes = await page.locator('#checks li').evaluateAll((items) => items.map((li) => `${li.dataset.kind}:${li.className}`));
        checkEqual(classes.join(' '), 'dkim:ok dkim_ed25519:ok spf:ok dmarc:ok', 'every record found');
        checkEqual(await page.locator('#domain-status').getAttribute('data-status'), 'verified', 'the domain verified');
        await screenshot(page, 'settings-6-verified');
    });

    let campaignBase;
    await t.step(`a campaign from news@${DOMAIN}, sent now`, async () => {
        await page.goto(`${home}campaigns/new`);
        await page.fill('#name', 'Paniers signés');
        await page.fill('#sender_local', 'news');
        await page.selectOption('#sender_domain', DOMAIN);
        await submit(page, '#save-details');
        await page.fill('#subject', 'Les paniers de la semaine');
        await page.waitForFunction(() => window.massmailingEditor && document.querySelector('#editor .ql-editor'));
        await page.click('#editor .ql-editor');
        await page.keyboard.type('Signé par la clé du domaine.');
        await submit(page, '#save');
        campaignBase = page.url().replace(/composition(\?.*)?$/, '');
        await page.goto(`${campaignBase}recipients`);
        await page.selectOption('#target', TARGET);
        await submit(page, '#load');
        await page.goto(`${campaignBase}send`);
        // The group's settings are the new send's defaults: its zone, and the pacing set above.
        checkEqual(await page.locator('#time_zone').inputValue(), 'Europe/Brussels', 'the group\'s time zone');
        check(await page.locator('#pacing-per-hour').isChecked(), 'the group\'s default pacing chosen', '');
        checkEqual(await page.locator('#per_hour').inputValue(), '500', 'the group\'s 500 per hour');
        await page.check('#pacing-none');
        await page.check('#when-now');
        await submit(page, '#schedule');
        await page.waitForFunction(() => document.getElementById('campaign-status')?.dataset.status === 'done', null, { timeout: 90000, polling: 500 });
    });

    await t.step('its messages are DKIM-signed with the generated keys: python3-dkim verifies them against the test\'s DNS', async () => {
        const outbox = path.join(server.runDir, 'data/outbox');
        const files = readdirSync(outbox).filter((f) => f.endsWith('.eml') && readFileSync(path.join(outbox, f), 'latin1').includes(`@${DOMAIN}>`));
        check(files.length > 0, `messages from ${DOMAIN} in the outbox`, readdirSync(outbox).length + ' files');
        for (const file of files.slice(0, 3)) {
            const text = readFileSync(path.join(outbox, file), 'latin1');
            check(text.includes(`s=${records[0].name.split('.')[0]};`) || text.includes(`s=${records[0].name.split('.')[0]}`), 'signed with the RSA selector', text.slice(0, 800));
            const { stdout } = await promisify(execFile)('/usr/bin/python3', [path.join(REPO_ROOT, 'tests/browser/verify_dkim.py'), path.join(outbox, file), String(dns.port)]).catch((err) => {
                throw new Error(`python3-dkim refused ${file}: ${err.stdout}${err.stderr}`);
            });
            log(`${file}: ${stdout.trim().replace(/\n/g, '; ')}`);
            check(stdout.includes('a=rsa-sha256: pass') && stdout.includes('a=ed25519-sha256: pass'), 'both signatures verified', stdout);
        }
    });

    await t.step('key rotation: the old keys sign until the new ones are seen in the DNS', async () => {
        await page.goto(`${home}settings/domains`);
        await submit(page, `#domains tr[data-domain="${DOMAIN}"] a`);
        await submit(page, '#rotate');
        check(await page.locator('#rotating').isVisible(), 'the hint of a rotation under way', await page.locator('main').innerText());
        const both = await page.locator('#records tbody tr').evaluateAll((rows) => rows.map((r) => ({
            kind: r.dataset.kind, name: r.querySelector('.record-name').textContent, value: r.querySelector('.record-value').textContent,
        })));
        checkEqual(both.map((r) => r.kind).join(' '), 'dkim dkim_ed25519 dkim_next dkim_ed25519_next spf dmarc', 'the next keys beside the current ones');
        await submit(page, '#check');
        checkEqual(await page.locator('#domain-status').getAttribute('data-status'), 'verified', 'still verified while the next keys are not published');
        checkEqual(await page.locator('#checks li[data-kind="dkim_next"]').getAttribute('class'), 'failed', 'the next key not seen yet');
        await screenshot(page, 'settings-7-rotation');
        await dns.publish(both.map((r) => txtRecord(r.name, r.value)));
        await submit(page, '#check');
        checkEqual(await page.locator('#rotating').count(), 0, 'the rotation done');
        const now = await page.locator('#records tbody tr[data-kind="dkim"] .record-name').innerText();
        checkEqual(now, both[2].name, 'the next RSA key is the current one');
    });

    const smtpPort = await t.step('start a local SMTP server (tests/delivery/smtp_server.py)', () => startSmtp());

    await t.step('the host\'s administrator sets the SMTP transport with a wrong password', async () => {
        await logOut(page);
        await logIn(page, baseUrl, server);
        await page.goto(`${home}settings`);
        await submit(page, '#host-scope');
        checkEqual(pathOf(page), `/g/${food.id}/${MODULE}/settings?scope=host`, 'the host\'s settings');
        await page.fill('#setting-quota-monthly', '-3');
        await submit(page, '#save');
        check((await page.locator('.field-error[data-field="quota.monthly"]').innerText()).startsWith('quota.monthly:'), 'a bad quota refused, naming the field', await page.locator('main').innerText());
        await page.fill('#setting-quota-monthly', '100000');
        await page.selectOption('#setting-transport', 'smtp');
        await page.fill('#setting-smtp-host', '127.0.0.1');
        await page.fill('#setting-smtp-port', String(smtpPort));
        await page.fill('#setting-smtp-tls', 'starttls');
        await page.fill('#setting-smtp-verify', 'false');
        await page.fill('#setting-smtp-user', 'mailer');
        await submit(page, '#save');
        const missing = page.locator('.field-error[data-field="smtp.password"]');
        checkEqual(await missing.count(), 1, 'a user without password refused on the password field');
        check((await missing.innerText()).startsWith('smtp.password is required'), 'the rule between the SMTP fields, naming the field', await missing.innerText());
        checkEqual(await page.locator('#changes tr[data-setting="transport"]').count(), 0, 'nothing saved');
        await page.fill('#setting-smtp-password', SMTP_PASSWORD);
        await submit(page, '#save');
        checkEqual(await page.locator('#notice').count(), 1, 'saved');
        checkEqual(await page.locator('#setting-smtp-password').inputValue(), '', 'the password not shown back');
        const row = await page.locator('#changes tr[data-setting="smtp.password"]').innerText();
        check(row.includes('(empty)') && row.includes('(changed)'), 'the password change recorded masked', row);
        await screenshot(page, 'settings-8-host');
    });

    await t.step('"test the connection" says the server refused the AUTH', async () => {
        await page.fill('#sender', `news@${DOMAIN}`);
        await submit(page, '#test');
        const result = page.locator('#connection-test');
        checkEqual(await result.getAttribute('data-step'), 'auth', 'the step that failed');
        check((await result.innerText()).includes('AUTH') && (await result.innerText()).includes('535'), 'the refusal in words, with the server\'s answer', await result.innerText());
        await screenshot(page, 'settings-9-test-auth-refused');
    });

    await t.step('the password is in no page and no log', async () => {
        for (const url of [`${home}settings?scope=host`, `${home}settings`, `${home}settings/domains`]) {
            await page.goto(url);
            check(!(await page.content()).includes(SMTP_PASSWORD), `no password in ${url}`, 'found');
        }
        check(!server.output().includes(SMTP_PASSWORD), 'no password in the host\'s log', 'found');
        const db = readFileSync(path.join(server.runDir, 'data/crmhost.db'), 'latin1');
        check(!db.includes(SMTP_PASSWORD), 'the password sealed in the database', 'found in clear');
    });
});
