/**
 * The chat of the admin's preview: connected at once, never to the service;
 * what the visitor types stays in the window.
 */
import type { ChatMessage } from '@chatflows/protocol';
import {
	initialChatState,
	type ChatController,
	type EmailOutcome,
	type VisitorChatState,
} from './visitor-chat';

/**
 * Stands in for `VisitorChat` in the preview.
 */
export class PreviewChat implements ChatController {
	private state: VisitorChatState = initialChatState( 'connected' );
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
		this.update( { messages: [ ...this.state.messages, message ] } );
	}

	async saveEmail(): Promise< EmailOutcome > {
		this.update( { contact: 'saved' } );
		return 'saved';
	}

	leaveOfflineMessage( _email: string, body: string ): void {
		this.update( { leftOfflineMessage: true } );
		this.send( body );
	}

	setTyping(): void {}

	markRead(): void {}

	async answerSurvey(): Promise< boolean > {
		return false;
	}

	onEvent(): () => void {
		return () => undefined;
	}

	private update( patch: Partial< VisitorChatState > ): void {
		this.state = { ...this.state, ...patch };
		this.listeners.forEach( ( listener ) => listener() );
	}
}
