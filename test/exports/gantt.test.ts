// The Gantt chart on the shipped plan: its SVG rows, the PNG's size, and a reference image from
// which any change in rendering is detected. Regenerate the reference after a deliberate change
// with: UPDATE_REFERENCE=1 npx vitest run test/exports/gantt.test.ts (then look at it).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ganttModel } from '../../src/exports/gantt/model.ts';
import { escapeXml, renderGanttSvg } from '../../src/exports/gantt/svg.ts';
import { exportFixture, SECRETARIAT, type ExportFixture } from './harness.ts';

const REFERENCE = new URL('./__reference__/gantt-all-2025-11-20.png', import.meta.url);

/** Width and height from the IHDR chunk, which a valid PNG carries first. */
function pngSize(data: Uint8Array): { width: number; height: number } {
  const bytes = Buffer.from(data);
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Share of pixels whose colour differs visibly (anti-aliasing noise stays under the threshold). */
function differingShare(a: PNG, b: PNG): number {
  let differing = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    const delta = Math.max(Math.abs(a.data[i]! - b.data[i]!), Math.abs(a.data[i + 1]! - b.data[i + 1]!), Math.abs(a.data[i + 2]! - b.data[i + 2]!));
    if (delta > 48) differing++;
  }
  return differing / (a.width * a.height);
}

// resvg rasterises text itself, so the same version gives the same pixels everywhere; the allowance
// covers anti-aliasing drift across versions, and is below one bar changing colour (~640 pixels).
const TOLERANCE = 0.0002;

let f: ExportFixture;
beforeAll(async () => {
  f = await exportFixture('2025-11-20');
});
afterAll(async () => {
  await f?.db.drop();
});

async function ganttPng(line = 'gantt'): Promise<Uint8Array> {
  const reply = await f.run(line);
  expect(reply.error, JSON.stringify(reply.blocks)).toBeFalsy();
  const file = reply.attachments?.[0];
  expect(file?.contentType).toBe('image/png');
  return file!.data;
}

describe('gantt', () => {
  it('has a row for every Action and activity, tentative hatching and the today line', async () => {
    const partnership = await f.db.prisma.partnership.findFirstOrThrow();
    const { svg } = renderGanttSvg(await ganttModel(f.db.prisma, partnership, { steps: false, today: '2025-11-20' }));
    const activities = await f.db.prisma.activity.findMany({ where: { parentId: null } });
    for (const code of ['A1', 'A2', 'A3', 'A4', ...activities.map((a) => a.code)]) expect(svg).toContain(`data-code="${code}"`);
    expect(svg).toContain('>A1 Labour: Inclusive integration into quality jobs<');
    expect(svg).toMatch(/fill="url\(#tbc-\w+\)"[^>]*stroke-dasharray/);
    expect(svg).toContain('Today 20 Nov 2025');
    expect(svg).toContain('data-state="overdue"');
    expect(svg).toContain('>A2.2 Mapping of good practices &amp; webinar<');
  });

  it('escapes text from the plan', () => {
    expect(escapeXml(`<b>"R&D"</b> 'x'`)).toBe('&lt;b&gt;&quot;R&amp;D&quot;&lt;/b&gt; &#39;x&#39;');
  });

  it('"--steps" adds the steps, indented', async () => {
    const partnership = await f.db.prisma.partnership.findFirstOrThrow();
    const { svg } = renderGanttSvg(await ganttModel(f.db.prisma, partnership, { actionNumber: 2, steps: true, today: '2025-11-20' }));
    const steps = await f.db.prisma.activity.findMany({ where: { parentId: { not: null }, action: { number: 2 } } });
    expect(steps.length).toBeGreaterThan(0);
    for (const s of steps) expect(svg).toContain(`data-code="${s.code}"`);
  });

  it('posts a PNG at least 1600 px wide with its labels drawn', async () => {
    const data = await ganttPng();
    const { width, height } = pngSize(data);
    expect(width).toBeGreaterThanOrEqual(1600);
    expect(height).toBeGreaterThan(500);
    // Without a font resvg silently drops text: the label column would be blank.
    const png = PNG.sync.read(Buffer.from(data));
    let ink = 0;
    for (let y = 150; y < height - 100; y++)
      for (let x = 24; x < 500; x++) if (png.data[(y * width + x) * 4]! < 100) ink++;
    expect(ink).toBeGreaterThan(5000);
  });

  it('matches the reference image, and a changed plan does not', async () => {
    const data = Buffer.from(await ganttPng());
    if (process.env.UPDATE_REFERENCE) writeFileSync(REFERENCE, data);
    expect(existsSync(REFERENCE), 'no reference image: run with UPDATE_REFERENCE=1').toBe(true);
    const reference = PNG.sync.read(readFileSync(REFERENCE));
    const current = PNG.sync.read(data);
    expect([current.width, current.height]).toEqual([reference.width, reference.height]);
    expect(differingShare(current, reference)).toBeLessThan(TOLERANCE);

    expect((await f.run('milestone done A1.1', SECRETARIAT)).error).toBeFalsy();
    const changed = PNG.sync.read(Buffer.from(await ganttPng()));
    const share = differingShare(changed, reference);
    expect(share).toBeGreaterThan(TOLERANCE);
  });

  it('narrows to --from/--to and refuses a bad month or an inverted range', async () => {
    const { width } = pngSize(await ganttPng('gantt A3 --from 2026-01 --to 2026-06'));
    expect(width).toBeGreaterThanOrEqual(1600);
    expect((await f.run('gantt --from 2025-13')).error).toBe(true);
    expect((await f.run('gantt --from 2026-01 --to 2025-01')).error).toBe(true);
    expect((await f.run('gantt A9')).error).toBe(true);
  });
});
