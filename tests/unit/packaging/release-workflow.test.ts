// The release workflow runs only on GitHub's runners; here it is parsed as YAML and checked against the
// project: three OS jobs on Node 24, installers built with electron-builder, and the Electron smoke spec
// run against the packaged test build at the paths electron-builder will write it to.
import { existsSync, readFileSync } from 'node:fs';
import { getConfig } from 'app-builder-lib/out/util/config/config.js';
import type { Configuration } from 'electron-builder';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { 'runs-on': string; steps: Step[] }>;
}

const workflowText = readFileSync('.github/workflows/release.yml', 'utf8');
const smokeSpec = 'tests/e2e/electron-smoke.spec.ts';
let testBuild: Configuration;

beforeAll(async () => {
  testBuild = (await getConfig(process.cwd(), 'electron-builder.test-build.ts', null)) as Configuration;
});

const workflow = (): Workflow => parse(workflowText, { strict: true, uniqueKeys: true }) as Workflow;
const smokeStep = (steps: Step[]) => steps.find((step) => step.run?.includes(`playwright test ${smokeSpec}`));

describe('release workflow', () => {
  it('is valid YAML that GitHub would read as a workflow', () => {
    const parsed = workflow();
    expect(Object.keys(parsed.on)).toContain('push');
    expect(Object.keys(parsed.jobs).sort()).toEqual(['linux', 'macos', 'windows']);
  });

  it('rejects what a broken edit would leave (the parser is strict about keys)', () => {
    expect(() => parse('jobs:\n  linux: {}\n  linux: {}\n', { uniqueKeys: true })).toThrow();
  });

  it.each([
    ['linux', /^ubuntu-/],
    ['windows', /^windows-/],
    ['macos', /^macos-/],
  ])('builds the %s installers on that OS with Node from .nvmrc (24) and npm ci', (job, runner) => {
    const { 'runs-on': runsOn, steps } = workflow().jobs[job]!;
    expect(runsOn).toMatch(runner);
    const node = steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
    expect(node?.with?.['node-version-file']).toBe('.nvmrc');
    expect(readFileSync('.nvmrc', 'utf8').trim()).toBe('24');
    const runs = steps.map((step) => step.run ?? '');
    const order = ['npm ci', 'npm run dist', 'npm run dist:test-build'].map((command) => runs.findIndex((run) => run.trim() === command));
    expect(order.every((index) => index >= 0), `${job}: ${order}`).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it.each(['linux', 'windows', 'macos'])('runs the Electron smoke spec on %s against the packaged test build, after building it', (job) => {
    const steps = workflow().jobs[job]!.steps;
    const smoke = smokeStep(steps);
    expect(smoke, job).toBeDefined();
    expect(steps.indexOf(smoke!)).toBeGreaterThan(steps.findIndex((step) => step.run?.trim() === 'npm run dist:test-build'));
    // The spec skips itself without a binary: the step must fail instead when the build is missing.
    expect(smoke!.run).toMatch(/test -[xf] "\$ELECTRON_PATH"/);
    expect(existsSync(smokeSpec)).toBe(true);
  });

  it('points ELECTRON_PATH where electron-builder writes the test build on each OS', () => {
    const output = testBuild.directories?.output;
    expect(output).toBe('release/test-build');
    const jobs = workflow().jobs;
    const executable = testBuild.executableName!;
    expect(smokeStep(jobs.linux!.steps)?.env?.ELECTRON_PATH).toBe(`${output}/linux-unpacked/${executable}`);
    expect(smokeStep(jobs.windows!.steps)?.env?.ELECTRON_PATH).toBe(`${output}/win-unpacked/${executable}.exe`);
    // macOS names the bundle and its binary after the product name.
    expect(smokeStep(jobs.macos!.steps)?.run).toContain(`'${testBuild.productName}.app')/Contents/MacOS/${testBuild.productName}"`);
  });

  it('needs the smoke spec to be a real Electron launch, not a browser page', () => {
    expect(readFileSync(smokeSpec, 'utf8')).toMatch(/_electron as electron/);
  });
});
