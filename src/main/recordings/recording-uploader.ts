// Uploads a finished recording to api.video with its delegated upload-token flow: the file goes in
// chunks (`Content-Range: bytes a-b/total`, the first chunk creates the video, later ones name its
// `videoId`), each acknowledged chunk is written down, so a retry resumes where the last one ended.
// Then the backend learns about it through `interview-recording`.
import { closeSync, openSync, readSync, rmSync } from 'node:fs';
import { z } from 'zod';
import { BackendFailure, type BackendClient } from '../sync/backend-client';
import type { DeviceIdentity } from '../identity/device-identity';
import type { Logger } from '../platform/logger';
import type { OutboxBatch, RecordingPayload } from '../sync/outbox';
import type { RecordingStore } from './recording-store';
import type { LaneSender } from '../sync/sync-engine';

export interface ApiVideoTarget {
  uploadUrl: string;
  uploadToken: string;
  chunkBytes: number;
}

const videoReply = z.object({ videoId: z.string().min(1) });
const recordingReply = z.object({ recording_id: z.uuid() });

export interface RecordingUploaderOptions {
  store: RecordingStore;
  target: ApiVideoTarget | null;
  backend: BackendClient;
  identity: DeviceIdentity;
  fetch: typeof fetch;
  logger: Logger;
  /** Remove the local file once the backend has the recording (candidates' videos should not linger). */
  deleteAfterUpload?: boolean;
}

export function createRecordingUploader(options: RecordingUploaderOptions): LaneSender {
  async function postChunk(target: ApiVideoTarget, body: Uint8Array, start: number, total: number, fileName: string, videoId: string | null) {
    const form = new FormData();
    form.set('file', new Blob([body as Uint8Array<ArrayBuffer>], { type: 'video/webm' }), fileName);
    if (videoId) form.set('videoId', videoId);
    const url = new URL(target.uploadUrl);
    url.searchParams.set('token', target.uploadToken);
    let response: Response;
    try {
      response = await options.fetch(url, {
        method: 'POST',
        headers: { 'content-range': `bytes ${start}-${start + body.byteLength - 1}/${total}` },
        body: form,
        signal: AbortSignal.timeout(10 * 60_000),
      });
    } catch {
      throw new BackendFailure('network', null, 'recording.upload_unreachable', 'The video service could not be reached.');
    }
    const json = await response.json().catch(() => undefined);
    if (!response.ok) {
      const message = (json as { title?: string } | undefined)?.title ?? `HTTP ${response.status}`;
      // The video service's refusals are about the upload itself: never a reason to refresh our identity.
      const status = response.status >= 500 || response.status === 429 ? response.status : 422;
      throw new BackendFailure('http', status, 'recording.upload_rejected', `The video service refused a chunk: ${message}`);
    }
    const parsed = videoReply.safeParse(json);
    if (!parsed.success) throw new BackendFailure('http', 502, 'recording.bad_reply', 'The video service answered without a video id.');
    return parsed.data.videoId;
  }

  return {
    lane: 'recording',
    async send(batch: OutboxBatch) {
      const { recordingId } = batch.ops[0]!.payload as RecordingPayload;
      const row = options.store.get(recordingId);
      if (!row) throw new BackendFailure('http', 404, 'recording.unknown', 'The recording file is gone from this kiosk.');
      const target = options.target;
      if (!target) throw new BackendFailure('http', 422, 'recording.no_upload_target', 'The tenant configuration names no video upload target.');

      let videoId = row.videoId;
      let acked = row.ackedBytes;
      const total = row.bytes;
      if (acked < total) {
        const fd = openSync(row.path, 'r');
        try {
          const buffer = Buffer.allocUnsafe(Math.min(target.chunkBytes, total));
          while (acked < total) {
            const length = Math.min(target.chunkBytes, total - acked);
            let read = 0;
            while (read < length) {
              const n = readSync(fd, buffer, read, length - read, acked + read);
              if (n === 0) throw new BackendFailure('http', 410, 'recording.truncated', 'The recording file is shorter than recorded.');
              read += n;
            }
            videoId = await postChunk(target, buffer.subarray(0, length), acked, total, `${recordingId}.webm`, videoId);
            acked += length;
            options.store.saveUploadProgress(recordingId, videoId, acked);
          }
        } finally {
          closeSync(fd);
        }
      }
      if (!videoId) throw new BackendFailure('http', 422, 'recording.empty', 'The recording is empty.');
      await options.backend.invoke(
        'interview-recording',
        {
          interview_session_id: row.interviewId,
          recording_id: recordingId,
          provider: 'api.video',
          video_id: videoId,
          bytes: total,
          duration_ms: row.durationMs ?? 0,
        },
        await options.identity.accessToken(),
        recordingReply,
      );
      if (options.deleteAfterUpload ?? true) {
        rmSync(row.path, { force: true });
        options.logger.info({ recordingId, videoId }, 'recording uploaded; local file removed');
      }
    },
  };
}
