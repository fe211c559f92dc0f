/** SVG picture → PNG image, drawn by the browser: the SVG loads into an Image, which is painted on a canvas. */

/**
 * Kept well below the caps that browsers put on a canvas's side and area (the caps differ by
 * browser), so a very large picture is drawn at a smaller scale instead of failing.
 */
const MAX_CANVAS_SIDE = 16_384;
const MAX_CANVAS_PIXELS = 100_000_000;

/** Time allowed for the browser to decode the SVG, in milliseconds. */
const LOAD_TIMEOUT_MS = 15_000;

/** Reads the width and height attributes of the root `<svg>` element, in pixels. */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const width = Number(/\swidth="([\d.]+)"/.exec(root)?.[1]);
  const height = Number(/\sheight="([\d.]+)"/.exec(root)?.[1]);
  if (!(width > 0) || !(height > 0)) throw new Error('the SVG picture has no width and height in pixels');
  return { width, height };
}

/** Returns the largest scale up to `preferred` at which a picture fits the canvas limits. */
export function fittingScale(width: number, height: number, preferred: number): number {
  return Math.min(preferred, MAX_CANVAS_SIDE / width, MAX_CANVAS_SIDE / height, Math.sqrt(MAX_CANVAS_PIXELS / (width * height)));
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    const timer = setTimeout(() => reject(new Error(`the browser did not decode the SVG picture within ${LOAD_TIMEOUT_MS / 1000} s`)), LOAD_TIMEOUT_MS);
    image.onload = () => {
      clearTimeout(timer);
      resolve(image);
    };
    image.onerror = () => {
      clearTimeout(timer);
      reject(new Error('the browser could not decode the SVG picture'));
    };
    image.src = url;
  });
}

/**
 * Draws an SVG document on a canvas at `scale` (2 gives sharp text on high-density screens) and
 * encodes it as PNG. Throws an Error that names what failed, e.g. where the browser has no 2-D canvas.
 */
export async function svgToPng(svg: string, scale = 2): Promise<Blob> {
  const { width, height } = svgSize(svg);
  const factor = fittingScale(width, height, scale);
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * factor));
  canvas.height = Math.max(1, Math.round(height * factor));
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this browser offers no 2-D canvas to draw on');

  // A data URL rather than an object URL: the image is self-contained, so nothing taints the canvas.
  const image = await loadImage(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
  context.drawImage(image, 0, 0, canvas.width, canvas.height);

  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('the browser could not encode the canvas as PNG');
  return blob;
}
