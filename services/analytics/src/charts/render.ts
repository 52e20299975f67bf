import type * as ResvgModule from '@resvg/resvg-js';
import type * as VegaModule from 'vega';
import type * as VegaLiteModule from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

/**
 * The chart libraries (vega, vega-lite and the d3 modules under them, resvg's native addon) are
 * tens of MB of code and heap: loaded on the first chart asked for, not when the service starts,
 * so that a process that never draws one (the embedded start, the seeding) never holds them.
 */
let vegaModules: Promise<[typeof VegaModule, typeof VegaLiteModule]> | undefined;
let resvgModule: Promise<typeof ResvgModule> | undefined;

/**
 * Server-side rendering: Vega-Lite compiled to Vega, rendered headless (`renderer: 'none'`) to SVG;
 * PNG is rasterised from that SVG by resvg, because Vega's own PNG path needs node-canvas.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  vegaModules ??= Promise.all([import('vega'), import('vega-lite')]);
  const [vega, vegaLite] = await vegaModules;
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function svgToPng(svg: string): Promise<Buffer> {
  resvgModule ??= import('@resvg/resvg-js');
  const { Resvg } = await resvgModule;
  const image = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: 2 },
    font: {
      loadSystemFonts: true,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  }).render();
  return image.asPng();
}
