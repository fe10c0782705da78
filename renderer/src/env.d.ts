// Vite-specific module types (CSS imports) for the renderer.
/// <reference types="vite/client" />
