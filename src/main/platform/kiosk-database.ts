// The kiosk's one local database (SQLite via better-sqlite3): the outbox, interviews run here,
// recording files and the wrong-PIN throttle. WAL + synchronous=FULL means a committed transaction survives a power cut.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type KioskDatabase = Database.Database;

const MIGRATIONS: string[] = [
  `
  create table ops (
    id integer primary key autoincrement,
    interview_id text not null,
    lane text not null check (lane in ('data', 'recording')),
    kind text not null check (kind in ('transcript', 'event', 'end', 'recording')),
    op_key text not null unique,
    seq integer,
    payload text not null,
    created_at integer not null,
    attempts integer not null default 0
  );
  create index ops_lane_order on ops (lane, id);
  create index ops_interview_kind on ops (interview_id, kind, id);

  create table dead_letters (
    id integer primary key,
    interview_id text not null,
    kind text not null,
    op_key text not null,
    payload text not null,
    created_at integer not null,
    failed_at integer not null,
    reason_code text not null,
    reason_message text not null
  );

  create table interviews (
    id text primary key,
    launch text not null,
    state text not null check (state in ('active', 'ended')),
    max_seq integer not null default -1,
    started_at integer not null,
    ended_at integer
  );

  create table recordings (
    id text primary key,
    interview_id text not null,
    path text not null,
    mime_type text not null,
    bytes integer not null default 0,
    next_index integer not null default 0,
    duration_ms integer,
    state text not null check (state in ('recording', 'finished')),
    video_id text,
    acked_bytes integer not null default 0,
    created_at integer not null
  );
  `,
  // The wrong-PIN throttle's state, so a restart does not hand out a fresh set of guesses. One row at
  // most. SQLite still stores a text or negative value in these columns; the throttle validates what it
  // reads and treats a damaged row as a lockout, not as a clean slate.
  `
  create table pin_throttle (
    id integer primary key check (id = 1),
    failures integer not null,
    locked_until integer not null,
    updated_at integer not null
  );
  `,
  // What a reloaded kiosk window needs to put the candidate back where they were: when the room opened
  // (as the renderer reported it) and the committed transcript so far. The outbox cannot serve the
  // transcript: it forgets entries once uploaded. One row per seq; a correction replaces its stand-in.
  `
  alter table interviews add column room_started_at text;
  create table interview_transcript (
    interview_id text not null,
    seq integer not null,
    entry_id text not null,
    entry text not null,
    primary key (interview_id, seq)
  ) without rowid;
  `,
];

export function openKioskDatabase(path: string): KioskDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

function migrate(db: KioskDatabase): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
