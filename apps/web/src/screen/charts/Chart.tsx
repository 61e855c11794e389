import { useEffect, useRef } from 'react';
import { echarts, type EChartsCoreOption } from './echarts.ts';

/**
 * One ECharts instance per chart for the life of the screen: new data is merged into it with setOption,
 * never a new instance, so a screen that refreshes every minute for a day holds the same canvases.
 */
export function Chart({
  option,
  label,
  width,
  height,
}: {
  option: EChartsCoreOption;
  /** What the chart shows, for screen readers (the canvas itself says nothing). */
  label: string;
  width: number;
  height: number;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);

  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, undefined, { renderer: 'canvas', width, height });
    chart.current = instance;
    return () => {
      instance.dispose();
      chart.current = null;
    };
  }, [width, height]);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: false, lazyUpdate: true });
  }, [option, width, height]);

  return <div ref={element} role="img" aria-label={label} style={{ width, height }} />;
}
