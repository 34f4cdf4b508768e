// Shared helpers of the browser tests (tests/browser/*.test.mjs), run by scripts/test.sh with node.
//
//   startServer()        scripts/run.sh as a child, in its own process group, with a fresh RUN_DIR
//                        and a free RUN_PORT; waits until /login answers; parses the administrator
//                        it prints. stop() ends its whole process group (also done at exit).
//   launchBrowser()      Debian's /usr/bin/chromium through playwright-core (never a downloaded one)
//   screenshot()         a full-page PNG in tests/browser/screenshots/ (git-ignored)
//   check(), checkEqual() assertions whose message says what was expected and what was found
//   runTest()            runs a scenario: numbered steps, a screenshot and the server's last lines
//                        on failure, the exit code, and the clean-up whatever happens
//
// Environment: REPO_ROOT (default: two folders up), CRMHOST_BIN (default: build/bin/crmhost),
// CHROMIUM_BIN (default: /usr/bin/chromium), RUN_START_TIMEOUT_S (default 600: run.sh may build).

import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, readdirSync, createWriteStream, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = process.env.REPO_ROOT || path.resolve(here, '../..');
export const CRMHOST_BIN = process.env.CRMHOST_BIN || path.join(REPO_ROOT, 'build/bin/crmhost');
export const CHROMIUM_BIN = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(here, 'screenshots');
const START_TIMEOUT_MS = Number(process.env.RUN_START_TIMEOUT_S || 600) * 1000;

// ------------------------------------------------------------------ logging and assertions

const t0 = Date.now();
export function log(...args) {
    const secs = ((Date.now() - t0) / 1000).toFixed(1).padStart(6);
    console.log(`[${secs}s]`, ...args);
}

export class TestFailure extends Error {}

function show(value) {
    if (typeof value === 'string') {
        const s = value.length > 300 ? value.slice(0, 300) + `… (${value.length} chars)` : value;
        return JSON.stringify(s);
    }
    try {
        return JSON.stringify(value);
    } catch {
        return String(value);
    }
}

/** check(condition, what was expected, what was found) */
export function check(condition, expected, found) {
    if (!condition) {
        throw new TestFailure(`expected: ${expected}\n        found:    ${typeof found === 'string' ? found : show(found)}`);
    }
}

export function checkEqual(actual, wanted, what) {
    check(actual === wanted, `${what} to be ${show(wanted)}`, show(actual));
}

// ------------------------------------------------------------------ processes

const cleanups = []; // run in reverse order by runTest, and the synchronous parts at exit
const syncKills = new Set(); // process group ids to SIGKILL if node exits without cleaning up

process.on('exit', () => {
    for (const pgid of syncKills) {
        try {
            process.kill(-pgid, 'SIGKILL');
        } catch {
            /* already gone */
        }
    }
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
        log(`got ${signal}: stopping`);
        process.exit(signal === 'SIGINT' ? 130 : 143); // the exit handler kills the server's group
    });
}

/** Registers a clean-up (a helper process the test started) that runTest runs at the end. */
export function onCleanup(fn) {
    cleanups.push(fn);
}

