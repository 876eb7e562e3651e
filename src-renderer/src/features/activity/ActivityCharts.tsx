import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CallAggregate } from '../../../../src-shared/schemas/call-log';
import { formatDay, formatFullMoment, formatTimeOfDay } from '../../lib/date-time';
import { formatDuration } from '../../lib/duration';
import { formatUsd } from '../../lib/money';
import { drawsCharts, pivot, type Metric } from './chart-data';

const palette = ['#3e63dd', '#e5484d', '#30a46c', '#f76808', '#8e4ec6', '#0090ff', '#d6409f', '#978365'];

function timeLabel(hourly: boolean) {
  return (value: number) => (hourly ? formatTimeOfDay(value) : formatDay(value));
}

/** A moment drawn across a chart: a connection started reporting a new model version in this bucket. */
export interface ChartMarker {
  bucketStart: number;
  label: string;
}

interface ChartProps {
  title: string;
  markers: readonly ChartMarker[];
  rows: CallAggregate[];
  metric: Metric;
  unit: (value: number) => string;
  names(key: string): string;
  hourly: boolean;
  bars?: boolean;
}

/** The one time bucket's figure per group, as numbers: what a chart of a single point would have shown. */
function Figures(props: ChartProps) {
  return (
    <figure className="chart chart-figures" aria-label={props.title}>
      <figcaption>{props.title}</figcaption>
      <dl>
        {props.rows.map((row, index) => {
          const value = props.metric(row);
          return (
            <div key={row.key} className="chart-figure">
              <dt>
                <span className="chart-swatch" style={{ background: palette[index % palette.length] }} aria-hidden="true" />
                {props.names(row.key)}
              </dt>
              <dd>{value === null ? '—' : props.unit(value)}</dd>
            </div>
          );
        })}
      </dl>
    </figure>
  );
}

function Chart(props: ChartProps) {
  const { data, keys } = pivot(props.rows, props.metric);
  const format = timeLabel(props.hourly);
  const common = (
    <>
      <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
      <XAxis dataKey="bucketStart" tickFormatter={format} stroke="var(--text-muted)" fontSize={11} />
      <YAxis tickFormatter={(value: number) => props.unit(value)} stroke="var(--text-muted)" fontSize={11} width={56} />
      <Tooltip
        labelFormatter={(value) => formatFullMoment(Number(value))}
        formatter={(value, name) => [typeof value === 'number' ? props.unit(value) : String(value), props.names(String(name))]}
        contentStyle={{ background: 'var(--bg-raised)', border: '1px solid var(--border)', borderRadius: 6, fontSize: 12 }}
      />
      <Legend formatter={(value: string) => props.names(value)} wrapperStyle={{ fontSize: 12 }} />
      {props.markers.map((marker) => (
        <ReferenceLine
          key={`${marker.bucketStart}-${marker.label}`}
          x={marker.bucketStart}
          stroke="var(--warning)"
          strokeDasharray="4 3"
          ifOverflow="extendDomain"
          label={{ value: `▲ ${marker.label}`, position: 'insideTopLeft', fontSize: 10, fill: 'var(--warning)' }}
        />
      ))}
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

const count = (value: number) => String(Math.round(value));

/** Charts over time when the calls span two or more buckets; with one bucket, its figures as numbers. */
export function ActivityCharts(props: {
  rows: CallAggregate[];
  names(key: string): string;
  hourly: boolean;
  /** Model-version changes, drawn as dashed lines at their bucket. */
  markers?: readonly ChartMarker[];
}) {
  const shared = { rows: props.rows, names: props.names, hourly: props.hourly, markers: props.markers ?? [] };
  const Panel = drawsCharts(props.rows) ? Chart : Figures;
  const first = props.rows[0];
  return (
    <>
      {Panel === Figures && first ? (
        <p className="muted chart-note">
          All these calls fall in one {props.hourly ? 'hour' : 'day'} ({timeLabel(props.hourly)(first.bucketStart)}), so they are shown as
          figures; charts appear once calls span two or more.
        </p>
      ) : null}
      <div className="chart-grid">
        <Panel title="Latency (median)" metric={(row) => row.latencyP50Ms} unit={formatDuration} {...shared} />
        <Panel title="Time to first token (median)" metric={(row) => row.timeToFirstTokenP50Ms} unit={formatDuration} {...shared} />
        <Panel title="Error rate" metric={(row) => row.errorRate} unit={percent} {...shared} />
        <Panel title="Escalations" metric={(row) => row.escalations} unit={count} bars {...shared} />
        <Panel title="Spend" metric={(row) => row.costUsd} unit={formatUsd} bars {...shared} />
        <Panel title="Calls" metric={(row) => row.calls} unit={count} bars {...shared} />
      </div>
    </>
  );
}
