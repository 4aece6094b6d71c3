/** The chat window's styles, scoped by the shadow root. */
export const CHAT_WINDOW_STYLE = `
.window{position:fixed;right:20px;bottom:88px;z-index:2147483000;width:360px;max-width:calc(100vw - 40px);height:520px;max-height:calc(100vh - 110px);display:flex;flex-direction:column;background:#fff;color:#1e1e1e;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;overflow:hidden}
.window[hidden]{display:none}
.header{display:flex;align-items:center;justify-content:space-between;padding:12px 16px;background:#1e6ef4;color:#fff}
.header h2{margin:0;font-size:16px;font-weight:600}
.close{border:0;background:transparent;color:inherit;font-size:22px;line-height:1;cursor:pointer;padding:4px 8px;border-radius:4px}
.close:focus-visible,.send:focus-visible,textarea:focus-visible{outline:3px solid #111;outline-offset:2px}
.status{padding:6px 16px;background:#fff8e5;font-size:13px}
.log{flex:1;overflow-y:auto;padding:12px 16px;display:flex;flex-direction:column;gap:8px;margin:0;list-style:none}
.empty{color:#555;font-size:14px}
.message{max-width:80%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}
.message.visitor{align-self:flex-end;background:#1e6ef4;color:#fff}
.message.agent,.message.system{align-self:flex-start;background:#f0f0f0}
.message.pending{opacity:.6}
.author{display:block;font-size:12px;opacity:.8}
.error{padding:6px 16px;color:#b32d2e;font-size:13px}
form{display:flex;gap:8px;padding:12px;border-top:1px solid #ddd}
textarea{flex:1;resize:none;font:inherit;padding:8px;border:1px solid #949494;border-radius:6px;min-height:40px;max-height:120px}
.send{border:0;border-radius:6px;background:#1e6ef4;color:#fff;padding:0 16px;font:inherit;cursor:pointer}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:480px){.window{inset:0;width:auto;max-width:none;height:auto;max-height:none;border-radius:0}}
@media (prefers-reduced-motion:no-preference){.window{transition:opacity .15s}}
`;
