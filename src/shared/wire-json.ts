// JSON for the browser host's bridge, where Electron's structured clone is not available:
// Uint8Array (recording chunks) travels as {"$bytes": "<base64>"}.

type Base64Codec = { encode(bytes: Uint8Array): string; decode(text: string): Uint8Array };

const nodeBuffer = (globalThis as { Buffer?: { from(data: Uint8Array | string, encoding?: string): Uint8Array & { toString(encoding: string): string } } }).Buffer;

const base64: Base64Codec = nodeBuffer
  ? {
      encode: (bytes) => nodeBuffer.from(bytes).toString('base64'),
      decode: (text) => new Uint8Array(nodeBuffer.from(text, 'base64')),
    }
  : {
      encode: (bytes) => {
        let binary = '';
        for (let offset = 0; offset < bytes.length; offset += 0x8000) {
          binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
        }
        return btoa(binary);
      },
      decode: (text) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0)),
    };

export function toWireJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (item instanceof Uint8Array ? { $bytes: base64.encode(item) } : item));
}

export function fromWireJson(text: string): unknown {
  return JSON.parse(text, (_key, item: unknown) => {
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      const keys = Object.keys(item);
      const bytes = (item as { $bytes?: unknown }).$bytes;
      if (keys.length === 1 && typeof bytes === 'string') return base64.decode(bytes);
    }
    return item;
  });
}
