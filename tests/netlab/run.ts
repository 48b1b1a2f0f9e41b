// `npm run netlab [profile…]`: whole interviews under each network profile, one row each, and the table
// saved to docs/netlab.md with the date and the machine. `npm run build` first (the built renderer).
import { writeFileSync } from 'node:fs';
import { cpus, hostname, loadavg, release, totalmem } from 'node:os';
import { runLabProfile, type LabResult } from '../support/netlab/lab';
import { labProfiles } from './profiles';

const wanted = process.argv.slice(2);
const profiles = wanted.length === 0 ? labProfiles : labProfiles.filter((profile) => wanted.some((name) => profile.name.toLowerCase().startsWith(name.toLowerCase())));
if (profiles.length === 0) {
  console.error(`No profile matches ${wanted.join(', ')}. Profiles: ${labProfiles.map((profile) => profile.name).join('; ')}`);
  process.exit(2);
}

const ms = (value: number | null) => (value === null ? '—' : value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value} ms`);
const pct = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)} %` : '—');

function row(result: LabResult): string[] {
  const c = result.completeness;
  const completeness = c ? `${c.rows} rows, ${c.gapless ? 'gapless' : 'GAPS'}, ${c.inOrder ? 'in order' : 'OUT OF ORDER'}, ${c.missing.length === 0 ? 'none missing' : `turns ${c.missing.join(', ')} missing`}, ${c.repeats} repeated; ${c.sessionStatus}` : '—';
  const provider = `${result.provider.packetsReceived} rx, ${result.provider.packetsLost} lost (${pct(result.provider.packetsLost, result.provider.packetsLost + result.provider.packetsReceived)}), jitter ${result.provider.jitterMs === null ? '—' : `${result.provider.jitterMs.toFixed(1)} ms`}, ${result.provider.calls} call${result.provider.calls === 1 ? '' : 's'}`;
  const page = `${result.page.packetsLost} lost of ${result.page.packetsLost + result.page.packetsReceived}, concealed ${pct(result.page.concealedSamples, result.page.totalSamplesReceived)}, RTT ${result.page.roundTripMs === null ? '—' : `${Math.round(result.page.roundTripMs)} ms`}`;
  const recovery = result.recovery ? `audio +${ms(result.recovery.toAudioMs)}, calm +${ms(result.recovery.toCalmMs)}` : '—';
  const bandwidth = `peak ↑${result.relay.uplinkKbps ?? '—'} ↓${result.relay.downlinkKbps ?? '—'} kbit/s`;
  return [
    result.profile,
    `${result.outcome}${result.reason ? ` (${result.reason})` : ''}`,
    ms(result.startToFirstAudioMs),
    provider,
    page,
    bandwidth,
    completeness,
    recovery,
    result.shown.join(' → ') + (result.reconnects.length > 0 ? ` [reconnects: ${result.reconnects.join(', ')}]` : '') + (result.linkEvents.length > 0 ? ` [log: link ${result.linkEvents.join(', ')}${result.timeGivenBackMs > 0 ? `; ${ms(result.timeGivenBackMs)} given back to the clock` : ''}]` : ''),
    `${result.tray.offlineSeen ? 'said Offline at times' : 'Online throughout'}; at most ${result.tray.maxWaiting} waiting; last: ${result.tray.last ?? '—'}` + (result.backend ? ` [backend relay: ${result.backend.refused} refused, ${result.backend.reset} reset]` : ''),
  ];
}

const header = ['Profile', 'Outcome', 'Start → first interviewer audio', 'Provider peer received (werift)', 'Kiosk received (Chromium)', 'Media bandwidth', 'Transcript in Postgres', 'Recovery after blackout', 'Candidate was shown', 'Tray said'];
const rows: string[][] = [];
let failed = 0;
for (const profile of profiles) {
  console.log(`▶ ${profile.name}`);
  const result = await runLabProfile(profile, { log: (line) => console.log(line) });
  const cells = row(result);
  rows.push(cells);
  if (result.outcome === 'failed' || (profile.expectRefusal && result.outcome !== 'refused')) failed++;
  console.log(header.map((name, index) => `  ${name}: ${cells[index]}`).join('\n'));
}

const escape = (cell: string) => cell.replaceAll('|', '\\|');
const table = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((cells) => `| ${cells.map(escape).join(' | ')} |`)].join('\n');
const machine = `${hostname()}: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${release()}, Node ${process.version}`;
if (wanted.length === 0) {
  writeFileSync(
    'docs/netlab.md',
    `# Network lab: the last full run\n\n${new Date().toISOString()} on ${machine}, load average ${loadavg().map((load) => load.toFixed(1)).join(' / ')} at the end (the machine is shared).\nProduced by \`npm run netlab\`; how the lab works and how to read the columns: docs/operator.md, "Network".\n\n${table}\n`,
  );
  console.log('Saved to docs/netlab.md');
}
process.exit(failed > 0 ? 1 : 0);
