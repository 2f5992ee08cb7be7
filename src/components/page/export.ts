// Figure and table downloads. A figure is exported as one self-contained SVG (title, plot, legend,
// caption and a note such as the coefficient set, with the page's CSS resolved into attributes) or
// as a PNG rasterised from that SVG at twice its CSS size; a table as CSV or JSON.
//
// The buttons look the figure up when clicked, not when created: figures sit in resize()
// containers that replace their content on every resize or input change.

import { exportRows, rowsToCsv } from "../../core/export/tableExport.js";

// The table format lives in the core, which the CLI shares; re-exported for the pages.
export { exportColumnName, exportNumber, exportRows, rowsToCsv } from "../../core/export/tableExport.js";

export interface FigureExportOptions {
  /** File name, with or without extension ("figure-8" -> "figure-8.svg" / "figure-8.png"). */
  filename: string;
  /** Drawn above the figure; defaults to the Plot figure's own title, if any. */
  title?: string;
  /** Drawn below the figure in small type, e.g. "Coefficients: Paper (Table 6)". */
  note?: string;
  /** Set on the export of a chart redrawn at EXPORT_WIDTH, which is not redrawn again. */
  redrawn?: boolean;
}

export interface TableExportOptions {
  filename: string;
  formats?: ("csv" | "json")[];
}

const SVG_NS = "http://www.w3.org/2000/svg";
const PADDING = 12;
const TITLE_FONT = { size: 15, weight: "bold" };
const BODY_FONT_SIZE = 11;
const NOTE_FONT_SIZE = 10;
// Generic families only: the exported file must look the same without the site's fonts.
const FONT_FAMILY = "system-ui, sans-serif";
/** The width a wrapped (phone-layout) chart is redrawn at for export: the desktop layout. */
export const EXPORT_WIDTH = 960;
/** PNGs are drawn at this many pixels per CSS pixel whatever the screen's devicePixelRatio. */
export const PNG_SCALE = 2;

// Presentation properties resolved from the page's CSS into attributes. Plot draws with
// currentColor and pages pass CSS variables (var(--theme-foreground-focus)); neither means
// anything in a file opened on its own.
const RESOLVED_PROPERTIES = ["fill", "stroke", "color", "stop-color"] as const;
const UNRESOLVED = /var\(|currentcolor|inherit/i;

/** The Plot output inside `target`: its <figure> if it has one (legends, titles), else its <svg>. */
export function findFigure(target: Element): Element | null {
  if (target.matches("figure, svg")) return target;
  return target.querySelector("figure") ?? target.querySelector("svg");
}

/** Parts of a Plot figure, in document order. */
interface FigureParts {
  title: string | null;
  subtitle: string | null;
  caption: string | null;
  /** Main plot and ramp legends: <svg> children of the figure. */
  svgs: SVGSVGElement[];
  /** Swatch legends: each an HTML row of (small svg, label). */
  swatches: { swatch: SVGSVGElement | null; label: string }[][];
  /** Where the swatch rows sit relative to the svgs: before (Plot's default) or after. */
  order: ("svg" | "swatches")[];
}

function figureParts(figure: Element): FigureParts {
  const parts: FigureParts = { title: null, subtitle: null, caption: null, svgs: [], swatches: [], order: [] };
  if (figure instanceof SVGSVGElement) {
    parts.svgs.push(figure);
    parts.order.push("svg");
    return parts;
  }
  for (const child of Array.from(figure.children)) {
    if (child instanceof SVGSVGElement) {
      parts.svgs.push(child);
      parts.order.push("svg");
    } else if (child.tagName === "H2") parts.title = child.textContent;
    else if (child.tagName === "H3") parts.subtitle = child.textContent;
    else if (child.tagName === "FIGCAPTION") parts.caption = child.textContent;
    else if (/swatches/.test(child.getAttribute("class") ?? "")) {
      const items = Array.from(child.querySelectorAll(":scope > span")).map((span) => ({
        swatch: span.querySelector("svg"),
        label: (span.textContent ?? "").trim(),
      }));
      if (items.length) {
        parts.swatches.push(items);
        parts.order.push("swatches");
      }
    }
  }
  return parts;
}

let measureContext: CanvasRenderingContext2D | null = null;
/** Width of text in the export's font; canvas metrics stand in for the SVG renderer's. */
function textWidth(text: string, size: number, weight = "normal"): number {
  measureContext ??= document.createElement("canvas").getContext("2d");
  if (!measureContext) return text.length * size * 0.6;
  measureContext.font = `${weight} ${size}px ${FONT_FAMILY}`;
  return measureContext.measureText(text).width;
}

/** Greedy word wrap to `width` pixels. */
function wrap(text: string, width: number, size: number, weight = "normal"): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (line && textWidth(candidate, size, weight) > width) {
        lines.push(line);
        line = word;
      } else line = candidate;
    }
    lines.push(line);
  }
  return lines;
}

