/**
 * The live channel between the chat service and its two clients (the visitor
 * widget and the agent inbox): socket events, payload shapes and limits, the
 * agent-access and privacy calls, the chatflow configuration the service is
 * given, and the clients' seq/reconnection rules.
 */
export * from './events';
export * from './configuration';
export * from './agent-access';
export * from './privacy';
export * from './message-list';
export * from './reconnection';
export * from './notes';
