/**
 * The chat window's styles, scoped by the shadow root. The window resets
 * every inherited property, so a theme's styles on the host element never
 * reach inside; nothing here can reach the page outside the shadow root.
 */
export const CHAT_WINDOW_STYLE = `
.window{all:initial;position:fixed;right:20px;bottom:88px;z-index:2147483000;width:370px;max-width:calc(100vw - 40px);height:560px;max-height:calc(100vh - 110px);display:flex;flex-direction:column;box-sizing:border-box;background:#fff;color:#1e1e1e;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;text-align:left;overflow:hidden;visibility:visible;direction:ltr}
.window *,.window *::before,.window *::after{box-sizing:border-box}
.window[hidden]{display:none}
:where(.window) :where(button,input,textarea){font:inherit;color:inherit;letter-spacing:inherit;text-transform:none}
.header{display:flex;align-items:center;gap:10px;padding:12px 12px 12px 16px;background:var(--accent);color:var(--on-accent)}
.avatar{flex:none;width:36px;height:36px;border-radius:50%;object-fit:cover}
.initials{display:flex;align-items:center;justify-content:center;font-size:14px;font-weight:600;border:2px solid currentColor}
.title{flex:1;min-width:0}
.header h2{margin:0;font-size:16px;font-weight:600;line-height:1.3;overflow-wrap:anywhere}
.availability{margin:2px 0 0;font-size:13px;line-height:1.3}
.icon-button{flex:none;border:0;background:transparent;color:inherit;cursor:pointer;padding:6px;border-radius:6px;line-height:1;font-size:22px;min-width:36px;min-height:36px}
.icon-button svg{width:20px;height:20px;fill:currentColor;vertical-align:middle}
.icon-button[aria-pressed="false"]{opacity:.85}
.window :focus-visible{outline:3px solid #111;outline-offset:2px;box-shadow:0 0 0 5px #fff}
.status{padding:6px 16px;background:#fff8e5;font-size:13px}
.tabs{display:flex;border-bottom:1px solid #ddd}
.tabs [role="tab"]{flex:1;border:0;border-bottom:3px solid transparent;background:#fff;padding:10px;cursor:pointer}
.tabs [role="tab"][aria-selected="true"]{border-bottom-color:var(--accent);font-weight:600}
.panel{flex:1;display:flex;flex-direction:column;min-height:0}
.panel[hidden]{display:none}
.log{flex:1;overflow-y:auto;padding:12px 16px}
.messages{display:flex;flex-direction:column;gap:8px;margin:0;padding:0;list-style:none}
.message{max-width:80%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere;margin:0}
.message.visitor{align-self:flex-end;background:var(--accent);color:var(--on-accent)}
.message.agent,.message.system{align-self:flex-start;background:#f0f0f0;color:#1e1e1e}
.message.pending{opacity:.75}
.author{display:block;font-size:12px}
.receipt{display:block;font-size:12px;text-align:right}
.typing{margin:0;padding:0 16px 6px;font-size:13px;color:#3c3c3c;display:flex;align-items:center;gap:6px}
.dots{display:inline-flex;gap:3px}
.dots span{width:6px;height:6px;border-radius:50%;background:#757575}
.notices p{margin:0;padding:6px 16px;font-size:13px;background:#f3f6fc}
.error,.field-error{margin:4px 0;color:#b32d2e;font-size:13px}
.error{padding:0 16px}
form{border-top:1px solid #ddd;padding:12px;margin:0}
.composer{display:flex;gap:8px;align-items:flex-end}
textarea,input{width:100%;padding:8px;border:1px solid #757575;border-radius:6px;background:#fff;color:#1e1e1e;margin:0}
.composer textarea{flex:1;resize:none;min-height:40px;max-height:120px}
[aria-invalid="true"]{border-color:#b32d2e;border-width:2px}
label{display:block;font-size:13px;margin:6px 0 4px}
.intro{margin:0 0 6px;font-size:14px}
.row{display:flex;gap:8px}
.offline-form h3{margin:0 0 4px;font-size:15px}
.offline-form textarea,.survey textarea{resize:vertical}
.send,.primary,.secondary{border:0;border-radius:6px;background:var(--accent);color:var(--on-accent);padding:8px 16px;cursor:pointer;min-height:40px}
.primary{margin-top:8px}
.secondary{flex:none}
button[disabled]{opacity:.6;cursor:default}
fieldset{border:0;padding:0;margin:0}
legend{padding:0;font-size:14px;margin-bottom:6px}
.ratings{display:flex;gap:6px}
.rating{position:relative;margin:0}
.rating input{position:absolute;opacity:0;width:100%;height:100%;margin:0;cursor:pointer}
.rating label{margin:0;display:flex;align-items:center;justify-content:center;width:40px;height:40px;border:1px solid #757575;border-radius:50%;font-size:15px;cursor:pointer}
.rating input:checked+label{background:var(--accent);color:var(--on-accent);border-color:var(--accent)}
.rating input:focus-visible+label{outline:3px solid #111;outline-offset:2px}
.survey-thanks{margin:0;padding:12px 16px;border-top:1px solid #ddd}
.cookie-banner,.data-consent{border-top:1px solid #ddd;padding:12px 12px 0}
.cookie-banner{padding-bottom:12px}
.cookie-banner .row{margin-top:8px}
.cookie-banner .primary{margin:0}
.consent-text{margin:0;font-size:13px;white-space:pre-wrap;overflow-wrap:anywhere}
.consent-text a{color:inherit;text-decoration:underline}
.data-consent+form{border-top:0}
.check{display:flex;gap:8px;align-items:flex-start;font-size:13px;margin:8px 0 0}
.check input{width:auto;margin:2px 0 0;flex:none}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:599px){.window{inset:0;width:auto;max-width:none;height:auto;max-height:none;border-radius:0}}
@media (prefers-reduced-motion:no-preference){.window{animation:cf-in .15s ease-out}.dots span{animation:cf-dot 1s infinite}.dots span:nth-child(2){animation-delay:.15s}.dots span:nth-child(3){animation-delay:.3s}}
@keyframes cf-in{from{opacity:0;transform:translateY(8px)}}
@keyframes cf-dot{50%{opacity:.3}}
`;