let colorContext: CanvasRenderingContext2D | null = null;
/** A computed colour as rgb()/rgba(): computed styles may say color(srgb ...) or oklch(...), which
 * SVG viewers other than browsers do not read. */
export function normalizeColor(value: string): string {
  if (!value || /^(none|rgba?\(|#)/i.test(value.trim())) return value;
  colorContext ??= document.createElement("canvas").getContext("2d", { willReadFrequently: true });
  if (!colorContext) return value;
  colorContext.clearRect(0, 0, 1, 1);
  colorContext.fillStyle = value;
  colorContext.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = colorContext.getImageData(0, 0, 1, 1).data;
  return a === 255 ? `rgb(${r}, ${g}, ${b})` : `rgba(${r}, ${g}, ${b}, ${+(a / 255).toFixed(3)})`;
}

/** Copies `source` into a standalone tree with page CSS resolved into attributes. */
function inlineClone<T extends Element>(source: T): T {
  const clone = source.cloneNode(true) as T;
  const sources = [source, ...Array.from(source.querySelectorAll("*"))];
  const clones = [clone, ...Array.from(clone.querySelectorAll("*"))];
  sources.forEach((original, i) => {
    const copy = clones[i];
    const computed = getComputedStyle(original);
    for (const property of RESOLVED_PROPERTIES) {
      const attribute = copy.getAttribute(property);
      if (attribute !== null && UNRESOLVED.test(attribute)) copy.setAttribute(property, normalizeColor(computed.getPropertyValue(property)));
    }
    // Inline style="" may use variables too; a resolved copy of what it sets is enough.
    const style = copy.getAttribute("style");
    if (style && UNRESOLVED.test(style)) {
      const resolved = style.split(";").map((declaration) => {
        const name = declaration.split(":")[0]?.trim();
        return name && UNRESOLVED.test(declaration) ? `${name}:${normalizeColor(computed.getPropertyValue(name))}` : declaration;
      });
      copy.setAttribute("style", resolved.join(";"));
    }
  });
  // Plot's <style> scopes rules to a generated class and sizes the svg for the page (max-width,
  // height: auto); in a nested svg those rules would fight the explicit size set below.
  clone.querySelectorAll("style").forEach((element) => element.remove());
  // A tooltip left open by the pointer is not part of the figure.
  clone.querySelectorAll('[aria-label="tip"]').forEach((element) => element.remove());
  return clone;
}

function svgElement<K extends keyof SVGElementTagNameMap>(name: K, attributes: Record<string, string | number>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

function textLines(lines: string[], x: number, y: number, size: number, attributes: Record<string, string | number> = {}): { element: SVGTextElement; height: number } {
  const lineHeight = Math.round(size * 1.3);
  const element = svgElement("text", { x, y, "font-size": size, ...attributes });
  lines.forEach((line, i) => {
    const tspan = svgElement("tspan", { x, dy: i === 0 ? size : lineHeight });
    tspan.textContent = line;
    element.append(tspan);
  });
  return { element, height: lineHeight * lines.length };
}

/** The colours the figure is seen with: the text colour on the page's background (not a card's
 * tint, which would look like a grey box in a document). */
function pageColours(target: Element): { color: string; background: string } {
  const color = normalizeColor(getComputedStyle(target).color || "black");
  for (const element of [document.body, document.documentElement]) {
    const background = normalizeColor(getComputedStyle(element).backgroundColor);
    if (background && !/rgba\(.*,\s*0\)$|transparent/.test(background)) return { color, background };
  }
  return { color, background: "rgb(255, 255, 255)" };
}

/** A self-contained SVG document of the Plot figure inside `target`, with its width and height. */
export function figureToSvg(target: Element, options: Partial<FigureExportOptions> = {}): { svg: string; width: number; height: number } {
  const figure = findFigure(target);
  if (!figure) throw new Error("no figure to export: the target contains no Plot output");
  // A chart wrapped for a narrow screen is redrawn at the desktop width, off screen but in the
  // page (its CSS resolves the colours), and that drawing is exported.
  const redraw = (figure as Element & { exportRender?: (width: number) => Element }).exportRender;
  if (redraw && !options.redrawn) {
    const holder = document.createElement("div");
    holder.style.cssText = `position:absolute;left:-100000px;top:0;width:${EXPORT_WIDTH}px`;
    (target.parentElement ?? document.body).append(holder);
    try {
      holder.append(redraw(EXPORT_WIDTH));
      return figureToSvg(holder, { ...options, redrawn: true });
    } finally {
      holder.remove();
    }
  }
  const parts = figureParts(figure);
  if (parts.svgs.length === 0) throw new Error("no figure to export: the Plot output has no <svg>");
  const sizes = parts.svgs.map((svg) => ({
    width: Number(svg.getAttribute("width")) || svg.getBoundingClientRect().width,
    height: Number(svg.getAttribute("height")) || svg.getBoundingClientRect().height,
  }));
  const innerWidth = Math.max(320, ...sizes.map((s) => s.width));
  const width = innerWidth + 2 * PADDING;
  const { color, background } = pageColours(figure);

  const root = svgElement("svg", {
    xmlns: SVG_NS, width, height: 0, viewBox: `0 0 ${width} 0`,
    "font-family": FONT_FAMILY, "font-size": 10, fill: color, color,
  });
  // xml:space keeps Plot's aligned multi-space labels, as white-space: pre did on the page.
  root.setAttributeNS("http://www.w3.org/XML/1998/namespace", "xml:space", "preserve");
  const backdrop = svgElement("rect", { width: "100%", height: "100%", fill: background });
  root.append(backdrop);
  let y = PADDING;

  const title = options.title ?? parts.title;
  if (title) {
    const block = textLines(wrap(title, innerWidth, TITLE_FONT.size, TITLE_FONT.weight), PADDING, y, TITLE_FONT.size, { "font-weight": TITLE_FONT.weight, class: "export-title" });
    root.append(block.element);
    y += block.height + 4;
  }
  if (parts.subtitle) {
    const block = textLines(wrap(parts.subtitle, innerWidth, BODY_FONT_SIZE + 1), PADDING, y, BODY_FONT_SIZE + 1, { "fill-opacity": 0.8 });
    root.append(block.element);
    y += block.height + 4;
  }

  let svgIndex = 0, swatchIndex = 0;
  for (const kind of parts.order) {
    if (kind === "swatches") {
      // Plot's swatch legends are HTML (a flex row of <span><svg/>label</span>); redraw them.
      let x = PADDING;
      const rowHeight = 18;
      y += 4;
      for (const { swatch, label } of parts.swatches[swatchIndex++]) {
        const size = swatch ? { w: Number(swatch.getAttribute("width")) || 15, h: Number(swatch.getAttribute("height")) || 15 } : { w: 0, h: 0 };
        const itemWidth = size.w + 4 + textWidth(label, BODY_FONT_SIZE) + 14;
        if (x > PADDING && x + itemWidth > PADDING + innerWidth) {
          x = PADDING;
          y += rowHeight;
        }
        if (swatch) {
          const copy = inlineClone(swatch);
          copy.setAttribute("x", String(x));
          copy.setAttribute("y", String(y + (rowHeight - size.h) / 2 - 2));
          copy.setAttribute("width", String(size.w));
          copy.setAttribute("height", String(size.h));
          root.append(copy);
        }
        const text = svgElement("text", { x: x + size.w + 4, y: y + rowHeight / 2 + 2, "font-size": BODY_FONT_SIZE, class: "export-legend" });
        text.textContent = label;
        root.append(text);
        x += itemWidth;
      }
      y += rowHeight + 4;
    } else {
      const source = parts.svgs[svgIndex];
      const { width: w, height: h } = sizes[svgIndex++];
      const copy = inlineClone(source);
      copy.removeAttribute("class");
      copy.removeAttribute("style");
      copy.setAttribute("x", String(PADDING));
      copy.setAttribute("y", String(y));
      copy.setAttribute("width", String(w));
      copy.setAttribute("height", String(h));
      if (!copy.getAttribute("viewBox")) copy.setAttribute("viewBox", `0 0 ${w} ${h}`);
      copy.setAttribute("overflow", "visible");
      root.append(copy);
      y += h;
    }
  }

  for (const [text, size, opacity] of [[parts.caption, BODY_FONT_SIZE, 0.9], [options.note, NOTE_FONT_SIZE, 0.7]] as const) {
    if (!text) continue;
    y += 6;
    const block = textLines(wrap(text, innerWidth, size), PADDING, y, size, { "fill-opacity": opacity, class: "export-note" });
    root.append(block.element);
    y += block.height;
  }
  const height = Math.ceil(y + PADDING);
  root.setAttribute("height", String(height));
  root.setAttribute("viewBox", `0 0 ${width} ${height}`);
  return { svg: `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}`, width, height };
}

/** The figure inside `target` as an SVG document string (see figureToSvg). */
export function figureToSvgString(target: Element, options: Partial<FigureExportOptions> = {}): string {
  return figureToSvg(target, options).svg;
}

/** Rasterises an SVG document at `scale` pixels per SVG unit (devicePixelRatio plays no part). */
export async function svgToPngBlob(svg: string, width: number, height: number, scale = PNG_SCALE): Promise<Blob> {
  const image = new Image();
  // A data: URL (not blob:) keeps the canvas untainted in every browser, so toBlob is allowed.
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const context = canvas.getContext("2d");
  if (!context) throw new Error("no 2D canvas context to draw the PNG");
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("the canvas produced no PNG"))), "image/png"));
}

