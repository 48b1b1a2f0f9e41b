// Release installers for kiosks. electron-builder reads this file natively (through jiti);
// `npm run dist` builds for the platform it runs on. The test build lives in electron-builder.test-build.ts.
import type { Configuration } from 'electron-builder';

type Fuses = NonNullable<Configuration['electronFuses']>;

/** Fuses flipped into the Electron binary of every release build. Every fuse is set, none inherited. */
export const releaseFuses = {
  // Nobody may start the signed binary as a plain Node runtime, feed it NODE_OPTIONS or attach a debugger.
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  // The app code that runs is the app code that was signed.
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  enableCookieEncryption: true,
  loadBrowserProcessSpecificV8Snapshot: false,
  // No page is loaded from file://: the renderer comes from the app's own scheme (kiosk-app://), and
  // Electron's fuse docs say an app not serving pages from file:// should turn this off. Main still reads
  // the built files with net.fetch(file://) inside the protocol handler, which the fuse does not govern.
  grantFileProtocolExtraPrivileges: false,
} as const satisfies Required<Omit<Fuses, 'resetAdHocDarwinSignature'>>;

/** The oldest macOS the bundled Electron supports (checked against Electron's README in the tests). */
export const MAC_MINIMUM_SYSTEM_VERSION = '13.0';

/** Where `scripts/render-icon.ts` writes the icon rendered from build/icon.svg (ignored by git). */
export const renderedIconPath = 'dist/icons/icon.png';

/**
 * Update feed: one generic HTTPS folder for every tenant; the tenant's ring picks the channel file at run
 * time (src/main/updates). The URL is baked into app-update.yml, so release builds set it explicitly.
 */
const updateFeedUrl = process.env.KIOSK_UPDATE_FEED_URL ?? 'https://updates.interview-kiosk.invalid/kiosk';

const cameraAndMicrophone =
  'Interview Kiosk records your voice and video for the interview you are taking, with your consent.';

const config: Configuration = {
  appId: 'app.interviewkiosk.kiosk',
  productName: 'Interview Kiosk',
  executableName: 'interview-kiosk',
  copyright: 'Copyright © Interview Kiosk',
  directories: { buildResources: 'build', output: 'release/${version}' },
  // No spaces: these names end up in the update feed's URLs.
  artifactName: 'interview-kiosk-${version}-${arch}.${ext}',

  // electron-vite's output only; package.json and production dependencies are always added by
  // electron-builder, and devDependencies never are.
  files: ['out/**', '!out/**/*.map'],
  asar: true,
  // better-sqlite3's addon cannot be dlopen()ed from inside the archive.
  asarUnpack: ['**/node_modules/better-sqlite3/build/Release/*.node'],
  // Rebuild native modules against the packaged Electron's ABI (prebuilt when one exists).
  npmRebuild: true,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,

  electronFuses: releaseFuses,

  // internal ⊂ beta ⊂ stable: a stable release also writes the beta and alpha feed files, and the feed
  // channel of a build comes from its version's pre-release tag (1.6.0-beta.1 → beta).
  generateUpdatesFilesForAllChannels: true,
  detectUpdateChannel: true,
  publish: [{ provider: 'generic', url: updateFeedUrl }],

  linux: {
    // deb for Ubuntu kiosks: its post-install script installs an AppArmor profile (Ubuntu 24.04+ forbids
    // the unprivileged user namespaces Chromium's sandbox needs without one) and makes chrome-sandbox
    // SUID where namespaces are missing. An AppImage can do neither (its squashfs mounts nosuid) and
    // aborts on Ubuntu 24.04 unless the administrator adds a profile: see docs/operator.md.
    target: ['AppImage', 'deb'],
    category: 'Education',
    icon: renderedIconPath,
    synopsis: 'Locked-down kiosk for AI-led voice interviews',
    maintainer: 'Interview Kiosk <support@interview-kiosk.invalid>',
    desktop: { entry: { StartupWMClass: 'interview-kiosk' } },
  },

  win: {
    target: [{ target: 'nsis', arch: ['x64'] }],
    icon: renderedIconPath,
  },
  nsis: {
    // Per-user and one-click: the kiosk account owns its install, so updates never raise a UAC prompt that a
    // locked-down user cannot answer. Deploy silently with `/S` in the kiosk account's context.
    oneClick: true,
    artifactName: 'interview-kiosk-setup-${version}.${ext}',
    perMachine: false,
    runAfterFinish: true,
    createDesktopShortcut: false,
    deleteAppDataOnUninstall: false,
    // Adds and removes the start-at-login entry (see docs/operator.md).
    include: 'build/installer.nsh',
  },

  mac: {
    // The zip is what electron-updater downloads on macOS; the dmg is for the first install.
    target: ['dmg', 'zip'],
    category: 'public.app-category.education',
    // Electron 45 supports macOS 13 (Ventura) and later (its README's platform list); Info.plist's
    // LSMinimumSystemVersion makes macOS refuse to start it on an older release instead of crashing.
    minimumSystemVersion: MAC_MINIMUM_SYSTEM_VERSION,
    icon: renderedIconPath,
    hardenedRuntime: true,
    entitlements: 'build/entitlements.mac.plist',
    entitlementsInherit: 'build/entitlements.mac.plist',
    extendInfo: {
      NSCameraUsageDescription: cameraAndMicrophone,
      NSMicrophoneUsageDescription: cameraAndMicrophone,
    },
  },
};

export default config;
