'use strict';
// Redis and a throw-away PostgreSQL cluster on 127.0.0.1 for n8n's queue mode, from Debian's
// packages. Each is a direct child process, stopped by its own id.
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { waitFor } = require('./n8n');

function postgresBin() {
	const base = '/usr/lib/postgresql';
	if (!fs.existsSync(base)) return undefined;
	const version = fs.readdirSync(base).sort((a, b) => Number(b) - Number(a))[0];
	return version ? path.join(base, version, 'bin') : undefined;
}

/** Installs redis-server and postgresql with apt when missing (CI runs as root). */
function ensureServices() {
	const haveRedis = spawnSync('sh', ['-c', 'command -v redis-server'], { stdio: 'ignore' }).status === 0;
	if (haveRedis && postgresBin()) return;
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const install = () => spawnSync('apt-get', ['install', '-y', 'redis-server', 'postgresql'], { stdio: 'inherit', env }).status === 0;
	if (!install()) {
		spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
		if (!install()) throw new Error('apt-get install redis-server postgresql failed');
	}
}

function tcpProbe(port, send, expect) {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		let data = '';
		socket.setTimeout(1000, () => {
			socket.destroy();
			resolve(false);
		});
		socket.on('connect', () => send && socket.write(send));
		socket.on('data', (chunk) => {
			data += chunk;
			if (!expect || data.includes(expect)) {
				socket.destroy();
				resolve(true);
			}
		});
		socket.on('error', () => resolve(false));
		if (!send) socket.on('connect', () => (socket.destroy(), resolve(true)));
	});
}

function childHandle(child, name) {
	let exited = false;
	child.once('exit', () => (exited = true));
	return {
		pid: child.pid,
		alive: () => !exited,
		async stop(signal = 'SIGTERM') {
			if (exited) return;
			child.kill(signal);
			const deadline = Date.now() + 15_000;
			while (!exited && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
			if (!exited) child.kill('SIGKILL');
		},
		name,
	};
}

async function startRedis(port) {
	const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
		stdio: 'ignore',
	});
	const handle = childHandle(child, 'redis');
	await waitFor(() => tcpProbe(port, 'PING\r\n', '+PONG'), { timeoutMs: 20_000, what: `redis on ${port}`, alive: handle.alive });
	return handle;
}

/** A new cluster in a temporary folder, trust auth, listening on 127.0.0.1 only, with database `n8n`. */
async function startPostgres(port) {
	const bin = postgresBin();
	const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
	const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wistfare-pg-'));
	fs.chownSync(dir, uid, gid);
	const asPostgres = { uid, gid, cwd: dir, env: { PATH: process.env.PATH, LANG: 'C.UTF-8' } };
	const init = spawnSync(path.join(bin, 'initdb'), ['-D', path.join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync'], {
		...asPostgres,
		encoding: 'utf8',
	});
	if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
	const child = spawn(
		path.join(bin, 'postgres'),
		['-D', path.join(dir, 'data'), '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200'],
		{ ...asPostgres, stdio: 'ignore' },
	);
	const handle = childHandle(child, 'postgres');
	const psql = (sql) =>
		spawnSync(path.join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-tAc', sql], { encoding: 'utf8' });
	await waitFor(async () => psql('select 1').status === 0, { timeoutMs: 30_000, what: `postgres on ${port}`, alive: handle.alive });
	const created = psql('create database n8n');
	if (created.status !== 0) throw new Error(`create database failed: ${created.stderr}`);
	const stop = handle.stop;
	handle.stop = async () => {
		await stop('SIGINT'); // postgres' "fast shutdown"
		fs.rmSync(dir, { recursive: true, force: true });
	};
	return handle;
}

module.exports = { ensureServices, startRedis, startPostgres };