/** The figure inside `target` as a PNG at PNG_SCALE x its CSS size. */
export async function figureToPngBlob(target: Element, options: Partial<FigureExportOptions> = {}): Promise<Blob> {
  const { svg, width, height } = figureToSvg(target, options);
  return svgToPngBlob(svg, width, height);
}

/** `name` with `extension`, unless it already ends with it. */
export function withExtension(name: string, extension: string): string {
  return name.toLowerCase().endsWith(`.${extension}`) ? name : `${name}.${extension}`;
}

/** Saves a blob through a temporary <a download>, which browsers (and Playwright) treat as a download. */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in Chromium; a minute is ample.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function button(label: string, title: string, onClick: () => Promise<void> | void): HTMLButtonElement {
  const element = document.createElement("button");
  element.type = "button";
  element.textContent = label;
  element.title = title;
  element.addEventListener("click", async () => {
    element.disabled = true;
    try {
      await onClick();
    } catch (error) {
      // Shown on the button rather than thrown: an export failure should not break the page.
      element.title = `Export failed: ${(error as Error).message}`;
      console.warn(error);
    } finally {
      element.disabled = false;
    }
  });
  return element;
}

function buttonRow(kind: string): HTMLElement {
  const row = document.createElement("div");
  row.className = `export-buttons export-buttons-${kind}`;
  row.style.cssText = "display:flex;gap:0.4rem;align-items:center;font:12px var(--sans-serif, sans-serif);margin:0.25rem 0 1rem;";
  const caption = document.createElement("span");
  caption.textContent = "Download";
  caption.style.color = "var(--theme-foreground-muted, gray)";
  row.append(caption);
  return row;
}

