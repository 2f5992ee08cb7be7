// Observable Framework configuration. The site must build and run without any outside host
// (air-gapped clusters): see scripts/prepare-npm-cache.ts and README "Development notes".

/** Sidebar pages, in reading order. Add a page here when you add a .md file under src/. */
const pages = [
  { name: "Capacity gap", path: "/" },
  { name: "FLOPs model", path: "/flops" },
];

export default {
  title: "Distillation planner",
  root: "src",
  pages,
  // Replaces the default theme stylesheet, which loads Source Serif 4 from Google Fonts, with one
  // that imports the same theme and a self-hosted copy of the font.
  style: "style.css",
  globalStylesheets: [],
  // No DuckDB extension is downloaded: CSV needs none, and json/parquet would be fetched from
  // extensions.duckdb.org at build time.
  duckdb: { extensions: { json: null, parquet: null } },
  search: false,
  footer: "Distillation planner, after Busbridge et al. (2025), “Distillation Scaling Laws”.",
};
