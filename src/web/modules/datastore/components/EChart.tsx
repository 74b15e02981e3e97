import { BarChart, LineChart, PieChart, ScatterChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { type EChartsCoreOption, type EChartsType, init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { type CSSProperties, useEffect, useRef } from 'react';

// Only the four chart types, axes, tooltips and the SVG renderer: a fraction of the full ECharts
// bundle, and SVG scales crisply and needs no canvas.
use([BarChart, LineChart, PieChart, ScatterChart, GridComponent, TooltipComponent, SVGRenderer]);

/** An ECharts chart as an image with a text name (the chart itself is not readable by screen readers). */
export function EChart({
  option,
  label,
  style,
  onResize,
}: {
  option: EChartsCoreOption;
  label: string;
  /** Overrides the default size (the quality ring is small, the completeness bars grow with the columns). */
  style?: CSSProperties;
  /** Told the chart's size in pixels, at first and whenever it changes (map points keep their proportions). */
  onResize?: ((size: { width: number; height: number }) => void) | undefined;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const resized = useRef(onResize);
  resized.current = onResize;

  useEffect(() => {
    if (!box.current) return;
    const instance = init(box.current, undefined, { renderer: 'svg' });
    chart.current = instance;
    const tell = () => {
      const el = box.current;
      if (el) resized.current?.({ width: el.clientWidth, height: el.clientHeight });
    };
    tell();
    const observer = new ResizeObserver(() => {
      instance.resize();
      tell();
    });
    observer.observe(box.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    // notMerge: a new chart type must not keep the axes of the previous one.
    chart.current?.setOption(option, true);
  }, [option]);

  return <div ref={box} role="img" aria-label={label} className="datastore-chart" style={style} />;
}
