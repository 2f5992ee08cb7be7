// Point labels placed by measuring collisions: each label, in order, takes the first of a few
// positions around its point that stays inside the frame and meets neither an earlier label nor
// an obstacle (the dots, other marks' labels); when every position collides, the one with the
// least overlap. Pure geometry in pixels, so it is tested without a browser.

export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface LabelAnchor {
  /** The point labelled, in pixels. */
  x: number;
  y: number;
  /** The label's size in pixels. */
  width: number;
  height: number;
}

export interface LabelPlacement {
  /** Offset of the text's anchor from the point. */
  dx: number;
  dy: number;
  /** The text's anchor: "start" puts the label right of the point, "end" left of it. */
  textAnchor: "start" | "end";
  /** Where the label lies. */
  box: Rect;
  /** Overlap left, in square pixels (0 when a free position was found). */
  overlap: number;
}

/** Right-below first (the reading order the charts used before), then right-above, then the left side. */
const CANDIDATES: readonly { side: 1 | -1; rows: number }[] = [
  { side: 1, rows: 1 }, { side: 1, rows: -1 }, { side: -1, rows: 1 }, { side: -1, rows: -1 },
  { side: 1, rows: 0 }, { side: -1, rows: 0 },
  { side: 1, rows: 2 }, { side: 1, rows: -2 }, { side: -1, rows: 2 }, { side: -1, rows: -2 },
];

function overlapArea(a: Rect, b: Rect): number {
  const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
  const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  return w > 0 && h > 0 ? w * h : 0;
}

/** How far `box` sticks out of `frame`, as an area (so that it weighs against overlaps). */
function outside(box: Rect, frame: Rect): number {
  const width = box.right - box.left, height = box.bottom - box.top;
  const dx = Math.max(0, frame.left - box.left) + Math.max(0, box.right - frame.right);
  const dy = Math.max(0, frame.top - box.top) + Math.max(0, box.bottom - frame.bottom);
  return dx * height + dy * width;
}

/**
 * Places every label (in the order given: put the most important first). `gap` is the distance
 * from the point to the label's near edge, horizontally and vertically.
 */
export function placeLabels(
  anchors: readonly LabelAnchor[],
  { frame, obstacles = [], gap = 8 }: { frame: Rect; obstacles?: readonly Rect[]; gap?: number },
): LabelPlacement[] {
  const placed: Rect[] = [];
  return anchors.map((a) => {
    let best: LabelPlacement | null = null;
    for (const { side, rows } of CANDIDATES) {
      const dx = side * gap;
      // rows = +-1: the label's near edge `gap` below/above the point; +-2: one label height further.
      const dy = rows === 0 ? 0 : Math.sign(rows) * (gap + a.height / 2 + (Math.abs(rows) - 1) * a.height);
      const left = side > 0 ? a.x + dx : a.x + dx - a.width;
      const box = { left, right: left + a.width, top: a.y + dy - a.height / 2, bottom: a.y + dy + a.height / 2 };
      let overlap = outside(box, frame);
      for (const r of placed) overlap += overlapArea(box, r);
      for (const r of obstacles) overlap += overlapArea(box, r);
      if (best === null || overlap < best.overlap) best = { dx, dy, textAnchor: side > 0 ? "start" : "end", box, overlap };
      if (overlap === 0) break;
    }
    placed.push(best!.box);
    return best!;
  });
}

/** A square around a dot of radius r. */
export function dotRect(x: number, y: number, r: number): Rect {
  return { left: x - r, right: x + r, top: y - r, bottom: y + r };
}
