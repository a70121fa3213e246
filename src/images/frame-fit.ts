import type { OutpaintLayout, Placement, Size } from './outpaint.js';

/**
 * An outpaint fitted into one of the few sizes an edit endpoint makes (gpt-image-1 makes
 * 1024x1024, 1536x1024 and 1024x1536 only). The outpaint's canvas is scaled to fit inside the
 * frame and centred; what is left around it is painted too and cropped away afterwards.
 */
export interface FramedOutpaint<Frame extends Size = Size> {
  /** The size asked of the endpoint. */
  frame: Frame;
  /** The outpaint in frame pixels: the canvas is the frame, the image where the layout puts it, scaled. */
  layout: OutpaintLayout;
  /** Where the outpaint's own canvas lies inside the frame: what to crop from each result. */
  crop: Placement;
}

/** The frame whose aspect ratio is nearest the size's (by ratio, so 2:1 and 1:2 are as far from 1:1). */
export function nearestFrame<Frame extends Size>(size: Size, frames: readonly Frame[]): Frame {
  const wanted = Math.log(size.width / size.height);
  const distance = (frame: Size) => Math.abs(Math.log(frame.width / frame.height) - wanted);
  const [first, ...others] = frames;
  if (!first) throw new Error('nearestFrame: no frames to choose from');
  return others.reduce((best, frame) => (distance(frame) < distance(best) ? frame : best), first);
}

/** The outpaint laid out in the nearest frame: its canvas scaled to fit, centred. */
export function fitToFrame<Frame extends Size>(
  layout: OutpaintLayout,
  frames: readonly Frame[],
): FramedOutpaint<Frame> {
  const { canvas, image } = layout;
  const frame = nearestFrame(canvas, frames);
  const scale = Math.min(frame.width / canvas.width, frame.height / canvas.height);
  const width = Math.min(frame.width, Math.round(canvas.width * scale));
  const height = Math.min(frame.height, Math.round(canvas.height * scale));
  const crop = {
    x: Math.floor((frame.width - width) / 2),
    y: Math.floor((frame.height - height) / 2),
    width,
    height,
  };
  const placed = scalePlacement(image, canvas, crop);
  return {
    frame,
    layout: {
      canvas: { width: frame.width, height: frame.height },
      image: { ...placed, x: placed.x + crop.x, y: placed.y + crop.y },
    },
    crop,
  };
}

/**
 * A placement on a frame of size `from`, moved onto a frame of size `to` (each axis scaled on its
 * own), rounded and kept inside `to` with at least one pixel each way.
 */
export function scalePlacement(placement: Placement, from: Size, to: Size): Placement {
  const scaleX = to.width / from.width;
  const scaleY = to.height / from.height;
  const x = Math.min(to.width - 1, Math.max(0, Math.round(placement.x * scaleX)));
  const y = Math.min(to.height - 1, Math.max(0, Math.round(placement.y * scaleY)));
  const right = Math.min(to.width, Math.max(x + 1, Math.round((placement.x + placement.width) * scaleX)));
  const bottom = Math.min(to.height, Math.max(y + 1, Math.round((placement.y + placement.height) * scaleY)));
  return { x, y, width: right - x, height: bottom - y };
}
