/** A stylesheet imported from code comes as its text (build.mjs loads .css with esbuild's text loader). */
declare module "*.css" {
  const text: string;
  export default text;
}