/** "SVG" and "PNG" buttons exporting the Plot figure found inside `target` when clicked. */
export function exportFigureButtons(target: Element, options: FigureExportOptions): HTMLElement {
  const row = buttonRow("figure");
  row.append(
    button("SVG", "Download the figure as a self-contained SVG", () => {
      const svg = figureToSvgString(target, options);
      downloadBlob(new Blob([svg], { type: "image/svg+xml" }), withExtension(options.filename, "svg"));
    }),
    button("PNG", `Download the figure as a PNG at ${PNG_SCALE}x`, async () => {
      downloadBlob(await figureToPngBlob(target, options), withExtension(options.filename, "png"));
    }),
  );
  return row;
}

/** Buttons downloading `rows` (or what `rows()` returns at click time) as CSV and/or JSON. */
export function downloadButtons(rows: readonly object[] | (() => readonly object[]), options: TableExportOptions): HTMLElement {
  const row = buttonRow("table");
  const current = () => (typeof rows === "function" ? rows() : rows);
  for (const format of options.formats ?? ["csv", "json"]) {
    row.append(button(format.toUpperCase(), `Download the table as ${format.toUpperCase()}`, () => {
      const blob = format === "csv"
        ? new Blob([rowsToCsv(current())], { type: "text/csv" })
        : new Blob([JSON.stringify(exportRows(current()), null, 2)], { type: "application/json" });
      downloadBlob(blob, withExtension(options.filename, format));
    }));
  }
  return row;
}
