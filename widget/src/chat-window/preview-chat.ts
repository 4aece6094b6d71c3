/**
 * The chat of the admin's preview: connected at once, never to the service;
 * what the visitor types stays in the window.
 */
import type { ChatMessage } from '../../../server/src/contract/events';
import type { VisitorChatState } from './visitor-chat';

/**
 * Stands in for `VisitorChat` in the preview.
 */
export class PreviewChat {
	private state: VisitorChatState = {
		status: 'connected',
		messages: [],
		pending: [],
		error: null,
	};
	private readonly listeners = new Set< () => void >();

	getState(): VisitorChatState {
		return this.state;
	}

	subscribe( listener: () => void ): () => void {
		this.listeners.add( listener );
		return () => this.listeners.delete( listener );
	}

	send( body: string ): void {
		const text = body.trim();
		if ( ! text ) {
			return;
		}
		const seq = this.state.messages.length + 1;
		const message: ChatMessage = {
			conversationId: 'preview',
			seq,
			clientId: `preview-${ seq }`,
			authorType: 'visitor',
			authorName: '',
			body: text,
			createdAt: new Date().toISOString(),
		};
		this.state = {
			...this.state,
			messages: [ ...this.state.messages, message ],
		};
		this.listeners.forEach( ( listener ) => listener() );
	}
}
