import { renderImage } from './images.js';

/**
 * Real, small MP4 files for the simulators, with no encoder: each frame is a JPEG drawn by
 * `renderImage`, stored as Motion-JPEG in an ISO base media file (ftyp, moov, mdat), which
 * players and ffprobe read as an ordinary `.mp4`. `minBytes` pads the file with a `free` box
 * (still a valid file) so tests can make one larger than Discord's attachment limit.
 */
export interface VideoSpec {
  width: number;
  height: number;
  seed: number;
  frames?: number;
  framesPerSecond?: number;
  label?: string;
  minBytes?: number;
}

function box(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(body.length + 8, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

function fullBox(type: string, version: number, flags: number, ...parts: Buffer[]): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(((version & 0xff) << 24) | (flags & 0xffffff), 0);
  return box(type, head, ...parts);
}

function u32(...values: number[]): Buffer {
  const buffer = Buffer.alloc(values.length * 4);
  values.forEach((value, index) => buffer.writeUInt32BE(value >>> 0, index * 4));
  return buffer;
}

function u16(...values: number[]): Buffer {
  const buffer = Buffer.alloc(values.length * 2);
  values.forEach((value, index) => buffer.writeUInt16BE(value & 0xffff, index * 2));
  return buffer;
}

const MATRIX = u32(0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000);

/** An MPEG-4 descriptor: tag, then its length in the four-byte form. */
function descriptor(tag: number, body: Buffer): Buffer {
  const length = body.length;
  const head = Buffer.from([
    tag,
    0x80 | ((length >> 21) & 0x7f),
    0x80 | ((length >> 14) & 0x7f),
    0x80 | ((length >> 7) & 0x7f),
    length & 0x7f,
  ]);
  return Buffer.concat([head, body]);
}

/** The sample entry: 'mp4v' whose decoder config names JPEG (objectTypeIndication 0x6C). */
function sampleEntry(width: number, height: number): Buffer {
  const compressor = Buffer.alloc(32);
  const entry = Buffer.concat([
    Buffer.alloc(6), // reserved
    u16(1), // data_reference_index
    u16(0, 0), // pre_defined, reserved
    u32(0, 0, 0), // pre_defined
    u16(width, height),
    u32(0x00480000, 0x00480000), // 72 dpi
    u32(0), // reserved
    u16(1), // frame_count
    compressor,
    u16(0x0018, 0xffff), // depth, pre_defined -1
  ]);
  const decoderConfig = descriptor(
    0x04,
    Buffer.concat([Buffer.from([0x6c, (0x04 << 2) | 1]), Buffer.from([0, 0, 0]), u32(0, 0)]),
  );
  const esDescriptor = descriptor(
    0x03,
    Buffer.concat([u16(1), Buffer.from([0]), decoderConfig, descriptor(0x06, Buffer.from([2]))]),
  );
  return box('mp4v', entry, fullBox('esds', 0, 0, esDescriptor));
}

function movie(
  width: number,
  height: number,
  sizes: number[],
  delta: number,
  timescale: number,
  chunkOffset: number,
): Buffer {
  const duration = sizes.length * delta;
  const mvhd = fullBox(
    'mvhd',
    0,
    0,
    u32(0, 0, timescale, duration, 0x00010000),
    u16(0x0100, 0),
    u32(0, 0),
    MATRIX,
    u32(0, 0, 0, 0, 0, 0),
    u32(2),
  );
  const tkhd = fullBox(
    'tkhd',
    0,
    3,
    u32(0, 0, 1, 0, duration, 0, 0),
    u16(0, 0, 0, 0),
    MATRIX,
    u32(width << 16, height << 16),
  );
  const mdhd = fullBox('mdhd', 0, 0, u32(0, 0, timescale, duration), u16(0x55c4, 0));
  const hdlr = fullBox(
    'hdlr',
    0,
    0,
    u32(0),
    Buffer.from('vide', 'latin1'),
    u32(0, 0, 0),
    Buffer.from('VideoHandler\0', 'latin1'),
  );
  const vmhd = fullBox('vmhd', 0, 1, u16(0, 0, 0, 0));
  const dinf = box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1)));
  const stbl = box(
    'stbl',
    fullBox('stsd', 0, 0, u32(1), sampleEntry(width, height)),
    fullBox('stts', 0, 0, u32(1, sizes.length, delta)),
    fullBox('stsc', 0, 0, u32(1, 1, sizes.length, 1)),
    fullBox('stsz', 0, 0, u32(0, sizes.length, ...sizes)),
    fullBox('stco', 0, 0, u32(1, chunkOffset)),
  );
  const minf = box('minf', vmhd, dinf, stbl);
  return box('moov', mvhd, box('trak', tkhd, box('mdia', mdhd, hdlr, minf)));
}

/** A file's frame size, as its track header (tkhd) gives it; undefined when it has none. */
export function videoFrameSize(file: Uint8Array): { width: number; height: number } | undefined {
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  const at = bytes.indexOf('tkhd', 0, 'latin1');
  // tkhd version 0: 4 type, 4 version+flags, 20 times and ids, 8 reserved, 8 layer to volume, 36 matrix.
  const size = at + 4 + 4 + 20 + 8 + 8 + 36;
  if (at < 0 || size + 8 > bytes.length) return undefined;
  return { width: bytes.readUInt32BE(size) >>> 16, height: bytes.readUInt32BE(size + 4) >>> 16 };
}

export async function renderVideo(spec: VideoSpec): Promise<Buffer> {
  const frames = spec.frames ?? 4;
  const timescale = 1000;
  const delta = Math.round(timescale / (spec.framesPerSecond ?? 4));
  const images = await Promise.all(
    Array.from({ length: frames }, (_, frame) =>
      renderImage({
        width: spec.width,
        height: spec.height,
        seed: spec.seed,
        index: (frame % 4) + 1,
        label: `${spec.label ?? 'video'} ${frame + 1}/${frames}`,
        format: 'jpeg',
      }),
    ),
  );
  const ftyp = box('ftyp', Buffer.from('isom', 'latin1'), u32(0x200), Buffer.from('isomiso2mp41', 'latin1'));
  const sizes = images.map((image) => image.length);
  // moov's size does not depend on the offset it holds, so one trial run gives the data's position.
  const trial = movie(spec.width, spec.height, sizes, delta, timescale, 0);
  const moov = movie(spec.width, spec.height, sizes, delta, timescale, ftyp.length + trial.length + 8);
  const file = Buffer.concat([ftyp, moov, box('mdat', ...images)]);
  const padding = (spec.minBytes ?? 0) - file.length - 8;
  return padding > 0 ? Buffer.concat([file, box('free', Buffer.alloc(padding))]) : file;
}
