// Composition root: the only place that wires Electron objects into the Electron-free core.
import { app, dialog, Menu, ipcMain, net, powerMonitor, powerSaveBlocker, safeStorage, screen, session } from 'electron';
import { join } from 'node:path';
import { createSenderPolicy } from './ipc/sender-policy';
import { registerElectronIpc } from './ipc/register-ipc.electron';
import type { SeatStatus } from '../shared/domain/devices';
import { createKioskCore } from './kiosk-core';
import type { KioskPlatform } from './platform/kiosk-platform';
import type { KioskServices } from './kiosk-services';
import { createKioskWindow } from './window/kiosk-window.electron';
import { createProctorWindowOpener } from './window/proctor-window.electron';
import { proctorEntryView } from './window/proctor-entry';
import { registerAppScheme, serveRenderer } from './window/renderer-protocol.electron';
import { applySessionLockdown } from './lockdown/session-lockdown.electron';
import { DisplayWatcher } from './lockdown/display-watcher.electron';
import { DisplaySleepBlocker } from './lockdown/display-sleep-blocker.electron';
import { createLogger } from './platform/logger';
import { createQuitGuard } from './lockdown/quit-guard';
import { probeProxy } from './interviews/proxy-probe';
import { siteCheckFragment, siteCheckPageUrl, siteCheckProxyUrl } from './site-check/site-check-plan';
import { createSafeStorageEncryptor } from './identity/token-encryptor';
import { ProctorTray } from './tray/proctor-tray.electron';
import { initialTrayState, type TrayAction, type TrayState } from './tray/tray-menu';
import { NetworkStatusPoller } from './sync/network-status-poller.electron';
import { startKioskUpdates } from './updates/kiosk-updates.electron';
import { APP_URL, isProctorPage, PROCTOR_URL } from './window/renderer-protocol';
import { APPLICATION_MENU, guardProctorChannels, roleMayUse } from './window/window-hardening';

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(start);
}

