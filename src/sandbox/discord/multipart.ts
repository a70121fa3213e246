import type { IncomingMessage } from 'node:http';
import { discordErrors } from './errors.js';

/** A file part of a multipart request (`files[n]`). */
export interface UploadedFile {
  /** The `n` of `files[n]`, which `attachments[].id` refers to. */
  index: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface RequestBody {
  /** The JSON body, or `payload_json` of a multipart body; undefined when there was no body. */
  json: unknown;
  files: UploadedFile[];
}

export interface BodyLimits {
  /** All uploaded files of one request together. */
  maxRequestBytes: number;
  maxFileBytes: number;
}

/** Room for the JSON part and multipart framing on top of the files, so only files hit the limit. */
const NON_FILE_ALLOWANCE = 2 * 1024 * 1024;

/**
 * Reads the whole body. Past the limit the rest is still drained (not buffered) so the client
 * reads our 413 instead of a reset connection, which @discordjs/rest would retry.
 */
export function readRaw(request: IncomingMessage, maxBytes: number): Promise<{ raw: Buffer; tooLarge: boolean }> {
  // Plain events rather than `for await`: the async iterator costs more than the rest of a small request.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    request.once('end', () =>
      resolve({ raw: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), tooLarge: size > maxBytes }),
    );
    request.once('error', reject);
    request.once('close', () => {
      if (!request.complete) reject(new Error('the client closed the request before its body ended'));
    });
  });
}

/** Parses JSON or multipart/form-data (`payload_json` + `files[n]`) the way Discord accepts them. */
export async function parseBody(request: IncomingMessage, limits: BodyLimits): Promise<RequestBody> {
  const { raw, tooLarge } = await readRaw(request, limits.maxRequestBytes + NON_FILE_ALLOWANCE);
  if (tooLarge) throw discordErrors.requestTooLarge();
  if (raw.length === 0) return { json: undefined, files: [] };
  const contentType = request.headers['content-type'] ?? '';
  if (!contentType.startsWith('multipart/form-data')) return { json: parseJson(raw.toString('utf8')), files: [] };
  const body = await parseMultipart(raw, contentType, limits.maxFileBytes);
  const total = body.files.reduce((sum, file) => sum + file.bytes.length, 0);
  if (total > limits.maxRequestBytes) throw discordErrors.requestTooLarge();
  return body;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw discordErrors.invalidJson();
  }
}

async function parseMultipart(raw: Buffer, contentType: string, maxFileBytes: number): Promise<RequestBody> {
  let form: FormData;
  try {
    // Node's fetch Request has a complete multipart parser; no extra dependency needed.
    form = await new Request('http://emulator.invalid', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: raw,
    }).formData();
  } catch {
    throw discordErrors.invalidJson();
  }
  let json: unknown;
  const files: UploadedFile[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      if (field === 'payload_json') json = parseJson(value);
      continue;
    }
    if (value.size > maxFileBytes) throw discordErrors.requestTooLarge();
    files.push({
      index: /\[(\d+)\]$/.exec(field)?.[1] ?? field,
      filename: value.name,
      contentType: value.type,
      bytes: Buffer.from(await value.arrayBuffer()),
    });
  }
  return { json, files };
}
