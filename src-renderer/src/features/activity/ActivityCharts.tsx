import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CallAggregate } from '../../../../src-shared/schemas/call-log';
import { formatDuration } from '../../lib/duration';
import { formatUsd } from '../../lib/money';

const palette = ['#3e63dd', '#e5484d', '#30a46c', '#f76808', '#8e4ec6', '#0090ff', '#d6409f', '#978365'];

type Metric = (row: CallAggregate) => number | null;

/** One series per group: [{ bucketStart, <group>: value }] sorted by time. */
function pivot(rows: CallAggregate[], metric: Metric): { data: Array<Record<string, number | null>>; keys: string[] } {
  const keys = [...new Set(rows.map((row) => row.key))];
  const byBucket = new Map<number, Record<string, number | null>>();
  for (const row of rows) {
    const point = byBucket.get(row.bucketStart) ?? { bucketStart: row.bucketStart };
    point[row.key] = metric(row);
    byBucket.set(row.bucketStart, point);
  }
  return { data: [...byBucket.values()].sort((a, b) => (a.bucketStart ?? 0) - (b.bucketStart ?? 0)), keys };
}

function timeLabel(hourly: boolean) {
  return (value: number) =>
    hourly
      ? new Date(value).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
      : new Date(value).toLocaleDateString([], { month: 'short', day: 'numeric' });
}

function Chart(props: {
  title: string;
  rows: CallAggregate[];
  metric: Metric;
  unit: (value: number) => string;
  names(key: string): string;
  hourly: boolean;
  bars?: boolean;
}) {
  const { data, keys } = pivot(props.rows, props.metric);
  const format = timeLabel(props.hourly);
  const common = (
    <>
      <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
      <XAxis dataKey="bucketStart" tickFormatter={format} stroke="var(--text-muted)" fontSize={11} />
      <YAxis tickFormatter={(value: number) => props.unit(value)} stroke="var(--text-muted)" fontSize={11} width={56} />
      <Tooltip
        labelFormatter={(value) => new Date(Number(value)).toLocaleString()}
        formatter={(value, name) => [typeof value === 'number' ? props.unit(value) : String(value), props.names(String(name))]}
        contentStyle={{ background: 'var(--bg-raised)', border: '1px solid var(--border)', borderRadius: 6, fontSize: 12 }}
      />
      <Legend formatter={(value: string) => props.names(value)} wrapperStyle={{ fontSize: 12 }} />
    </>
  );
  return (
    <figure className="chart" aria-label={props.title}>
      <figcaption>{props.title}</figcaption>
      <ResponsiveContainer width="100%" height={190}>
        {props.bars ? (
          <BarChart data={data}>
            {common}
            {keys.map((key, index) => (
              <Bar key={key} dataKey={key} stackId="all" fill={palette[index % palette.length]} isAnimationActive={false} />
            ))}
          </BarChart>
        ) : (
          <LineChart data={data}>
            {common}
            {keys.map((key, index) => (
              <Line
                key={key}
                dataKey={key}
                stroke={palette[index % palette.length]}
                dot={data.length < 3}
                strokeWidth={2}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        )}
      </ResponsiveContainer>
    </figure>
  );
}

const percent = (value: number) => `${Math.round(value * 100)}%`;

export function ActivityCharts(props: { rows: CallAggregate[]; names(key: string): string; hourly: boolean }) {
  const shared = { rows: props.rows, names: props.names, hourly: props.hourly };
  return (
    <div className="chart-grid">
      <Chart title="Latency (median)" metric={(row) => row.latencyP50Ms} unit={formatDuration} {...shared} />
      <Chart title="Time to first token (median)" metric={(row) => row.timeToFirstTokenP50Ms} unit={formatDuration} {...shared} />
      <Chart title="Error rate" metric={(row) => row.errorRate} unit={percent} {...shared} />
      <Chart title="Escalations" metric={(row) => row.escalations} unit={(value) => String(Math.round(value))} bars {...shared} />
      <Chart title="Spend" metric={(row) => row.costUsd} unit={formatUsd} bars {...shared} />
      <Chart title="Calls" metric={(row) => row.calls} unit={(value) => String(Math.round(value))} bars {...shared} />
    </div>
  );
}
