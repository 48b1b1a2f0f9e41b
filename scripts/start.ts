// `npm start`: for now only the kiosk shell exists, so this builds the renderer and serves it through
// the browser host (main's services in Node behind the same contract). The local stack comes later.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { startBrowserHost } from '../src/host/browser-host';

const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const host = await startBrowserHost({ rendererDir: resolve('out/renderer'), port: Number(process.env.KIOSK_PORT ?? 5180) });
console.log('Local stack: not built yet; only the kiosk shell runs.');
console.log(`Kiosk (browser host): ${host.url}`);
const stop = () => void host.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
