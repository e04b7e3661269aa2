// SVG → PNG for chat, where an SVG attachment shows as a file rather than a picture.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { FONT_FAMILY } from './svg.ts';

// The fonts come from an npm package, not the system: a fresh CI machine or a slim container has no
// fonts at all (resvg would drop every label), and the same font files everywhere give the same
// pixels everywhere, which the reference-image test relies on.
const fontDir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
export const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf'].map((f) => join(fontDir, f));

/** resvg (a native module of several MB) is loaded by the first chart, not by every process. */
export async function svgToPng(svg: string): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js');
  const rendered = new Resvg(svg, {
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    background: '#ffffff',
    fitTo: { mode: 'original' },
  }).render();
  return new Uint8Array(rendered.asPng());
}
