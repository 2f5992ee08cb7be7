// Preloaded into `observable build` (node --import): Framework downloads from jsDelivr, the npm
// registry or extensions.duckdb.org whenever its cache lacks something. Failing every fetch turns
// that into a build error naming the URL, so the build provably needs only node_modules. (It also
// silences Framework's telemetry ping, whose failure Framework ignores.)
globalThis.fetch = async (input) => {
  const url = input instanceof Request ? input.url : String(input);
  throw new Error(
    `offline build: Framework tried to fetch ${url}; add the package to scripts/prepare-npm-cache.ts ` +
      `or import it by bare name from node_modules`,
  );
};