export async function freePort() {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.unref();
        server.on('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function alive(pgid) {
    try {
        process.kill(-pgid, 0);
        return true;
    } catch {
        return false;
    }
}

/** Ends a process group: TERM, up to graceMs, then KILL. */
async function killGroup(pgid, graceMs = 10000) {
    if (!alive(pgid)) return;
    try {
        process.kill(-pgid, 'SIGTERM');
    } catch {
        /* gone */
    }
    const until = Date.now() + graceMs;
    while (alive(pgid) && Date.now() < until) await sleep(100);
    if (alive(pgid)) {
        log(`process group ${pgid} still there after ${graceMs / 1000} s: SIGKILL`);
        try {
            process.kill(-pgid, 'SIGKILL');
        } catch {
            /* gone */
        }
    }
}

// The administrator that run.sh prints. run.sh says "... log in as LOGIN / PASSWORD" (or the like);
// the host's seed-demo says "Administrator: login admin, password XXXX".
const CREDENTIAL_PATTERNS = [
    /Administrator\b[^\n]*?\blogin[:\s]+([A-Za-z0-9._@-]+)[,;]?\s+password[:\s]+([^\s,;"'`]+)/i,
    /\blog\s*in as\s+["'`]?([A-Za-z0-9._@-]+)["'`]?\s*(?:\/|with password|password[:\s]|,)\s*(?:password[:\s]+)?["'`]?([^\s,;"'`]+)/i,
    /\blogin[:\s]+([A-Za-z0-9._@-]+)[,;]?\s+password[:\s]+([^\s,;"'`]+)/i,
    /\blogin\s*[:=]\s*([A-Za-z0-9._@-]+)[^\n]*\n(?:[^\n]*\n)?[^\n]*?\bpassword\s*[:=]\s*([^\s,;"'`]+)/i, // on two lines
];

export function parseCredentials(text) {
    const clean = text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
    for (const pattern of CREDENTIAL_PATTERNS) {
        const m = clean.match(pattern);
        if (m) return { login: m[1], password: m[2].replace(/[.)\]]+$/, '') };
    }
    return null;
}

/**
 * Starts scripts/run.sh with a fresh RUN_DIR and a free RUN_PORT, in its own process group, and
 * waits until GET /login answers. Fails at once if run.sh exits first.
 * Returns { baseUrl, port, runDir, login, password, output(), tail(n), stop() }.
 */
export async function startServer({ timeoutMs = START_TIMEOUT_MS, config = {} } = {}) {
    const script = path.join(REPO_ROOT, 'scripts/run.sh');
    if (!existsSync(script)) throw new TestFailure(`expected: ${script} to exist\n        found:    no such file`);
    const runDir = mkdtempSync(path.join(process.env.CRMHOST_TEST_TMP || tmpdir(), 'browser-run-'));
    const port = await freePort();
    const logFile = path.join(runDir, 'run.sh.log');
    const logStream = createWriteStream(logFile);
    log(`starting scripts/run.sh with RUN_DIR=${runDir} RUN_PORT=${port} (log: ${logFile})`);

    const child = spawn('bash', [script], {
        cwd: REPO_ROOT,
        // config: { key: value } added to the configuration run.sh writes (RUN_CONFIG_EXTRA).
        env: { ...process.env, RUN_DIR: runDir, RUN_PORT: String(port), RUN_CONFIG_EXTRA: Object.entries(config).map(([k, v]) => `${k} = ${v}`).join('\n') },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true, // its own process group (setsid), so that stop() ends all it started
    });
    const pgid = child.pid;
    syncKills.add(pgid);

    let output = '';
    let exited = null;
    const onData = (data) => {
        const text = data.toString();
        output += text;
        logStream.write(text);
        if (process.env.BROWSER_TEST_QUIET !== '1') {
            for (const line of text.split('\n')) if (line.trim()) console.log(`  run.sh | ${line}`);
        }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const exitPromise = new Promise((resolve) =>
        child.on('exit', (code, signal) => {
            exited = { code, signal };
            resolve(exited);
        }),
    );
    child.on('error', (err) => {
        exited = { code: null, signal: null, error: err };
    });

    const tail = (n = 40) => output.split('\n').slice(-n).join('\n');
    let stopped = false;
    const stop = async () => {
        if (stopped) return;
        stopped = true;
        log(`stopping run.sh (process group ${pgid})`);
        await killGroup(pgid);
        syncKills.delete(pgid);
        logStream.end();
        if (process.env.KEEP_RUN_DIR === '1') log(`kept ${runDir}`);
        else rmSync(runDir, { recursive: true, force: true });
    };
    cleanups.push(stop);

    const baseUrl = `http://127.0.0.1:${port}`;
    const started = Date.now();
    let lastError = '';
    let lastNote = 0;
    for (;;) {
        if (exited) {
            const how = exited.error ? `failed to start: ${exited.error.message}` : exited.signal ? `was killed by ${exited.signal}` : `exited with code ${exited.code}`;
            throw new TestFailure(`expected: scripts/run.sh to serve ${baseUrl}/login\n        found:    run.sh ${how} before it answered; its last lines:\n${tail()}`);
        }
        if (Date.now() - started > timeoutMs) {
            throw new TestFailure(`expected: ${baseUrl}/login to answer within ${timeoutMs / 1000} s of starting run.sh\n        found:    no answer (last error: ${lastError}); run.sh's last lines:\n${tail()}`);
        }
        try {
            const res = await fetch(`${baseUrl}/login`, { redirect: 'manual', signal: AbortSignal.timeout(5000) });
            await res.text();
            if (res.status === 200) break;
            lastError = `HTTP ${res.status}`;
        } catch (err) {
            lastError = err.cause?.code || err.message;
        }
        if (Date.now() - lastNote > 60000) {
            lastNote = Date.now();
            log(`waiting for ${baseUrl}/login (${Math.round((Date.now() - started) / 1000)} s so far)`);
        }
        await Promise.race([sleep(500), exitPromise]);
    }
    log(`run.sh answers on ${baseUrl} after ${Math.round((Date.now() - started) / 1000)} s`);

    // The administrator line is printed before serving; give the pipe a moment to deliver it.
    let creds = parseCredentials(output);
    for (let i = 0; !creds && i < 20; i++) {
        await sleep(100);
        creds = parseCredentials(output);
    }
    check(creds, 'run.sh to print the administrator\'s login and password (e.g. "log in as LOGIN / PASSWORD")', `no such line in its output:\n${tail()}`);
    log(`administrator from run.sh's output: ${creds.login} / ${creds.password}`);

    return {
        baseUrl,
        port,
        runDir,
        pgid,
        login: creds.login,
        password: creds.password,
        output: () => output,
        tail,
        stop,
    };
}

/** Runs the host's command line on the run's configuration: crmhost --config RUN_DIR/crmhost.properties ARGS */
/** The first group of kind "food" in `crmhost group list`: { id, name }. */
export async function foodGroup(server) {
    const out = await crmhost(server, 'group', 'list');
    const line = out.split('\n').find((l) => l.split('\t')[1] === 'food');
    check(line, 'a group of kind "food" in `crmhost group list`', out);
    const [id, , name] = line.split('\t');
    return { id: id.trim(), name: name.trim() };
}

export async function crmhost(server, ...args) {
    const config = path.join(server.runDir, 'crmhost.properties');
    check(existsSync(config), `run.sh to write its configuration to ${config}`, 'no such file');
    check(existsSync(CRMHOST_BIN), `the host's binary at ${CRMHOST_BIN} (CRMHOST_BIN)`, 'no such file');
    try {
        const { stdout } = await promisify(execFile)(CRMHOST_BIN, ['--config', config, ...args], {
            cwd: REPO_ROOT,
            timeout: 60000,
        });
        return stdout;
    } catch (err) {
        throw new TestFailure(`expected: \`crmhost --config ${config} ${args.join(' ')}\` to succeed\n        found:    ${err.code !== undefined ? `exit code ${err.code}` : err.message}; ${(err.stderr || '').trim()}`);
    }
}

// ------------------------------------------------------------------ the browser

/** What the browser refused under the host's Content-Security-Policy (runTest fails on any). */
const policyViolations = [];

export const CHROMIUM_ARGS = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
];

/** Debian's chromium through playwright-core, with a fresh profile; returns { browser, context, page }. */
export async function launchBrowser({ locale = 'en-GB', userAgent = undefined } = {}) {
    check(existsSync(CHROMIUM_BIN), `Debian's chromium at ${CHROMIUM_BIN} (apt-get install chromium)`, 'no such file');
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM_BIN, headless: true, args: CHROMIUM_ARGS, timeout: 60000 });
    cleanups.push(async () => {
        await browser.close().catch(() => {});
    });
    // userAgent: the browser's own when undefined (headless Chromium names itself HeadlessChrome).
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale, userAgent });
    context.setDefaultTimeout(20000);
    context.setDefaultNavigationTimeout(30000);
    const page = await context.newPage();
    page.on('pageerror', (err) => log(`page error: ${err.message}`));
    page.on('console', (msg) => {
        // A failed load is logged below, with its address.
        if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) log(`browser console error: ${msg.text()}`);
        // The pages must work under the host's Content-Security-Policy: a refusal fails the test.
        if (msg.text().includes('Content Security Policy')) policyViolations.push(`${page.url()}: ${msg.text()}`);
    });
    page.on('response', (res) => {
        if (res.status() >= 400) log(`note: HTTP ${res.status()} ${res.statusText()} for ${res.request().method()} ${res.url()}`);
    });
    log(`chromium ${browser.version()} started`);
    return { browser, context, page };
}

