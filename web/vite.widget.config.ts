// The embeddable customer widget: one self-contained IIFE script, no framework, CSS inlined.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

export default defineConfig({
  build: {
    outDir: fileURLToPath(new URL('../kefu/static/widget', import.meta.url)),
    emptyOutDir: true,
    target: 'es2019',
    sourcemap: true,
    lib: {
      entry: fileURLToPath(new URL('./widget/src/index.ts', import.meta.url)),
      name: 'KefuWidget',
      formats: ['iife'],
      fileName: () => 'kefu-widget.js',
    },
  },
})
