import type { ServerResponse } from 'node:http';

/** Every JSON reply carries `Content-Type: application/json`; @discordjs/rest parses nothing else. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

export function sendEmpty(response: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  response.writeHead(status, headers);
  response.end();
}

/** Bytes may be read by the playground page from another origin (canvas, fetch), hence CORS. */
export function sendBytes(response: ServerResponse, status: number, bytes: Buffer, contentType: string): void {
  response.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': bytes.length,
    'Access-Control-Allow-Origin': '*',
  });
  response.end(bytes);
}
