/**
 * The chat window's styles, scoped by the shadow root. The window resets
 * every inherited property, so a theme's styles on the host element never
 * reach inside; nothing here can reach the page outside the shadow root.
 *
 * One visual system: a spacing scale (--s1…--s5), a type scale (--t-xs…--t-l),
 * neutral colours, and the accent's palette (`accentPalette`: --accent with
 * --on-accent on it, --accent-text on white, --accent-soft), each text on its
 * background at 4.5:1 at least.
 *
 * Layout: the conversation (`.log`) keeps at least --log-min of height;
 * everything between it and the message box (notices, consent, forms) is the
 * `.dock`, which shrinks and scrolls instead of squeezing the conversation.
 */
export const CHAT_WINDOW_STYLE = `
.window{all:initial;--s1:4px;--s2:8px;--s3:12px;--s4:16px;--s5:24px;--t-xs:12px;--t-s:13px;--t-m:15px;--t-l:17px;--ink:#1e1e1e;--ink-2:#50575e;--line:#dcdcde;--surface-2:#f0f0f1;--danger:#b32d2e;--radius:12px;--radius-s:8px;--log-min:160px;position:fixed;right:20px;bottom:88px;z-index:2147483000;width:380px;max-width:calc(100vw - 40px);height:600px;max-height:calc(100vh - 110px);display:flex;flex-direction:column;box-sizing:border-box;background:#fff;color:var(--ink);border-radius:var(--radius);box-shadow:0 12px 40px rgba(0,0,0,.22),0 2px 6px rgba(0,0,0,.08);font:var(--t-m)/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;text-align:left;overflow:hidden;visibility:visible;direction:ltr}
.window *,.window *::before,.window *::after{box-sizing:border-box}
.window[hidden]{display:none}
:where(.window) :where(button,input,textarea){font:inherit;color:inherit;letter-spacing:inherit;text-transform:none}
.header{flex:none;display:flex;align-items:center;gap:var(--s3);padding:var(--s3) var(--s3) var(--s3) var(--s4);background:var(--accent);color:var(--on-accent)}
.avatar{flex:none;width:40px;height:40px;border-radius:50%;object-fit:cover}
.initials{display:flex;align-items:center;justify-content:center;font-size:var(--t-s);font-weight:600;border:2px solid currentColor}
.title{flex:1;min-width:0}
.header h2{margin:0;font-size:var(--t-l);font-weight:600;line-height:1.3;overflow-wrap:anywhere}
.availability{margin:2px 0 0;font-size:var(--t-s);line-height:1.3}
.icon-button{flex:none;border:0;background:transparent;color:inherit;cursor:pointer;padding:6px;border-radius:var(--radius-s);line-height:1;font-size:22px;min-width:40px;min-height:40px}
.icon-button:hover{background:rgba(127,127,127,.22)}
.icon-button svg{width:20px;height:20px;fill:currentColor;vertical-align:middle}
.window :focus-visible{outline:3px solid var(--accent-text);outline-offset:2px}
.header :focus-visible{outline-color:currentColor;outline-offset:-3px}
.status{flex:none;padding:var(--s2) var(--s4);background:#fcf9e8;font-size:var(--t-s)}
.tabs{flex:none;display:flex;border-bottom:1px solid var(--line)}
.tabs [role="tab"]{flex:1;border:0;border-bottom:3px solid transparent;background:#fff;padding:var(--s3);cursor:pointer;color:var(--ink-2)}
.tabs [role="tab"]:hover{background:var(--accent-soft)}
.tabs [role="tab"][aria-selected="true"]{border-bottom-color:var(--accent-text);color:var(--ink);font-weight:600}
.panel{flex:1;display:flex;flex-direction:column;min-height:0}
.panel[hidden]{display:none}
.log{flex:1 1 auto;min-height:var(--log-min);overflow-y:auto;overscroll-behavior:contain;padding:var(--s4)}
.messages{display:flex;flex-direction:column;gap:var(--s2);margin:0;padding:0;list-style:none}
.message{max-width:85%;padding:var(--s2) var(--s3);border-radius:var(--radius);white-space:pre-wrap;overflow-wrap:anywhere;margin:0}
.message.visitor{align-self:flex-end;background:var(--accent);color:var(--on-accent);border-bottom-right-radius:var(--s1)}
.message.agent,.message.system{align-self:flex-start;background:var(--surface-2);color:var(--ink);border-bottom-left-radius:var(--s1)}
.message.pending{opacity:.8}
.author{display:block;font-size:var(--t-xs);font-weight:600}
.message.agent .author{color:var(--ink-2)}
.receipt{display:block;font-size:var(--t-xs);text-align:right}
.hint{margin:var(--s4) 0 0;font-size:var(--t-s);color:var(--ink-2);text-align:center}
.skeleton{display:flex;flex-direction:column;gap:var(--s2);margin-top:var(--s2)}
.skeleton span{display:block;height:38px;width:62%;border-radius:var(--radius);background:linear-gradient(90deg,#ececee 25%,#f6f6f7 50%,#ececee 75%) 0 0/200% 100%}
.skeleton span+span{width:44%;height:30px}
.typing{flex:none;margin:0;padding:0 var(--s4) var(--s2);font-size:var(--t-s);color:var(--ink-2);display:flex;align-items:center;gap:6px}
.dots{display:inline-flex;gap:3px}
.dots span{width:6px;height:6px;border-radius:50%;background:#757575}
.dock{flex:0 1 auto;min-height:0;overflow-y:auto;overscroll-behavior:contain;background:linear-gradient(#fff 30%,#fff0) top/100% 24px local,linear-gradient(#fff0,#fff 70%) bottom/100% 24px local,radial-gradient(farthest-side at 50% 0,#0003,#0000) top/100% 8px scroll,radial-gradient(farthest-side at 50% 100%,#0003,#0000) bottom/100% 8px scroll;background-repeat:no-repeat}
.notices p{margin:0;padding:var(--s2) var(--s4);font-size:var(--t-s);background:var(--accent-soft);color:var(--ink);border-top:1px solid var(--line)}
.error,.field-error{margin:var(--s1) 0;color:var(--danger);font-size:var(--t-s)}
.error{padding:0 var(--s4)}
form{border-top:1px solid var(--line);padding:var(--s3) var(--s4);margin:0}
.composer{flex:none;display:flex;gap:var(--s2);align-items:flex-end;padding:var(--s3)}
textarea,input{width:100%;padding:var(--s2) 10px;border:1px solid #8c8f94;border-radius:var(--radius-s);background:#fff;color:var(--ink);margin:0;line-height:1.4}
textarea:hover,input:hover{border-color:var(--ink-2)}
.composer textarea{flex:1;resize:none;min-height:42px;max-height:132px;overflow-y:auto}
[aria-invalid="true"]{border-color:var(--danger);border-width:2px}
label{display:block;font-size:var(--t-s);margin:var(--s2) 0 var(--s1)}
.intro{margin:0 0 var(--s2);font-size:var(--t-s)}
.row{display:flex;flex-wrap:wrap;gap:var(--s2)}
.row input{flex:1 1 180px;min-width:0}
.offline-form h3{margin:0 0 var(--s1);font-size:var(--t-m)}
.offline-form textarea,.survey textarea{resize:vertical;min-height:60px}
.send,.primary,.secondary{border:1px solid var(--accent);border-radius:var(--radius-s);background:var(--accent);color:var(--on-accent);padding:var(--s2) var(--s4);cursor:pointer;min-height:42px;font-weight:600}
.send:hover,.primary:hover,.secondary:hover{box-shadow:inset 0 0 0 99px rgba(0,0,0,.1)}
.secondary{flex:none}
.actions{display:flex;flex-wrap:wrap;align-items:center;gap:var(--s3);margin-top:var(--s3)}
.link-button{border:0;background:none;padding:var(--s2) var(--s1);color:var(--accent-text);text-decoration:underline;cursor:pointer;min-height:42px}
.link-button:hover{text-decoration-thickness:2px}
.email-form .link-button{margin-top:var(--s1)}
button[disabled]{opacity:.55;cursor:not-allowed}
[aria-busy="true"] .primary,.secondary[aria-busy="true"]{cursor:progress}
[aria-busy="true"] .primary::after,.secondary[aria-busy="true"]::after{content:"";display:inline-block;width:.8em;height:.8em;margin-left:var(--s2);vertical-align:-1px;border:2px solid currentColor;border-right-color:transparent;border-radius:50%}
fieldset{border:0;padding:0;margin:0}
legend{padding:0;font-size:var(--t-m);font-weight:600;margin-bottom:var(--s2)}
.ratings{display:flex;gap:var(--s2)}
.rating{position:relative;margin:0}
.rating input{position:absolute;opacity:0;width:100%;height:100%;margin:0;cursor:pointer}
.rating label{margin:0;display:flex;align-items:center;justify-content:center;width:42px;height:42px;border:1px solid #8c8f94;border-radius:50%;font-size:var(--t-m);cursor:pointer}
.rating input:hover+label{background:var(--accent-soft)}
.rating input:checked+label{background:var(--accent);color:var(--on-accent);border-color:var(--accent)}
.rating input:focus-visible+label{outline:3px solid var(--accent-text);outline-offset:2px}
.next-step{border-top:1px solid var(--line);padding:var(--s4)}
.next-step p{margin:0 0 var(--s3)}
.cookie-banner,.data-consent{border-top:1px solid var(--line);padding:var(--s3) var(--s4)}
.cookie-banner .row{margin-top:var(--s2)}
.consent-text{margin:0;font-size:var(--t-s);white-space:pre-wrap;overflow-wrap:anywhere}
.consent-text a{color:var(--accent-text);text-decoration:underline}
.data-consent+form{border-top:0;padding-top:0}
.check{display:flex;gap:var(--s2);align-items:flex-start;font-size:var(--t-s);margin:var(--s2) 0 0}
.check input{width:auto;margin:2px 0 0;flex:none}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-height:560px){.window{--log-min:96px}}
@media (max-width:599px){.window{inset:0;width:auto;max-width:none;height:auto;max-height:none;border-radius:0}textarea,input{font-size:16px}}
@media (prefers-reduced-motion:no-preference){.window{animation:cf-in .15s ease-out}.dots span{animation:cf-dot 1s infinite}.dots span:nth-child(2){animation-delay:.15s}.dots span:nth-child(3){animation-delay:.3s}.skeleton span{animation:cf-shimmer 1.4s linear infinite}[aria-busy="true"] .primary::after,.secondary[aria-busy="true"]::after{animation:cf-spin .8s linear infinite}}
@keyframes cf-in{from{opacity:0;transform:translateY(8px)}}
@keyframes cf-dot{50%{opacity:.3}}
@keyframes cf-shimmer{to{background-position:-200% 0}}
@keyframes cf-spin{to{transform:rotate(1turn)}}
`;
