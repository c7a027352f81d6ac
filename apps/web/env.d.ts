/// <reference types="vite/client" />

/** Build-time options (see README.md, "Build options"); both are validated in vite.config.ts. */
interface ImportMetaEnv {
  /** `history` (default) or `hash`: which vue-router history the SPA uses. */
  readonly VITE_ROUTER_MODE?: string
  /** `snsapi_base` (default) or `snsapi_userinfo`: the scope of the automatic login. */
  readonly VITE_LOGIN_SCOPE?: string
}

interface ImportMeta {
  readonly env: ImportMetaEnv
}
