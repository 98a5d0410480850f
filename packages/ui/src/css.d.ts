// A renderer's own stylesheet, bundled as text by esbuild (build.mjs) and added by addStyles.
declare module "*.css" {
  const css: string;
  export default css;
}
