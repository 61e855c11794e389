import type { EChartsCoreOption } from './echarts.ts';

const TEXT = '#cbd5e1';
const AXIS = '#334155';
// The system's own CJK fonts: no web font is ever fetched.
const FONT = "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif";

/**
 * A gauge for a rate between 0 and 1. `lowerIsBetter` turns the colour bands round (返工率: red when
 * high). A rate without data (nothing due yet) shows a dash, not a zero.
 */
export function gaugeOption(value: number | null, name: string, lowerIsBetter: boolean): EChartsCoreOption {
  const good = '#22c55e';
  const mid = '#f59e0b';
  const bad = '#ef4444';
  const bands: [number, string][] = lowerIsBetter
    ? [
        [0.1, good],
        [0.25, mid],
        [1, bad],
      ]
    : [
        [0.6, bad],
        [0.85, mid],
        [1, good],
      ];
  return {
    textStyle: { fontFamily: FONT },
    series: [
      {
        type: 'gauge',
        min: 0,
        max: 100,
        radius: '92%',
        center: ['50%', '58%'],
        startAngle: 210,
        endAngle: -30,
        splitNumber: 4,
        axisLine: { lineStyle: { width: 10, color: bands } },
        progress: { show: false },
        pointer: { width: 4, length: '58%', itemStyle: { color: '#e2e8f0' } },
        axisTick: { show: false },
        splitLine: { length: 6, lineStyle: { color: '#0b1a30', width: 2 } },
        axisLabel: { show: false },
        anchor: { show: true, size: 8, itemStyle: { color: '#e2e8f0' } },
        title: { show: true, offsetCenter: [0, '78%'], color: TEXT, fontSize: 15 },
        detail: {
          valueAnimation: true,
          offsetCenter: [0, '36%'],
          fontSize: 24,
          fontWeight: 700,
          color: '#f8fafc',
          formatter: value === null ? () => '—' : (v: number) => `${v.toFixed(1)}%`,
        },
        data: [{ value: value === null ? 0 : Math.round(value * 1000) / 10, name }],
      },
    ],
  };
}

const PALETTE = ['#38bdf8', '#a78bfa', '#f472b6', '#34d399', '#fbbf24', '#fb923c', '#94a3b8', '#60a5fa'];

/** 事件来源: a ring chart with its legend on the right. */
export function sourcesOption(rows: { name: string; value: number }[]): EChartsCoreOption {
  return {
    color: PALETTE,
    textStyle: { fontFamily: FONT },
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: {
      orient: 'vertical',
      right: 4,
      top: 'middle',
      textStyle: { color: TEXT, fontSize: 14 },
      itemWidth: 12,
      itemHeight: 12,
      formatter: (name: string) => {
        const row = rows.find((r) => r.name === name);
        return `${name}  ${row?.value ?? 0}`;
      },
    },
    series: [
      {
        type: 'pie',
        radius: ['45%', '75%'],
        center: ['30%', '50%'],
        avoidLabelOverlap: true,
        label: { show: false },
        itemStyle: { borderColor: '#0b1a30', borderWidth: 2 },
        data: rows,
      },
    ],
  };
}

/** A horizontal bar ranking (top categories, busiest grids), largest at the top. */
export function rankingOption(
  rows: { name: string; value: number; highlight?: number }[],
  colour: string,
  highlightName?: string,
): EChartsCoreOption {
  const ordered = [...rows].reverse();
  return {
    textStyle: { fontFamily: FONT },
    grid: { left: 8, right: 44, top: 6, bottom: 6, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', show: false },
    yAxis: {
      type: 'category',
      data: ordered.map((row) => row.name),
      axisLine: { lineStyle: { color: AXIS } },
      axisTick: { show: false },
      axisLabel: { color: TEXT, fontSize: 14, width: 130, overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        stack: 'total',
        name: highlightName,
        data: ordered.map((row) => row.value - (row.highlight ?? 0)),
        barWidth: 14,
        itemStyle: { color: colour, borderRadius: 0 },
      },
      {
        type: 'bar',
        stack: 'total',
        name: highlightName,
        data: ordered.map((row) => row.highlight ?? 0),
        barWidth: 14,
        itemStyle: { color: '#ef4444', borderRadius: [0, 7, 7, 0] },
        label: {
          show: true,
          position: 'right',
          color: '#f8fafc',
          fontSize: 14,
          formatter: (params: { dataIndex: number }) => String(ordered[params.dataIndex]?.value ?? ''),
        },
      },
    ],
  };
}
