import { describe, expect, it } from 'vitest';
import { rate } from './rate.js';
import { measurement as row } from './testing/measurement.js';

describe('rate', () => {
  const rows = [
    row('wasm', 1, 150, { maxRssMiB: 450 }),
    row('wasm', 2, 100),
    row('pytorch', 1, 120, { maxRssMiB: 300 }),
    row('pytorch', 2, 70),
    row('pytorch (Debian)', 1, 110, { maxRssMiB: 200 }),
    row('keras', 1, 60),
    row('keras', 2, 40),
  ];
  const rated = rate(rows);
  const find = (engine: string, threads: number) => rated.find((r) => r.engine === engine && r.threads === threads)!;

  it('divides by the fastest peer at the same thread count', () => {
    expect(find('wasm', 1)).toMatchObject({ fastestPeer: 'keras', vsFastestPeer: 150 / 60 });
    expect(find('wasm', 2)).toMatchObject({ fastestPeer: 'keras', vsFastestPeer: 100 / 40 });
    expect(find('pytorch', 1).vsFastestPeer).toBe(2);
    expect(find('keras', 1).vsFastestPeer).toBe(1);
    expect(find('wasm', 1).vsFastestPeerCpu).toBeCloseTo(150 / 60, 12);
  });

  it('measures 1 -> N within an engine', () => {
    expect(find('wasm', 1).scaling).toBeUndefined();
    expect(find('wasm', 2).scaling).toMatchObject({ cores: 2, speedup: 1.5 });
    expect(find('wasm', 2).scaling!.serialFraction).toBeCloseTo(1 / 3, 12);
    expect(find('keras', 2).scaling!.speedup).toBe(1.5);
    expect(find('pytorch', 2).scaling!.speedup).toBeCloseTo(120 / 70, 12);
  });

  it("compares TF.js memory to the bench's PyTorch, not Debian's, when both ran", () => {
    expect(find('wasm', 1).rssVsPyTorch).toBe(1.5);
    expect(find('pytorch', 1).rssVsPyTorch).toBeUndefined();
    const debianOnly = rate(rows.filter((r) => r.engine !== 'pytorch'));
    expect(debianOnly.find((r) => r.engine === 'wasm' && r.threads === 1)!.rssVsPyTorch).toBe(450 / 200);
  });

  it("divides TF.js time by Keras and by PyTorch, the bench's PyTorch before Debian's", () => {
    expect(find('wasm', 1)).toMatchObject({ vsKeras: 2.5, vsPyTorch: 1.25, pytorch: 'pytorch' });
    expect(find('wasm', 2)).toMatchObject({ vsKeras: 2.5, vsPyTorch: 100 / 70, pytorch: 'pytorch' });
    expect(find('keras', 1).vsKeras).toBeUndefined();
    const debianOnly = rate(rows.filter((r) => r.engine !== 'pytorch'));
    expect(debianOnly.find((r) => r.engine === 'wasm' && r.threads === 1)).toMatchObject({
      vsPyTorch: 150 / 110,
      pytorch: 'pytorch (Debian)',
    });
    expect(debianOnly.find((r) => r.engine === 'wasm' && r.threads === 2)!.vsPyTorch).toBeUndefined();
  });

  it('leaves a row without peers unrated', () => {
    const [alone] = rate([row('wasm', 1, 150)]);
    expect(alone.vsFastestPeer).toBeUndefined();
    expect(alone.fastestPeer).toBeUndefined();
    expect(alone.vsKeras).toBeUndefined();
    expect(alone.vsPyTorch).toBeUndefined();
  });
});
