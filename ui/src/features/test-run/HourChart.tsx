// Calls dialled per local hour: 24 plain SVG bars; hours without a call (quiet time) stay empty.
const W = 312;
const H = 110;
const PAD_BOTTOM = 16;

export function HourChart({ hours }: { hours: number[] }) {
  const max = Math.max(1, ...hours);
  const bw = W / 24;
  const plot = H - PAD_BOTTOM;
  return (
    <svg className="hour-chart" viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label="Calls per local hour" data-testid="hour-chart">
      {Array.from({ length: 24 }, (_, h) => {
        const n = hours[h] ?? 0;
        const bh = n === 0 ? 0 : Math.max(2, (n / max) * (plot - 4));
        return (
          <g key={h}>
            {n === 0 ? <rect className="hour-empty" x={h * bw} y={0} width={bw} height={plot} /> : null}
            <rect className="hour-bar" data-hour={h} x={h * bw + 1.5} y={plot - bh} width={bw - 3} height={bh} rx={1.5}>
              <title>{`${String(h).padStart(2, "0")}:00 — ${n.toLocaleString()} call${n === 1 ? "" : "s"}`}</title>
            </rect>
          </g>
        );
      })}
      <line x1={0} x2={W} y1={plot} y2={plot} className="hour-axis" />
      {[0, 6, 12, 18].map((h) => (
        <text key={h} x={h * bw + bw / 2} y={H - 3} className="hour-label" textAnchor="middle">
          {String(h).padStart(2, "0")}
        </text>
      ))}
      <text x={W - 2} y={H - 3} className="hour-label" textAnchor="end">
        24
      </text>
    </svg>
  );
}
