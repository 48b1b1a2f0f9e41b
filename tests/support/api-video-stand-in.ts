// Stands in for api.video's upload endpoint at its wire boundary (delegated upload tokens):
// POST /upload?token=… with a multipart `file` part and `Content-Range: bytes a-b/total`; the first
// chunk creates the video, later chunks must name its `videoId` and continue exactly where the
// received bytes end (a re-sent chunk already received is accepted and ignored). It can be told to
// fail or to drop the connection on a given chunk, to test resumption. GET /videos/<id>/source.webm
// plays a received video back (with byte ranges, so a player can seek): the review console's recording.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseMultipartForm, readRequestBody } from './request-body';

export interface StandInVideo {
  videoId: string;
  total: number;
  received: number;
  chunks: Buffer[];
  complete: boolean;
}

export interface ApiVideoStandIn {
  uploadUrl: string;
  /** Where a stored video plays from, with `{video_id}` to fill in (the review console's file URL). */
  fileUrlTemplate: string;
  token: string;
  videos: Map<string, StandInVideo>;
  /** Every request as it came: its Content-Range and whether it was accepted. */
  requests: Array<{ contentRange: string | undefined; videoId: string | null; status: number }>;
  /** The next matching chunk request fails: `drop` destroys the socket, a number answers that status. */
  failChunk(startByte: number, how: 'drop' | number): void;
  bytesOf(videoId: string): Buffer;
  stop(): Promise<void>;
}

const RANGE = /^bytes (\d+)-(\d+)\/(\d+)$/;

export async function startApiVideoStandIn(options: { token?: string } = {}): Promise<ApiVideoStandIn> {
  const token = options.token ?? `to${randomBytes(8).toString('hex')}`;
  const videos = new Map<string, StandInVideo>();
  const requests: ApiVideoStandIn['requests'] = [];
  const failures = new Map<number, 'drop' | number>();

  const reply = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const contentRange = request.headers['content-range'];
    const log = (status: number, videoId: string | null) => requests.push({ contentRange, videoId, status });
    const playback = /^\/videos\/([A-Za-z0-9]+)\/source\.webm$/.exec(url.pathname);
    if (request.method === 'GET' && playback) return serveVideo(request, response, videos.get(playback[1]!));
    const body = await readRequestBody(request);
    if (request.method !== 'POST' || url.pathname !== '/upload') return reply(response, 404, { title: 'Not found' });
    if (url.searchParams.get('token') !== token) {
      log(401, null);
      return reply(response, 401, { title: 'The upload token is invalid or expired.' });
    }
    const range = typeof contentRange === 'string' ? RANGE.exec(contentRange) : null;
    const form = await parseMultipartForm(body, request.headers['content-type'] ?? '').catch(() => null);
    const file = form?.get('file');
    if (!form || !(file instanceof Blob)) {
      log(400, null);
      return reply(response, 400, { title: 'A multipart "file" part is required.' });
    }
    const bytes = Buffer.from(await file.arrayBuffer());
    const videoIdField = form.get('videoId');
    const videoIdSent = typeof videoIdField === 'string' ? videoIdField : null;
    if (!range) {
      log(400, videoIdSent);
      return reply(response, 400, { title: 'Content-Range must be "bytes start-end/total".' });
    }
    const [start, end, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
    if (end < start || end >= total || bytes.length !== end - start + 1) {
      log(400, videoIdSent);
      return reply(response, 400, { title: `Content-Range ${contentRange} does not match the ${bytes.length}-byte part.` });
    }
    const failure = failures.get(start);
    if (failure !== undefined) {
      failures.delete(start);
      log(typeof failure === 'number' ? failure : 0, videoIdSent);
      if (failure === 'drop') {
        request.socket.destroy();
        return;
      }
      return reply(response, failure, { title: 'Injected failure' });
    }
    let video: StandInVideo;
    if (videoIdSent === null) {
      if (start !== 0) {
        log(400, null);
        return reply(response, 400, { title: 'Only the first chunk may omit videoId.' });
      }
      video = { videoId: `vi${randomBytes(10).toString('hex')}`, total, received: 0, chunks: [], complete: false };
      videos.set(video.videoId, video);
    } else {
      const known = videos.get(videoIdSent);
      if (!known || known.total !== total) {
        log(400, videoIdSent);
        return reply(response, 400, { title: 'Unknown videoId or a different total size.' });
      }
      video = known;
    }
    if (start < video.received && end < video.received) {
      log(201, video.videoId); // a re-sent chunk we already hold
    } else if (start !== video.received) {
      log(416, video.videoId);
      return reply(response, 416, { title: `Expected a chunk starting at byte ${video.received}.` });
    } else {
      video.chunks.push(bytes);
      video.received = end + 1;
      video.complete = video.received === total;
      log(201, video.videoId);
    }
    reply(response, 201, { videoId: video.videoId, title: 'kiosk recording', assets: video.complete ? { player: `https://embed.stand-in/${video.videoId}` } : {} });
  }

  function serveVideo(request: IncomingMessage, response: ServerResponse, video: StandInVideo | undefined) {
    if (!video) return reply(response, 404, { title: 'No such video' });
    const bytes = Buffer.concat(video.chunks);
    const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.range ?? '');
    const headers = { 'content-type': 'video/webm', 'accept-ranges': 'bytes' };
    if (!range || (range[1] === '' && range[2] === '')) {
      response.writeHead(200, { ...headers, 'content-length': bytes.length });
      return response.end(bytes);
    }
    const start = range[1] === '' ? Math.max(0, bytes.length - Number(range[2])) : Number(range[1]);
    const end = range[1] !== '' && range[2] !== '' ? Math.min(Number(range[2]), bytes.length - 1) : bytes.length - 1;
    if (start >= bytes.length || end < start) {
      response.writeHead(416, { ...headers, 'content-range': `bytes */${bytes.length}` });
      return response.end();
    }
    response.writeHead(206, { ...headers, 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${bytes.length}` });
    response.end(bytes.subarray(start, end + 1));
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => reply(response, 500, { title: 'stand-in failure' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    uploadUrl: `http://127.0.0.1:${port}/upload`,
    fileUrlTemplate: `http://127.0.0.1:${port}/videos/{video_id}/source.webm`,
    token,
    videos,
    requests,
    failChunk: (startByte, how) => failures.set(startByte, how),
    bytesOf: (videoId) => Buffer.concat(videos.get(videoId)?.chunks ?? []),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
