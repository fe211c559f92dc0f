/**
 * URLs of the wasm backend's binaries, served by the app itself: Vite copies each file from
 * the package into the build and returns its URL. tfjs picks one binary by browser support
 * (SIMD, and threads when the page is cross-origin isolated).
 */
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

// NOTE: the threaded binary loads only on a cross-origin-isolated page (COOP and COEP headers),
// which the Vite server does not set up, so only the plain and SIMD binaries have run in a browser.
export const WASM_PATHS = {
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
};