function start() {
  // Before any window exists: Electron's default menu carries reload, devtools and quit accelerators,
  // and macOS shows it whatever a window's own menu is.
  Menu.setApplicationMenu(APPLICATION_MENU);
  // Development overrides (dev server, local-stack folders) are ignored in packaged builds, where an
  // environment variable must not be able to swap the trusted renderer origin or the tenant config.
  const devEnv: NodeJS.ProcessEnv = app.isPackaged ? {} : process.env;
  const devServerUrl = devEnv.ELECTRON_RENDERER_URL;
  const rendererUrl = devServerUrl ?? APP_URL;
  const proctorUrl = devServerUrl ? new URL('proctor/index.html', devServerUrl).href : PROCTOR_URL;
  const preloadPath = join(import.meta.dirname, '../preload/index.cjs');
  // Unpackaged developer runs keep a normal window unless lockdown is asked for.
  const kiosk = app.isPackaged || process.env.KIOSK_LOCKDOWN === '1';
  const logger = createLogger({ destination: join(app.getPath('logs'), 'main.log') });

  const platform: KioskPlatform = {
    // `npm start` points a development run at the local stack's kiosk folder with these two.
    dataDir: devEnv.KIOSK_DATA_DIR ?? app.getPath('userData'),
    configPath: devEnv.KIOSK_CONFIG_PATH ?? join(app.getPath('userData'), 'tenant-config.json'),
    encryptor: createSafeStorageEncryptor(safeStorage, process.platform),
    clock: Date,
    // Electron's network stack honours the OS proxy settings assessment centres often need.
    fetch: (input, init) => net.fetch(input instanceof URL ? input.href : input, init),
    logger,
  };

  // Quitting a locked kiosk needs the proctor PIN; the updater alone may restart it to install.
  const quitGuard = createQuitGuard(kiosk);
  const core = createKioskCore({
    appInfo: { name: app.getName(), version: app.getVersion(), platform: process.platform, shell: 'electron' },
    appUrl: rendererUrl,
    isTrustedSender: createSenderPolicy(rendererUrl),
    platform,
    isProctorSender: isProctorPage,
    onQuit: () => {
      quitGuard.permitByPin();
      setImmediate(() => app.quit());
    },
  });
  let services: KioskServices | null = null;
  let configError: string | null = null;
  try {
    services = core.services();
  } catch (error) {
    configError = (error as { code?: string }).code ?? 'config.invalid';
  }
  const lockdown = () => services?.lockdown ?? null;

  const csp = applySessionLockdown({
    session: session.defaultSession,
    appUrl: rendererUrl,
    allowedOrigins: services?.config.allowedOrigins ?? [],
    devServerUrl,
    lockdown,
  });
  if (!devServerUrl) serveRenderer(join(import.meta.dirname, '../renderer'), csp);
  registerElectronIpc(ipcMain, guardProctorChannels(core.dispatch, isProctorPage));

  // The proctor chord: the way in that kiosk mode leaves on every OS (the tray may be out of reach).
  const onProctorChord = () => {
    void (services?.proctor.email() ?? Promise.resolve(null))
      .catch(() => null)
      .then((email) => proctor.open(proctorEntryView({ configError, proctorSignedIn: email !== null })));
  };
  const onGiveUp = (crashesInWindow: number) => {
    logger.error({ crashesInWindow }, 'the kiosk page kept crashing; showing the give-up page');
    trayState.screenFailed = true;
    void refreshTray();
  };
  const kioskWindow = createKioskWindow({ preloadPath, rendererUrl, kiosk, lockdown, mayClose: () => quitGuard.mayQuit(), onProctorChord, onGiveUp });
  const proctor = createProctorWindowOpener({ preloadPath, proctorUrl, rendererUrl, lockdown, onProctorChord });
  // Created unclosable in kiosk mode; made closable only while quitting is allowed (see QuitGuard.onChange).
  quitGuard.onChange((mayQuit) => {
    if (kiosk && !kioskWindow.isDestroyed()) kioskWindow.setClosable(mayQuit);
  });
  core.events.subscribe((event, payload) => {
    const windows = [['kiosk', kioskWindow], ['proctor', proctor.current()]] as const;
    for (const [role, window] of windows) if (window && !window.isDestroyed() && roleMayUse(role, event)) window.webContents.send(event, payload);
  });
  app.on('second-instance', () => {
    if (!kioskWindow.isDestroyed()) kioskWindow.focus();
  });

  // Tray: status and the proctor's actions.
  const trayState: TrayState = initialTrayState(configError);
  let lastProxyUrl: string | null = null;
  const onTrayAction = async (action: TrayAction) => {
    const live = services;
    switch (action) {
      case 'signIn':
        proctor.open('sign-in');
        return;
      case 'signOut':
        await live?.proctor.signOut();
        break;
      case 'startInterview':
        proctor.open('interviews');
        return;
      case 'endInterview': {
        // Attached to the kiosk window, so it opens above the always-on-top kiosk instead of under it,
        // and the kiosk's blur handler does not take the focus back from it.
        const options = {
          type: 'warning' as const,
          buttons: ['End interview', 'Cancel'],
          defaultId: 1,
          cancelId: 1,
          message: 'End the running interview now?',
          detail: 'The candidate sees a closing screen; everything said so far is kept and uploaded.',
        };
        const answer = kioskWindow.isDestroyed() ? await dialog.showMessageBox(options) : await dialog.showMessageBox(kioskWindow, options);
        if (answer.response === 0) live?.interviews.requestEnd('proctor');
        break;
      }
      case 'retryUploads':
        await live?.sync.retryNow();
        break;
      case 'deviceCheck':
        proctor.open('device-check');
        return;
      case 'siteCheck': {
        const config = live?.config;
        const proxyUrl = config ? siteCheckProxyUrl(config, lastProxyUrl) : null;
        if (!config || !proxyUrl) {
          await dialog.showMessageBox({ type: 'info', message: 'The site check needs the tenant configuration and its proxy (allowedOrigins).' });
          return;
        }
        proctor.openUrl(`${siteCheckPageUrl(proctorUrl)}#${await siteCheckFragment(config, proxyUrl)}`);
        return;
      }
      case 'quit':
        if (quitGuard.mayQuit()) app.quit();
        else proctor.open('quit');
        return;
    }
    await refreshTray();
  };
  const tray = new ProctorTray((action) => {
    void onTrayAction(action).catch((error) => logger.error({ err: error, action }, 'tray action failed'));
  });
  async function refreshTray() {
    if (services) {
      const sync = services.sync.state();
      Object.assign(trayState, {
        proctorEmail: await services.proctor.email().catch(() => null),
        online: sync.online,
        pending: sync.pending,
        oldestPendingAgeMs: sync.oldestPendingAgeMs,
        deadLetters: sync.deadLetters,
        activeInterview: services.interviews.activeId() !== null,
      });
    }
    tray.update(trayState);
  }
  core.events.subscribe((event, payload) => {
    if (event === 'proctor.seat') {
      trayState.seatLink = (payload as SeatStatus | null)?.link ?? null;
      void refreshTray();
    }
    if (event === 'sync.state' || event === 'proctor.status') void refreshTray();
  });
  setInterval(() => void refreshTray(), 30_000).unref();
  void refreshTray();

  // Displays: an extra screen pauses the interview.
  const displays = new DisplayWatcher(screen, {
    allowExtraDisplays: () => services?.config.allowExtraDisplays ?? false,
    lockdown,
    setPaused: (paused, reason) => core.setLockdownPaused(paused, reason),
  });
  const evaluateDisplays = () => displays.evaluate();

  // Keep the display awake during an interview; check the proxy when one starts.
  const displaySleep = new DisplaySleepBlocker(powerSaveBlocker);
  const applyPowerSave = () => displaySleep.update(services?.interviews.activeId() ?? null);
  services?.interviews.onChange((change) => {
    applyPowerSave();
    evaluateDisplays();
    if (change.type === 'launched') {
      lastProxyUrl = change.launch.proxy.url;
      void probeProxy(change.launch.proxy.url, platform.fetch).then((reachable) => {
        trayState.proxyReachable = reachable;
        void refreshTray();
      });
    }
    void refreshTray();
  });
  applyPowerSave();
  displays.start();

  // Network: resume uploads the moment the machine is back online, and after sleep.
  new NetworkStatusPoller(net, (online) => services?.sync.setOnline(online)).start();
  powerMonitor.on('resume', () => services?.sync.kick());

  if (services) {
    startKioskUpdates({
      channel: services.config.updateChannel,
      isInterviewRunning: () => services?.interviews.activeId() !== null,
      isPackaged: app.isPackaged,
      log: logger,
      quitPermit: quitGuard.updatePermit(),
    });
  }

  // Quitting needs the proctor PIN; then the core closes its database before the process ends.
  let disposed = false;
  app.on('before-quit', (event) => {
    if (!quitGuard.mayQuit()) {
      event.preventDefault();
      proctor.open('quit');
    }
  });
  app.on('will-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    tray.destroy();
    void core.dispose().finally(() => {
      disposed = true;
      app.quit();
    });
  });
  app.on('window-all-closed', () => {
    if (!kiosk) app.quit();
  });
}
