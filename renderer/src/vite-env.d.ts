/** Vite's `?url` imports: the emitted file's URL (relative to the app's origin). */
declare module '*?url' {
  const url: string;
  export default url;
}
