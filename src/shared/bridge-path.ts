// The browser host and its renderer bridge must agree on where the WebSocket lives.
export const BRIDGE_PATH = '/bridge';
