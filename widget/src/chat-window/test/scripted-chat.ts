/**
 * A chat controller for the chat window's tests: the test sets its state,
 * and it records what the window asks of it.
 */
import { act } from 'preact/test-utils';

import type { ConsentAnswer } from '../consent-answers';
import {
	initialChatState,
	type ChatController,
	type VisitorChatState,
} from '../visitor-chat';

/** A chat whose state the test sets, recording what the window asks of it. */
export class ScriptedChat implements ChatController {
	state: VisitorChatState = initialChatState( 'connected' );
	/** Every call, in order: the method's name, then its arguments. */
	readonly calls: Array< [ string, ...unknown[] ] > = [];
	/** The consent answers the window recorded. */
	readonly consents: ConsentAnswer[] = [];
	emailOutcome: 'saved' | 'invalid' = 'saved';
	reads = 0;
	private readonly listeners = new Set< () => void >();

	getState = () => this.state;
	subscribe = ( listener: () => void ) => {
		this.listeners.add( listener );
		return () => this.listeners.delete( listener );
	};
	/**
	 * Changes the state, as the live chat does, and re-renders.
	 *
	 * @param patch The changed fields.
	 */
	set( patch: Partial< VisitorChatState > ) {
		act( () => {
			this.state = { ...this.state, ...patch };
			this.listeners.forEach( ( listener ) => listener() );
		} );
	}
	/**
	 * The arguments of each call of one method, in order.
	 *
	 * @param method The method's name.
	 */
	callsOf( method: string ): unknown[][] {
		return this.calls
			.filter( ( [ name ] ) => name === method )
			.map( ( [ , ...args ] ) => args );
	}
	send = ( body: string ) => {
		this.calls.push( [ 'send', body ] );
	};
	saveEmail = async ( email: string ) => {
		this.calls.push( [ 'saveEmail', email ] );
		if ( this.emailOutcome === 'saved' ) {
			this.state = { ...this.state, contact: 'saved' };
		}
		return this.emailOutcome;
	};
	leaveOfflineMessage = ( email: string, body: string ) => {
		this.calls.push( [ 'leaveOfflineMessage', email, body ] );
	};
	setTyping = ( typing: boolean ) => {
		this.calls.push( [ 'setTyping', typing ] );
	};
	markRead = () => {
		this.reads++;
	};
	answerSurvey = async ( rating: number, comment: string ) => {
		this.calls.push( [ 'answerSurvey', rating, comment ] );
		return true;
	};
	onEvent = () => () => undefined;
	recordConsent = ( answer: ConsentAnswer ) => {
		this.consents.push( answer );
	};
}
