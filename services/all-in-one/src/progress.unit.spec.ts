import { describe, expect, it } from 'vitest';
import { progressLine, terminalProgress } from './progress.js';

function recorder(isTTY: boolean): { isTTY: boolean; text: string; write(text: string): void } {
  return {
    isTTY,
    text: '',
    write(text) {
      this.text += text;
    },
  };
}

describe('progress', () => {
  it('draws a bar with share, count and elapsed time', () => {
    expect(progressLine('demo journeys', 250, 1_000, 12_400)).toBe(
      `demo journeys [########----------------------]  25% 250/1000 12 s`,
    );
    expect(progressLine('demo journeys', 250, 1_000, 12_400, false)).toBe(
      'demo journeys: 250/1000 (25%) after 12 s',
    );
  });

  it('redraws in place on a terminal and ends the line when finished', () => {
    let now = 0;
    const output = recorder(true);
    const bar = terminalProgress(output, 5_000, () => now)('work', 10);
    bar.update(1);
    now = 50;
    bar.update(2); // too soon after the last redraw: skipped
    now = 200;
    bar.update(3);
    bar.finish();
    const frames = output.text.split('\r').filter(Boolean);
    expect(frames.map((frame) => frame.match(/ (\d+)\/10 /)?.[1])).toEqual(['1', '3', '10']);
    expect(output.text.endsWith('\n')).toBe(true);
  });

  it('writes a plain line now and then when not on a terminal', () => {
    let now = 0;
    const output = recorder(false);
    const bar = terminalProgress(output, 5_000, () => now)('work', 10);
    bar.update(1);
    now = 5_000;
    bar.update(4);
    now = 6_000;
    bar.update(5);
    bar.finish();
    expect(output.text).toBe('work: 4/10 (40%) after 5 s\nwork: 10/10 (100%) after 6 s\n');
    expect(output.text).not.toContain('\r');
  });
});