/** A full-page PNG in tests/browser/screenshots/NAME.png; returns its path. */
export async function screenshot(page, name) {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    log(`screenshot: ${file}`);
    return file;
}

/** The path of a URL, relative to the server (for messages and comparisons). */
export function pathOf(page) {
    const url = new URL(page.url());
    return url.pathname + url.search;
}

// ------------------------------------------------------------------ the host's pages, as a person uses them

/** Clicks what submits a form and waits for the page it leads to. */
export async function submit(page, selector) {
    await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

/** Logs USER ({login, password}) in on the host's /login and checks that the home page follows. */
export async function logIn(page, baseUrl, user) {
    await page.goto(`${baseUrl}/login`);
    await page.fill('#login', user.login);
    await page.fill('#password', user.password);
    await submit(page, 'button[type=submit]');
    checkEqual(pathOf(page), '/', `the page after ${user.login} logs in`);
}

/** Logs the current user out (the header's form). */
export async function logOut(page) {
    await submit(page, 'form[action="/logout"] button');
}

/** As a host administrator on /admin/modules: switches MODULE on for the group, checks the notice. */
export async function enableModule(page, baseUrl, groupId, module = 'massmailing') {
    await page.goto(`${baseUrl}/admin/modules`);
    const row = page.locator(`section.module[data-module="${module}"] tr[data-group="${groupId}"]`);
    check((await row.count()) === 1, `a row for group ${groupId} in the ${module} table`, await page.content());
    await submit(page, `section.module[data-module="${module}"] tr[data-group="${groupId}"] button[data-action="enable"]`);
    check((await page.locator('p.notice[role="status"]').count()) === 1, 'a notice after enabling',
        await page.locator('main').innerText());
}

// ------------------------------------------------------------------ running a scenario

/**
 * runTest(name, async (t) => { ... }): t.step(title, fn) logs and runs one step; t.page is set by
 * the scenario (t.page = page) so that a failure leaves a screenshot NAME-FAILED.png.
 * Exits 0 when the scenario passes, 1 when it fails; always stops the server and the browser.
 */
export async function runTest(name, scenario) {
    const t = {
        page: null,
        server: null,
        current: '',
        stepNo: 0,
        async step(title, fn) {
            this.stepNo += 1;
            this.current = `${this.stepNo}. ${title}`;
            log(`step ${this.current}`);
            return fn();
        },
    };
    let failed = null;
    const started = Date.now();
    // This test's screenshots of an earlier run would mislead: remove them.
    if (existsSync(SCREENSHOT_DIR)) {
        for (const f of readdirSync(SCREENSHOT_DIR)) {
            if (f.startsWith(`${name}-`) && f.endsWith('.png')) rmSync(path.join(SCREENSHOT_DIR, f), { force: true });
        }
    }
    try {
        await scenario(t);
        if (policyViolations.length > 0) {
            throw new TestFailure(`expected: no Content-Security-Policy violation\n        found:    ${policyViolations.join('\n                  ')}`);
        }
    } catch (err) {
        failed = err;
    }
    if (failed) {
        console.error(`\nFAIL ${name}${t.current ? ` at step ${t.current}` : ''}`);
        console.error(failed instanceof TestFailure ? `        ${failed.message}` : failed.stack || String(failed));
        if (t.page) {
            try {
                console.error(`        page at the failure: ${t.page.url()}`);
                await screenshot(t.page, `${name}-FAILED`);
            } catch (err) {
                console.error(`        (no failure screenshot: ${err.message})`);
            }
        }
        if (t.server) console.error(`\nrun.sh's last lines:\n${t.server.tail(30)}`);
    }
    for (const cleanup of cleanups.reverse()) {
        try {
            await cleanup();
        } catch (err) {
            console.error(`clean-up failed: ${err.message}`);
        }
    }
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    if (failed) {
        console.log(`\nbrowser: 0 passed, 1 failed (${name}, ${secs} s)`);
        process.exit(1);
    }
    console.log(`\nPASS ${name} (${secs} s)`);
    console.log(`browser: 1 passed, 0 failed`);
    process.exit(0);
}
