import { REGION_LIMITS } from '../../jobs/region.js';

/** Text as HTML, for the prompt pre-filled in the page. */
function escapeHtml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const STYLE = `
body{margin:0;font:15px/1.4 system-ui,sans-serif;background:#313338;color:#dbdee1}
main{max-width:960px;margin:0 auto;padding:16px}
h1{font-size:20px;margin:0 0 12px}
.stage{position:relative;display:inline-block;max-width:100%;user-select:none}
.stage img{display:block;max-width:100%;max-height:70vh}
.stage canvas{position:absolute;inset:0;width:100%;height:100%;cursor:crosshair;touch-action:none}
.tools{display:flex;gap:8px;margin:12px 0;flex-wrap:wrap}
button{font:inherit;border:0;border-radius:4px;padding:6px 14px;background:#4e5058;color:#fff;cursor:pointer}
button[aria-pressed=true]{background:#5865f2}
button#submit{background:#248046}
button:disabled{opacity:.5;cursor:default}
textarea{width:100%;box-sizing:border-box;min-height:64px;font:inherit;background:#1e1f22;color:#dbdee1;border:1px solid #1e1f22;border-radius:4px;padding:8px}
#status{min-height:1.4em;margin-top:8px}
#status.error{color:#fa777c}
`;

/**
 * The editor's script: rectangles (drag) and lasso strokes (drag along the outline) drawn on a
 * canvas over the image, kept as points in fractions of the image, simplified to at most
 * REGION_LIMITS.maxPoints each, and sent as JSON with the prompt.
 */
const SCRIPT = `
const MAX_POINTS = ${REGION_LIMITS.maxPoints}, MAX_SHAPES = ${REGION_LIMITS.maxShapes};
const canvas = document.getElementById('canvas'), image = document.getElementById('image');
const status = document.getElementById('status'), submit = document.getElementById('submit');
const shapes = []; let tool = 'rectangle', drawing = null;
function size() { canvas.width = image.clientWidth; canvas.height = image.clientHeight; draw(); }
function at(event) {
  const box = canvas.getBoundingClientRect();
  const clamp = (v) => Math.min(1, Math.max(0, v));
  return [clamp((event.clientX - box.left) / box.width), clamp((event.clientY - box.top) / box.height)];
}
function outline(points) {
  const context = canvas.getContext('2d');
  context.beginPath();
  points.forEach(([x, y], i) => (i ? context.lineTo : context.moveTo).call(context, x * canvas.width, y * canvas.height));
  context.closePath(); context.fill(); context.stroke();
}
function rectangle([x1, y1], [x2, y2]) { return [[x1, y1], [x2, y1], [x2, y2], [x1, y2]]; }
function draw() {
  const context = canvas.getContext('2d');
  context.clearRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = 'rgba(88,101,242,0.35)'; context.strokeStyle = '#fff'; context.lineWidth = 2;
  for (const shape of shapes) outline(shape);
  if (drawing) outline(drawing.kind === 'rectangle' ? rectangle(drawing.start, drawing.end) : drawing.points);
  submit.disabled = shapes.length === 0;
}
function simplify(points) {
  if (points.length <= MAX_POINTS) return points;
  const step = points.length / MAX_POINTS;
  return Array.from({ length: MAX_POINTS }, (_, i) => points[Math.floor(i * step)]);
}
function area(points) {
  let twice = 0;
  points.forEach(([x, y], i) => { const [nx, ny] = points[(i + 1) % points.length]; twice += x * ny - nx * y; });
  return Math.abs(twice) / 2;
}
canvas.addEventListener('pointerdown', (event) => {
  if (shapes.length >= MAX_SHAPES) { say('At most ' + MAX_SHAPES + ' shapes: undo one first.', true); return; }
  canvas.setPointerCapture(event.pointerId);
  const point = at(event);
  drawing = tool === 'rectangle' ? { kind: 'rectangle', start: point, end: point } : { kind: 'lasso', points: [point] };
});
canvas.addEventListener('pointermove', (event) => {
  if (!drawing) return;
  if (drawing.kind === 'rectangle') drawing.end = at(event); else drawing.points.push(at(event));
  draw();
});
canvas.addEventListener('pointerup', () => {
  if (!drawing) return;
  const points = drawing.kind === 'rectangle' ? rectangle(drawing.start, drawing.end) : simplify(drawing.points);
  drawing = null;
  if (area(points) > 0.0005) shapes.push(points); else say('That shape is too small to repaint; draw a larger one.', true);
  draw();
});
for (const button of document.querySelectorAll('[data-tool]'))
  button.addEventListener('click', () => {
    tool = button.dataset.tool;
    for (const other of document.querySelectorAll('[data-tool]')) other.setAttribute('aria-pressed', String(other === button));
  });
document.getElementById('undo').addEventListener('click', () => { shapes.pop(); draw(); });
function say(text, error) { status.textContent = text; status.className = error ? 'error' : ''; }
submit.addEventListener('click', async () => {
  submit.disabled = true; say('Sending…');
  const prompt = document.getElementById('prompt').value;
  try {
    const response = await fetch(location.pathname, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ area: shapes, prompt }) });
    const answer = await response.json();
    if (response.ok) { say(answer.message); document.body.dataset.state = 'sent'; }
    else { say(answer.error, true); submit.disabled = false; }
  } catch { say('The bot could not be reached. Try again.', true); submit.disabled = false; }
});
if (image.complete) size(); else image.addEventListener('load', size);
addEventListener('resize', size);
document.body.dataset.state = 'ready';
`;

/** The editor page for a valid link. */
export function editorPage(options: { token: string; prompt: string; locale?: string | undefined }): string {
  const language = options.locale?.toLowerCase().startsWith('es') ? 'es' : 'en';
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Vary (Region)</title><style>${STYLE}</style></head>
<body><main>
<h1>🖌️ Vary (Region)</h1>
<p>Draw over what to repaint: drag a rectangle, or switch to the lasso and trace around it. Everything else stays as it is.</p>
<div class="stage"><img id="image" src="/region/${options.token}/image" alt="The image to repaint"><canvas id="canvas" aria-label="Drawing area"></canvas></div>
<div class="tools">
<button type="button" data-tool="rectangle" aria-pressed="true">▭ Rectangle</button>
<button type="button" data-tool="lasso" aria-pressed="false">➰ Lasso</button>
<button type="button" id="undo">↶ Undo</button>
</div>
<label for="prompt">Prompt for the region (optional)</label>
<textarea id="prompt" maxlength="${REGION_LIMITS.maxPromptLength}">${escapeHtml(options.prompt)}</textarea>
<div class="tools"><button type="button" id="submit" disabled>Submit</button></div>
<div id="status" role="status"></div>
</main><script>${SCRIPT}</script></body></html>`;
}

/** The page for a refused link: why, and what to do. */
export function refusalPage(message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vary (Region)</title><style>${STYLE}</style></head>
<body><main><h1>🖌️ Vary (Region)</h1><p id="refusal">${escapeHtml(message)}</p></main></body></html>`;
}
