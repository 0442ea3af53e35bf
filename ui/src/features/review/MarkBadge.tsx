// The badge a comparison puts on a tile ("changed", "added"); nothing outside a comparison.
import { useTileMark } from "./marks";

export function MarkBadge({ tileId }: { tileId: string }) {
  const mark = useTileMark(tileId);
  if (!mark) return null;
  return (
    <span className={`compare-mark compare-mark-${mark}`} data-testid="compare-mark" data-mark={mark}>
      {mark}
    </span>
  );
}
