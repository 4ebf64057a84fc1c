/**
 * The few web-platform globals shared/ uses. They exist in every runtime shared/
 * code runs in (Node ≥ 16, Electron, the renderer); declared here instead of
 * pulling in the DOM lib, so shared/ cannot reach for `document` or `window`.
 */
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array): string;
}
declare function atob(data: string): string;
declare function btoa(data: string): string;
