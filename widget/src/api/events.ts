/**
 * The events of the public JS API, with HubSpot's names and payloads.
 */

/** Events a page can listen to with `ChatflowsConversations.on()`. */
export interface ChatflowsEventPayloads {
	widgetLoaded: Record< string, never >;
	widgetClosed: Record< string, never >;
	conversationStarted: { conversation: { conversationId: string } };
	conversationClosed: { conversation: { conversationId: string } };
	unreadConversationCountChanged: { unreadCount: number };
	contactAssociated: Record< string, never >;
	userInteractedWithWidget: Record< string, never >;
}

export type ChatflowsEventName = keyof ChatflowsEventPayloads;

export type ChatflowsListener< Name extends ChatflowsEventName > = (
	payload: ChatflowsEventPayloads[ Name ]
) => void;

/** Subscribes, unsubscribes and emits; a listener that throws never stops the widget or other listeners. */
export interface ChatflowsEvents {
	on: < Name extends ChatflowsEventName >(
		name: Name,
		listener: ChatflowsListener< Name >
	) => void;
	off: < Name extends ChatflowsEventName >(
		name: Name,
		listener: ChatflowsListener< Name >
	) => void;
	emit: < Name extends ChatflowsEventName >(
		name: Name,
		payload: ChatflowsEventPayloads[ Name ]
	) => void;
}

/**
 * Calls the page's own code; what it throws is reported like any error of
 * the page, after the widget is done, and never stops the widget.
 *
 * @param callback The page's function.
 * @param payload  Its argument.
 */
export function callSafely< T >(
	callback: ( payload: T ) => void,
	payload: T
): void {
	try {
		callback( payload );
	} catch ( error ) {
		setTimeout( () => {
			throw error;
		} );
	}
}

/** A new, empty set of listeners. */
export function createEvents(): ChatflowsEvents {
	const listeners = new Map< string, Set< ( payload: never ) => void > >();
	return {
		on( name, listener ) {
			(
				listeners.get( name ) ??
				listeners.set( name, new Set() ).get( name )!
			).add( listener );
		},
		off( name, listener ) {
			listeners.get( name )?.delete( listener );
		},
		emit( name, payload ) {
			listeners
				.get( name )
				?.forEach( ( listener ) =>
					callSafely( listener, payload as never )
				);
		},
	};
}
