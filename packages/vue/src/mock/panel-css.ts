/**
 * The scenario panel's look: a WeUI-like pill in the bottom right corner, above a tab bar and clear
 * of the sticky banners at the top and of the centred buttons, with the card opening above it.
 * Plain CSS in a string, injected with the panel, so the package ships no stylesheet for a
 * development tool.
 */
export const PANEL_CSS = `
.wxauth-mock{position:fixed;right:8px;bottom:calc(72px + env(safe-area-inset-bottom));z-index:2147483000;
display:flex;flex-direction:column-reverse;align-items:flex-end;max-width:calc(100vw - 16px);
font:14px/1.4 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:rgba(0,0,0,.9)}
.wxauth-mock__toggle{border:0;border-radius:16px;padding:4px 12px;background:rgba(0,0,0,.72);color:#fff;
font:inherit;font-size:12px;cursor:pointer}
.wxauth-mock__toggle:focus-visible,.wxauth-mock button:focus-visible,.wxauth-mock select:focus-visible,
.wxauth-mock input:focus-visible{outline:2px solid #07c160;outline-offset:2px}
.wxauth-mock__body{margin-bottom:6px;width:280px;max-height:calc(100vh - 140px);overflow:auto;max-width:100%;background:#fff;border-radius:8px;
box-shadow:0 4px 16px rgba(0,0,0,.18);padding:12px}
.wxauth-mock__group{border:0;margin:0;padding:0}
.wxauth-mock__group legend{font-size:12px;color:rgba(0,0,0,.55);padding:0;margin-bottom:4px}
.wxauth-mock__option{display:flex;align-items:center;gap:8px;padding:6px 0;cursor:pointer;
border-bottom:1px solid rgba(0,0,0,.06)}
.wxauth-mock__option input{accent-color:#07c160;margin:0}
.wxauth-mock__option code{margin-left:auto;font-size:12px;color:rgba(0,0,0,.55)}
.wxauth-mock__desc{margin:8px 0;font-size:12px;color:rgba(0,0,0,.55)}
.wxauth-mock__persona{display:flex;align-items:center;gap:8px;margin:8px 0}
.wxauth-mock__persona select{flex:1;min-width:0;font:inherit;padding:4px}
.wxauth-mock__actions{display:flex;gap:8px}
.wxauth-mock__actions button{flex:1;border:0;border-radius:6px;padding:8px 0;background:#f2f2f2;
color:#06ae56;font:inherit;font-weight:600;cursor:pointer}
.wxauth-mock__actions button:disabled{color:rgba(0,0,0,.3);cursor:default}
`
