import { test } from "node:test";
import assert from "node:assert/strict";
import { dotRect, placeLabels, type Rect } from "../src/components/charts/labelLayout.js";

const frame: Rect = { left: 0, top: 0, right: 400, bottom: 300 };
const overlaps = (a: Rect, b: Rect) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0;
const inside = (a: Rect) => a.left >= frame.left && a.right <= frame.right && a.top >= frame.top && a.bottom <= frame.bottom;

test("labels of crowded points are placed clear of each other, of the dots and inside the frame", () => {
  // Five points 12 px apart on a diagonal: the simpler rule (alternate below/above, always right)
  // makes labels 80 px wide collide.
  const points = Array.from({ length: 5 }, (_, i) => ({ x: 150 + 12 * i, y: 150 - 6 * i, width: 80, height: 12 }));
  const dots = points.map((p) => dotRect(p.x, p.y, 5));
  const placed = placeLabels(points, { frame, obstacles: dots });
  for (const [i, p] of placed.entries()) {
    assert.equal(p.overlap, 0, `label ${i}`);
    assert.ok(inside(p.box), `label ${i} inside the frame`);
    for (const d of dots) assert.ok(!overlaps(p.box, d), `label ${i} clear of the dots`);
    for (const q of placed.slice(0, i)) assert.ok(!overlaps(p.box, q.box), `label ${i} clear of earlier labels`);
  }
});

test("the first choice is right-below the point; at the frame's right edge the label goes left", () => {
  const [free] = placeLabels([{ x: 100, y: 100, width: 50, height: 12 }], { frame, gap: 8 });
  assert.deepEqual([free.dx, free.dy, free.textAnchor], [8, 14, "start"]);
  assert.deepEqual(free.box, { left: 108, right: 158, top: 108, bottom: 120 });
  const [edge] = placeLabels([{ x: 380, y: 100, width: 50, height: 12 }], { frame, gap: 8 });
  assert.equal(edge.textAnchor, "end");
  assert.ok(inside(edge.box));
});

test("when every position collides, the least overlapping one is kept and its overlap reported", () => {
  const wall: Rect = { left: 0, top: 0, right: 400, bottom: 300 };
  const [p] = placeLabels([{ x: 200, y: 150, width: 40, height: 12 }], { frame, obstacles: [wall] });
  assert.ok(p.overlap > 0);
  assert.equal(p.overlap, 40 * 12);
});
