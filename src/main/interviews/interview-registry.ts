// Which interviews this kiosk has run and which one is active, kept in the local database so a
// renderer crash or a restart resumes the same interview with the right next seq.
import { interviewLaunchSchema, type InterviewLaunch } from '../../shared/domain/interview';
import type { KioskDatabase } from '../platform/kiosk-database';

export interface InterviewRecord {
  launch: InterviewLaunch;
  state: 'active' | 'ended';
  maxSeq: number;
}

export interface InterviewRegistry {
  activate(launch: InterviewLaunch): void;
  active(): InterviewRecord | null;
  get(interviewId: string): InterviewRecord | null;
  markEnded(interviewId: string): void;
}

interface Row {
  launch: string;
  state: 'active' | 'ended';
  max_seq: number;
}

export function createInterviewRegistry(db: KioskDatabase, clock: { now(): number }): InterviewRegistry {
  const toRecord = (row: Row | undefined): InterviewRecord | null =>
    row ? { launch: interviewLaunchSchema.parse(JSON.parse(row.launch)), state: row.state, maxSeq: row.max_seq } : null;
  const upsert = db.prepare(
    `insert into interviews (id, launch, state, started_at) values (?, ?, 'active', ?)
     on conflict (id) do update set launch = excluded.launch, state = 'active', ended_at = null`,
  );
  const endOthers = db.prepare("update interviews set state = 'ended', ended_at = ? where state = 'active' and id <> ?");
  const selectActive = db.prepare<[], Row>("select launch, state, max_seq from interviews where state = 'active' order by started_at desc limit 1");
  const selectOne = db.prepare<[string], Row>('select launch, state, max_seq from interviews where id = ?');
  const endOne = db.prepare("update interviews set state = 'ended', ended_at = ? where id = ?");
  return {
    activate: db.transaction((launch: InterviewLaunch) => {
      // One kiosk runs one interview at a time.
      endOthers.run(clock.now(), launch.interviewSessionId);
      upsert.run(launch.interviewSessionId, JSON.stringify(launch), clock.now());
    }),
    active() {
      return toRecord(selectActive.get());
    },
    get(interviewId) {
      return toRecord(selectOne.get(interviewId));
    },
    markEnded(interviewId) {
      endOne.run(clock.now(), interviewId);
    },
  };
}
