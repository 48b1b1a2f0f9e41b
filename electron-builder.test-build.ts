// The build Playwright drives: the release build with the inspector fuse left on, because
// `_electron.launch` starts the app with `--inspect=0`. Never shipped: no publish, separate output.
import type { Configuration } from 'electron-builder';
import releaseConfig, { releaseFuses } from './electron-builder';

const config: Configuration = {
  ...releaseConfig,
  productName: 'Interview Kiosk Test Build',
  appId: `${releaseConfig.appId}.test-build`,
  directories: { ...releaseConfig.directories, output: 'release/test-build' },
  // Electron names its data folder after package.json's name: keep test data away from a real kiosk's.
  extraMetadata: { name: 'interview-kiosk-test-build' },
  // Unsigned local builds on Apple silicon need their ad-hoc signature renewed after the fuses flip.
  electronFuses: { ...releaseFuses, enableNodeCliInspectArguments: true, resetAdHocDarwinSignature: true },
  publish: null,
  linux: { ...releaseConfig.linux, target: ['dir'] },
  win: { ...releaseConfig.win, target: ['dir'] },
  mac: { ...releaseConfig.mac, target: ['dir'] },
};

export default config;
